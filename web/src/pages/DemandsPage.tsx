/**
 * Demands (我的需求): a demander's own demands, a government body's those naming a place in its
 * jurisdiction, an administrator's all — each opening its ranked matches.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Segmented, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { CursorTable } from '../components/CursorTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionName } from '../components/RegionName.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import { formatCny } from '../features/market/format.ts';
import type { Demand } from '../features/market/types.ts';
import { DemandStatusTag } from '../features/market/ui.tsx';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canPostDemand } from '../roles.ts';
import type { Page } from '../types.ts';

const STATUSES = ['all', 'open', 'ordered', 'closed'] as const;
type StatusFilter = (typeof STATUSES)[number];
const LIMIT = 20;

export function DemandsPage() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') as StatusFilter | null;
  const status: StatusFilter = statusParam && STATUSES.includes(statusParam) ? statusParam : 'all';
  const pages = useCursorStack(status);
  const list = useRequest(
    (signal) => api<Page<Demand>>('/demands', { query: { status: status === 'all' ? undefined : status, limit: LIMIT, cursor: pages.cursor }, signal }),
    [status, pages.cursor],
  );
  const mine = canPostDemand(user);

  const columns: TableColumnsType<Demand> = [
    {
      title: t('market.demand.titleLabel'),
      key: 'title',
      render: (_, d) => (
        <Flex vertical gap={2}>
          <Link to={`/market/demands/${encodeURIComponent(d.id)}`} data-testid={`demand-link-${d.id}`}>
            {d.title}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.id}
            {mine ? '' : ` · ${d.demanderOrgName ?? d.demanderOrgId}`}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('market.demand.need'),
      key: 'need',
      width: 180,
      render: (_, d) => `${d.count} × ${d.hard.acceleratorModel ?? t('market.demand.tflopsNeed', { tflops: d.hard.minTflops ?? '—', precision: (d.hard.precision ?? '').toUpperCase() })}`,
    },
    {
      title: t('market.demand.window'),
      key: 'window',
      width: 190,
      render: (_, d) => (
        <Flex vertical gap={0}>
          <span>{formatDateTime(d.start, lang)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('market.hoursValue', { hours: formatNumber(d.durationHours, lang, 1) })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('market.demand.latencyBound'),
      key: 'latency',
      width: 160,
      render: (_, d) =>
        d.latency ? (
          <span>
            ≤ {d.latency.maxMs} ms · <RegionName code={d.latency.fromRegionCode} fallback={d.latency.fromRegionName} tail={1} />
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('market.demand.maxPrice'), key: 'price', width: 110, align: 'right', render: (_, d) => (d.maxPricePerUnit === null ? '—' : formatCny(d.maxPricePerUnit, lang)) },
    { title: t('field.status'), key: 'status', width: 90, render: (_, d) => <DemandStatusTag status={d.status} /> },
    { title: t('field.createdAt'), key: 'createdAt', width: 150, render: (_, d) => formatDateTime(d.createdAt, lang) },
  ];

  return (
    <div data-testid="demands-page">
      <PageHeader
        title={mine ? t('nav.myDemands') : t('nav.demands')}
        subtitle={t('market.demands.subtitle')}
        extra={
          mine ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/market/demands/new')} data-testid="demands-new">
              {t('market.demand.post')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
          <Segmented<StatusFilter>
            value={status}
            onChange={(value) => setParams(value === 'all' ? {} : { status: value }, { replace: true })}
            options={STATUSES.map((s) => ({ value: s, label: s === 'all' ? t('common.all') : te('market.demandStatus', s) }))}
            data-testid="demand-status-filter"
          />
        </Flex>
        <CursorTable<Demand>
          list={list}
          pages={pages}
          testId="demands-table"
          rowKey="id"
          columns={columns}
          size="small"
          scroll={{ x: 1080 }}
          empty={t('market.demands.empty')}
        />
      </Card>
    </div>
  );
}
