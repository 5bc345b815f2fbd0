/**
 * The matches of one demand (匹配结果): the ranked offers, each score broken into its five terms
 * (a bar per candidate and, expanded, the table weight × value = term), the offers excluded with
 * the first hard constraint they failed, and for a demand nothing matched the nearest misses and
 * which constraint to relax — one click posts the demand again with the relaxation applied.
 * Method: docs/methods/ranking.md.
 */
import { EditOutlined, LeftOutlined, ReloadOutlined, RightOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Flex, List, Result, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionName } from '../components/RegionName.tsx';
import { formatDateTime, formatNumber, formatPct } from '../format.ts';
import { applyHint, demandToFormValues, formatCny } from '../features/market/format.ts';
import { OrderDialog } from '../features/market/OrderDialog.tsx';
import { type Candidate, type Demand, type Exclusion, HARD_CONSTRAINTS, type MatchResponse, type NearestMiss, type Offer, type RelaxHint, WEIGHT_TERMS } from '../features/market/types.ts';
import { Capacity, ConstraintTag, DemandStatusTag, FailureText, OfferWhat, OfferWhere, ScoreBar, ScoreTable, Supplier, TERM_COLORS, UnitPrice } from '../features/market/ui.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canOrder } from '../roles.ts';

const EXCLUDED_PAGE = 20;

function DemandSummary({ demand }: { demand: Demand }) {
  const { t, te, lang } = useI18n();
  const need = demand.hard.acceleratorModel ?? t('market.demand.tflopsNeed', { tflops: demand.hard.minTflops ?? '—', precision: (demand.hard.precision ?? '').toUpperCase() });
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered data-testid="demand-summary">
      <Descriptions.Item label={t('market.demand.need')}>
        <Typography.Text strong data-testid="demand-need">
          {demand.count} × {need}
        </Typography.Text>
        {demand.memoryGb ? ` · ≥ ${demand.memoryGb} GB` : ''}
        {demand.resourceKind ? ` · ${te('market.kind', demand.resourceKind)}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('market.demand.window')}>
        {formatDateTime(demand.start, lang)} – {formatDateTime(demand.end, lang)} ({t('market.hoursValue', { hours: formatNumber(demand.durationHours, lang, 1) })})
      </Descriptions.Item>
      <Descriptions.Item label={t('market.demand.latencyBound')}>
        {demand.latency ? (
          <span data-testid="demand-latency">
            {t('market.demand.latencyText', { ms: demand.latency.maxMs })} <RegionName code={demand.latency.fromRegionCode} fallback={demand.latency.fromRegionName} tail={1} />
          </span>
        ) : (
          t('common.none')
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('market.demand.maxPrice')}>{demand.maxPricePerUnit === null ? t('common.none') : formatCny(demand.maxPricePerUnit, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('market.demand.regions')}>
        {demand.regionsAllowed.length ? (
          <Space size={4} wrap>
            {demand.regionsAllowed.map((code) => (
              <Tag key={code}>
                <RegionName code={code} />
              </Tag>
            ))}
          </Space>
        ) : (
          t('market.demand.anywhere')
        )}
        {demand.dataResidency ? (
          <>
            {' · '}
            {t('market.demand.residency')}: <RegionName code={demand.dataResidency} />
          </>
        ) : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('market.demand.weights')}>
        <Space size={4} wrap>
          {WEIGHT_TERMS.map((term) => (
            <Tag key={term} color={TERM_COLORS[term]} style={{ marginInlineEnd: 0 }}>
              {te('market.term', term)} {demand.weights[term]}
            </Tag>
          ))}
        </Space>
      </Descriptions.Item>
    </Descriptions>
  );
}

function LatencyCell({ ms, basis }: { ms: number | null; basis: string | null }) {
  const { t, te } = useI18n();
  if (ms === null) return <>—</>;
  return (
    <Flex vertical align="flex-end" gap={0}>
      <span>{ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms</span>
      {basis ? (
        <Tooltip title={t('market.latencyBasisHint')}>
          <Tag color={basis === 'estimated' ? 'default' : 'cyan'} style={{ marginInlineEnd: 0, fontSize: 11 }} data-testid={`latency-basis-${basis}`}>
            {te('market.latencyBasis', basis)}
          </Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}

function HintList({ hints, onApply, canApply }: { hints: RelaxHint[]; onApply: (hint: RelaxHint) => void; canApply: boolean }) {
  const { t, te } = useI18n();
  return (
    <List
      size="small"
      dataSource={hints}
      data-testid="match-hints"
      renderItem={(hint) => (
        <List.Item
          actions={
            canApply && hint.to !== null
              ? [
                  <Button key="apply" size="small" icon={<EditOutlined />} onClick={() => onApply(hint)} data-testid={`hint-apply-${hint.constraint}`}>
                    {t('market.matches.applyHint')}
                  </Button>,
                ]
              : []
          }
        >
          <Space size={6} wrap>
            <ConstraintTag constraint={hint.constraint} />
            <span>{te('market.parameter', hint.parameter)}</span>
            {hint.to !== null ? (
              <Typography.Text strong data-testid={`hint-to-${hint.constraint}`}>
                {hint.parameter === 'regionsAllowed' || hint.parameter === 'dataResidency' ? (
                  <RegionName code={String(hint.to)} />
                ) : hint.parameter === 'latency.maxMs' ? (
                  `${hint.to} ms`
                ) : hint.parameter === 'maxPricePerUnit' ? (
                  `¥${hint.to}`
                ) : (
                  String(hint.to)
                )}
              </Typography.Text>
            ) : null}
            <Typography.Text type="secondary">{t('market.matches.hint', { offers: hint.offers })}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

export function DemandMatchesPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [excludedOffset, setExcludedOffset] = useState(0);
  const [ordering, setOrdering] = useState<Offer | null>(null);
  const demand = useRequest((signal) => api<Demand>(`/demands/${encodeURIComponent(id)}`, { signal, quiet: true }), [id]);
  const matches = useRequest(
    (signal) => api<MatchResponse>(`/demands/${encodeURIComponent(id)}/matches`, { query: { topK: 10, excludedOffset, excludedLimit: EXCLUDED_PAGE, nearestMisses: 10 }, signal, quiet: true }),
    [id, excludedOffset],
  );

  if (demand.error) return <ErrorState error={demand.error} onRetry={demand.reload} title={t('market.matches.notFound')} />;
  if (!demand.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  const d = demand.data;
  const owner = user?.orgId === d.demanderOrgId;
  const mayOrder = owner && canOrder(user) && d.status !== 'closed';
  const result = matches.data;
  const weights = result?.weights ?? d.weights;

  const repost = (hint?: RelaxHint) => {
    const values = demandToFormValues(d);
    navigate('/market/demands/new', { state: { values: hint ? applyHint(values, hint) : values } });
  };

  const candidateColumns: TableColumnsType<Candidate> = [
    {
      title: t('market.matches.rank'),
      key: 'rank',
      width: 50,
      align: 'center',
      render: (_, c) => (
        <Typography.Text strong style={{ fontSize: 16 }} data-testid={`candidate-rank-${c.rank}`}>
          {c.rank}
        </Typography.Text>
      ),
    },
    {
      title: t('market.offer'),
      key: 'offer',
      width: 200,
      render: (_, c) => (
        <Flex vertical gap={4}>
          <Typography.Text>{c.offer.title}</Typography.Text>
          <OfferWhat offer={c.offer} />
        </Flex>
      ),
    },
    { title: t('market.score'), key: 'score', width: 180, render: (_, c) => <ScoreBar id={c.offerId} score={c.score} terms={c.terms} weights={weights} /> },
    {
      title: `${t('market.price')} / ${t('market.matches.total')}`,
      key: 'price',
      width: 120,
      align: 'right',
      render: (_, c) => (
        <Flex vertical gap={0} align="flex-end">
          <UnitPrice price={c.offer.pricePerUnit} unit={c.offer.unit} strong />
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`candidate-total-${c.offerId}`}>
            {formatCny(c.totalPrice, lang)}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('market.latency'), key: 'latency', width: 75, align: 'right', render: (_, c) => <LatencyCell ms={c.latencyMs} basis={c.latencyBasis} /> },
    { title: t('market.free'), key: 'free', width: 130, align: 'right', render: (_, c) => <Capacity offer={c.offer} /> },
    {
      title: `${t('market.facility')} / ${t('market.supplier')}`,
      key: 'where',
      width: 190,
      render: (_, c) => (
        <Flex vertical gap={4}>
          <OfferWhere offer={c.offer} />
          <Supplier offer={c.offer} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('market.greenShort')} {formatPct(c.offer.greenPowerPct)}
          </Typography.Text>
        </Flex>
      ),
    },
    ...(mayOrder
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, c: Candidate) => (
              <Button size="small" type="primary" icon={<ShoppingCartOutlined />} onClick={() => setOrdering(c.offer)} data-testid={`order-candidate-${c.offerId}`}>
                {t('market.orderAction')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const excludedColumns: TableColumnsType<Exclusion> = [
    { title: t('market.matches.offerId'), key: 'offerId', width: 150, render: (_, e) => <Typography.Text code>{e.offerId}</Typography.Text> },
    { title: t('market.matches.failed'), key: 'constraint', width: 120, render: (_, e) => <ConstraintTag constraint={e.constraint} /> },
    { title: t('market.matches.why'), key: 'why', render: (_, e) => <FailureText failure={e} /> },
  ];

  const missColumns: TableColumnsType<NearestMiss> = [
    {
      title: t('market.offer'),
      key: 'offer',
      render: (_, m) => (
        <Flex vertical gap={2}>
          <Typography.Text>{m.offer.title}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.offer.supplierOrgName} · <UnitPrice price={m.offer.pricePerUnit} unit={m.offer.unit} />
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('market.matches.failed'), key: 'constraint', width: 120, render: (_, m) => <ConstraintTag constraint={m.constraint} /> },
    { title: t('market.matches.why'), key: 'why', render: (_, m) => <FailureText failure={m} /> },
    { title: t('market.matches.gap'), key: 'gap', width: 90, align: 'right', render: (_, m) => (m.gap >= 1 && (m.constraint === 'model' || m.constraint === 'region' || m.constraint === 'residency' || m.constraint === 'window') ? '—' : `${(m.gap * 100).toFixed(0)}%`) },
  ];

  const excludedCounts = result ? HARD_CONSTRAINTS.filter((c) => (result.excludedCounts[c] ?? 0) > 0) : [];

  return (
    <div data-testid="demand-matches-page">
      <PageHeader
        title={
          <Space>
            {d.title}
            <DemandStatusTag status={d.status} />
          </Space>
        }
        subtitle={`${d.id} · ${d.demanderOrgName ?? ''}`}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={matches.reload} data-testid="matches-reload">
              {t('market.matches.rerun')}
            </Button>
            {owner && canOrder(user) ? (
              <Button icon={<EditOutlined />} onClick={() => repost()} data-testid="demand-repost">
                {t('market.matches.repost')}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card size="small">
          <DemandSummary demand={d} />
        </Card>

        {matches.error && !result ? (
          <ErrorState error={matches.error} onRetry={matches.reload} />
        ) : !result ? (
          <Card>
            <Skeleton active paragraph={{ rows: 6 }} />
          </Card>
        ) : (
          <>
            <Card
              title={t('market.matches.ranked')}
              extra={
                <Typography.Text type="secondary" data-testid="matches-summary">
                  {t('market.matches.summary', { considered: formatNumber(result.offersConsidered, lang), feasible: formatNumber(result.feasibleCount, lang), shown: result.candidates.length, ms: result.matchMs.toFixed(1) })}
                </Typography.Text>
              }
            >
              {result.candidates.length ? (
                <>
                  <Flex gap={12} wrap style={{ marginBottom: 12 }} data-testid="score-legend">
                    <Typography.Text type="secondary">{t('market.matches.legend')}</Typography.Text>
                    {WEIGHT_TERMS.map((term) => (
                      <span key={term} style={{ whiteSpace: 'nowrap' }}>
                        <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: TERM_COLORS[term], marginInlineEnd: 4 }} />
                        {t(`market.term.${term}`)}
                      </span>
                    ))}
                  </Flex>
                  <Table<Candidate>
                    rowKey="offerId"
                    columns={candidateColumns}
                    dataSource={result.candidates}
                    loading={matches.loading}
                    pagination={false}
                    size="small"
                    scroll={{ x: 1020 }}
                    className="suanli-table-numeric"
                    data-testid="candidates-table"
                    onRow={(c) => ({ 'data-testid': `candidate-row-${c.offerId}` }) as React.HTMLAttributes<HTMLElement>}
                    expandable={{
                      expandedRowRender: (c) => (
                        <Flex gap={24} wrap style={{ padding: '4px 8px' }}>
                          <ScoreTable id={c.offerId} score={c.score} terms={c.terms} weights={weights} />
                          <Typography.Text type="secondary" style={{ maxWidth: 360, fontSize: 12 }}>
                            {t('market.matches.explainNote')}
                          </Typography.Text>
                        </Flex>
                      ),
                      defaultExpandedRowKeys: result.candidates.slice(0, 1).map((c) => c.offerId),
                    }}
                  />
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
                    {t('market.matches.method')}
                  </Typography.Paragraph>
                </>
              ) : (
                <Flex vertical gap={12} data-testid="no-match">
                  <Result status="warning" title={t('market.matches.none')} subTitle={result.message ?? undefined} style={{ padding: 16 }} />
                  {result.hints.length ? (
                    <>
                      <Typography.Title level={5} style={{ margin: 0 }}>
                        {t('market.matches.relax')}
                      </Typography.Title>
                      <HintList hints={result.hints} onApply={repost} canApply={owner && canOrder(user)} />
                    </>
                  ) : null}
                  {result.nearestMisses.length ? (
                    <>
                      <Typography.Title level={5} style={{ margin: 0 }}>
                        {t('market.matches.nearest')}
                      </Typography.Title>
                      <Table<NearestMiss> rowKey="offerId" columns={missColumns} dataSource={result.nearestMisses} pagination={false} size="small" data-testid="misses-table" />
                    </>
                  ) : null}
                </Flex>
              )}
            </Card>

            <Card
              title={t('market.matches.excluded', { total: formatNumber(result.excludedTotal, lang) })}
              extra={
                <Space size={4} wrap data-testid="excluded-counts">
                  {excludedCounts.map((c) => (
                    <ConstraintTag key={c} constraint={c} count={result.excludedCounts[c]} />
                  ))}
                </Space>
              }
            >
              {result.excludedTotal === 0 ? (
                <Empty description={t('market.matches.noneExcluded')} />
              ) : (
                <>
                  <Alert type="info" showIcon title={t('market.matches.firstFailed')} style={{ marginBottom: 12 }} />
                  <Table<Exclusion>
                    rowKey="offerId"
                    columns={excludedColumns}
                    dataSource={result.excluded}
                    pagination={false}
                    size="small"
                    loading={matches.loading}
                    data-testid="excluded-table"
                    onRow={(e) => ({ 'data-testid': `excluded-row-${e.offerId}` }) as React.HTMLAttributes<HTMLElement>}
                  />
                  <Flex justify="flex-end" gap={8} align="center" style={{ marginTop: 12 }}>
                    <Typography.Text type="secondary">
                      {result.excludedOffset + 1}–{result.excludedOffset + result.excluded.length} / {result.excludedTotal}
                    </Typography.Text>
                    <Button icon={<LeftOutlined />} size="small" disabled={excludedOffset === 0 || matches.loading} onClick={() => setExcludedOffset(Math.max(0, excludedOffset - EXCLUDED_PAGE))} />
                    <Button
                      icon={<RightOutlined />}
                      size="small"
                      disabled={result.excludedOffset + result.excluded.length >= result.excludedTotal || matches.loading}
                      onClick={() => setExcludedOffset(excludedOffset + EXCLUDED_PAGE)}
                      data-testid="excluded-next"
                    />
                  </Flex>
                </>
              )}
            </Card>
          </>
        )}
      </Flex>
      <OrderDialog
        open={ordering !== null}
        offer={ordering}
        demand={d}
        onClose={() => setOrdering(null)}
        onOrdered={() => {
          demand.reload();
          matches.reload();
        }}
      />
    </div>
  );
}
