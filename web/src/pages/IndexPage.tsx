import { Alert, Button, Card, Col, Empty, Flex, Row, Segmented, Select, Slider, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { EChart } from '../charts/EChart.tsx';
import { buildRadarOption, defaultRadarSelection, RADAR_COLORS, RADAR_MAX_REGIONS } from '../charts/indexRadar/buildOption.ts';
import { buildSensitivityOption, sensitivityGrid, sensitivityHeight } from '../charts/indexSensitivity/buildOption.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { INDEX_DIMENSIONS, type IndexDimension, type IndexLevel, type IndexRegion, type IndexResult, type IndexSensitivity } from '../types.ts';

type Weights = Record<IndexDimension, number>;

/** Rows of the heat-map at most; at city level the top ones, the rest in the rank-range table. */
const HEATMAP_MAX_ROWS = 60;
const DIMENSION_COLORS: Record<IndexDimension, string> = {
  compute: '#1d4ed8',
  storage: '#7c3aed',
  network: '#0891b2',
  model: '#98a2b3',
  environment: '#16a34a',
};

const isLevel = (value: string | null): value is IndexLevel => value === 'province' || value === 'city';

/** Weights in proportion, summing to 1 (all zero stays all zero). */
export function normaliseWeights(weights: Weights): Weights {
  const sum = INDEX_DIMENSIONS.reduce((total, d) => total + Math.max(0, weights[d]), 0);
  return Object.fromEntries(INDEX_DIMENSIONS.map((d) => [d, sum > 0 ? Math.max(0, weights[d]) / sum : 0])) as Weights;
}

/** The API's `weights=` text: `compute:0.35,storage:0.2,…`, every dimension, normalised, 4 decimals. */
export function weightsParam(weights: Weights): string {
  const normalised = normaliseWeights(weights);
  return INDEX_DIMENSIONS.map((d) => `${d}:${Number(normalised[d].toFixed(4))}`).join(',');
}

const pctText = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function ScoreBar({ score, color, muted, testId }: { score: number; color: string; muted?: boolean; testId?: string }) {
  const clamped = Math.max(0, Math.min(100, score));
  return (
    <Flex align="center" gap={4} style={{ minWidth: 62 }} data-testid={testId}>
      <div style={{ width: 36, height: 6, borderRadius: 3, background: '#eef2f7', overflow: 'hidden', flex: 'none' }}>
        <div style={{ width: `${clamped}%`, height: '100%', background: muted ? '#d0d5dd' : color }} />
      </div>
      <span style={{ fontSize: 12, color: muted ? '#98a2b3' : undefined, fontVariantNumeric: 'tabular-nums' }}>{score.toFixed(0)}</span>
    </Flex>
  );
}

export function IndexPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const levelParam = params.get('level');
  const level: IndexLevel = isLevel(levelParam) ? levelParam : 'province';

  /** Weights applied to the query (null: the server's defaults). */
  const [applied, setApplied] = useState<Weights | null>(null);
  /** Slider positions (0–100, any sum): what "apply" would send. */
  const [draft, setDraft] = useState<Weights | null>(null);
  /** Default weights as the server sent them without `weights=`. */
  const [defaults, setDefaults] = useState<Weights | null>(null);
  const [picked, setPicked] = useState<string[] | null>(null);

  const query = applied ? weightsParam(applied) : undefined;
  const index = useRequest((signal) => api<IndexResult>('/index', { query: { level, weights: query }, signal }), [level, query]);
  const sensitivity = useRequest((signal) => api<IndexSensitivity>('/index/sensitivity', { query: { level, weights: query }, signal }), [level, query]);
  const data = index.data;

  useEffect(() => {
    if (!data) return;
    const fromServer = Object.fromEntries(INDEX_DIMENSIONS.map((d) => [d, data.weights.dimensions[d] ?? 0])) as Weights;
    if (!applied) setDefaults(fromServer);
    // Sliders show what the server used, until the user moves them.
    setDraft((current) => current ?? Object.fromEntries(INDEX_DIMENSIONS.map((d) => [d, Math.round(fromServer[d] * 1000) / 10])) as Weights);
  }, [data, applied]);

  const regions = useMemo(() => [...(data?.regions ?? [])].sort((a, b) => a.rank - b.rank), [data]);
  const byCode = useMemo(() => new Map(regions.map((r) => [r.code, r])), [regions]);
  const selection = useMemo(() => {
    const chosen = (picked ?? defaultRadarSelection(regions)).filter((code) => byCode.has(code));
    return chosen.length ? chosen : defaultRadarSelection(regions);
  }, [picked, regions, byCode]);

  const dimensionLabels = useMemo(
    () => Object.fromEntries(INDEX_DIMENSIONS.map((d) => [d, t(`index.dimension.${d}`)])) as Record<IndexDimension, string>,
    [t],
  );
  const unavailable = useMemo(() => new Set(INDEX_DIMENSIONS.filter((d) => regions.length > 0 && regions.every((r) => r.dimensions[d]?.available === false))), [regions]);

  const radarOption = useMemo(
    () =>
      buildRadarOption({
        regions: selection.map((code) => byCode.get(code)).filter((r): r is IndexRegion => Boolean(r)),
        dimensionLabels,
        noDataSuffix: t('index.noDataSuffix'),
      }),
    [selection, byCode, dimensionLabels, t],
  );

  const grid = useMemo(() => {
    if (!sensitivity.data) return null;
    const full = sensitivityGrid(sensitivity.data, dimensionLabels);
    if (full.rows.length <= HEATMAP_MAX_ROWS) return full;
    const rows = full.rows.slice(0, HEATMAP_MAX_ROWS);
    return { ...full, rows, cells: full.cells.filter((cell) => cell[1] < HEATMAP_MAX_ROWS) };
  }, [sensitivity.data, dimensionLabels]);
  const heatOption = useMemo(
    () => (grid ? buildSensitivityOption(grid, { dimensions: dimensionLabels, tooltip: t('index.sensitivityTooltip'), shift: t('index.sensitivityShift') }) : null),
    [grid, dimensionLabels, t],
  );

  const setLevel = (next: IndexLevel) => {
    const merged = new URLSearchParams(params);
    if (next === 'province') merged.delete('level');
    else merged.set('level', next);
    setParams(merged);
    setPicked(null);
  };

  const normalisedDraft = draft ? normaliseWeights(draft) : null;
  const draftSum = draft ? INDEX_DIMENSIONS.reduce((total, d) => total + draft[d], 0) : 0;
  const apply = () => {
    if (!draft || draftSum <= 0) return;
    setApplied(normaliseWeights(draft));
  };
  const reset = () => {
    setApplied(null);
    if (defaults) setDraft(Object.fromEntries(INDEX_DIMENSIONS.map((d) => [d, Math.round(defaults[d] * 1000) / 10])) as Weights);
  };

  const columns: TableColumnsType<IndexRegion> = [
    { title: t('index.rank'), dataIndex: 'rank', key: 'rank', width: 52, align: 'right', render: (rank: number) => <span data-testid="index-rank">{rank}</span> },
    { title: t('index.region'), dataIndex: 'name', key: 'name', render: (name: string) => <span data-testid="index-region">{name}</span> },
    {
      title: t('index.score'),
      dataIndex: 'score',
      key: 'score',
      align: 'right',
      render: (score: number) => <Typography.Text strong>{score.toFixed(1)}</Typography.Text>,
    },
    ...INDEX_DIMENSIONS.map((d) => ({
      title: unavailable.has(d) ? (
        <Tooltip title={t('index.noData')}>
          <span style={{ color: '#98a2b3' }}>{dimensionLabels[d]}</span>
        </Tooltip>
      ) : (
        dimensionLabels[d]
      ),
      key: d,
      render: (_: unknown, region: IndexRegion) => {
        const dimension = region.dimensions[d];
        return <ScoreBar score={dimension?.score ?? 0} color={DIMENSION_COLORS[d]} muted={dimension?.available === false} testId={`bar-${d}`} />;
      },
    })),
  ];

  const rangeColumns: TableColumnsType<IndexSensitivity['regions'][number]> = [
    { title: t('index.rank'), dataIndex: 'rank', key: 'rank', width: 56, align: 'right' },
    { title: t('index.region'), dataIndex: 'name', key: 'name' },
    { title: t('index.bestRank'), dataIndex: 'bestRank', key: 'bestRank', align: 'right', render: (v: number, r) => <span style={{ color: v < r.rank ? '#15803d' : undefined }}>{v}</span> },
    { title: t('index.worstRank'), dataIndex: 'worstRank', key: 'worstRank', align: 'right', render: (v: number, r) => <span style={{ color: v > r.rank ? '#b91c1c' : undefined }}>{v}</span> },
  ];

  const method = data ? (
    <Space size={6} wrap data-testid="index-method">
      <Tooltip title={t('index.methodHint', { path: data.method })}>
        <Typography.Text>
          {t('index.method')}: <Typography.Text code copyable={{ text: data.method }} data-testid="method-link">{data.method}</Typography.Text>
        </Typography.Text>
      </Tooltip>
      <Tag color="blue" data-testid="method-version">
        {t('index.methodVersion', { version: data.version })}
      </Tag>
      {applied ? <Tag color="orange">{t('index.weightsCustom')}</Tag> : <Tag>{t('index.weightsDefault')}</Tag>}
    </Space>
  ) : (
    t('index.subtitle')
  );

  const rangeRows = [...(sensitivity.data?.regions ?? [])].sort((a, b) => a.rank - b.rank);
  const heatRows = grid?.rows.length ?? 0;
  const totalRows = sensitivity.data?.regions.length ?? 0;

  return (
    <div data-testid="index-page">
      <PageHeader
        title={t('index.title')}
        subtitle={method}
        extra={
          <Space>
            <Typography.Text type="secondary">{t('index.level')}</Typography.Text>
            <Segmented<IndexLevel>
              value={level}
              onChange={setLevel}
              options={[
                { label: t('index.level.province'), value: 'province' },
                { label: t('index.level.city'), value: 'city' },
              ]}
              data-testid="index-level"
            />
          </Space>
        }
      />

      {index.error && !data ? (
        <Card>
          <ErrorState error={index.error} onRetry={index.reload} />
        </Card>
      ) : (
        <Flex vertical gap={16}>
          {unavailable.has('model') ? (
            <Alert type="info" showIcon title={t('index.modelNoData')} description={t('index.modelNoDataHint')} data-testid="model-no-data" />
          ) : null}

          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card title={`${t('index.ranking')} · ${t(`index.level.${level}`)}`} styles={{ body: { paddingTop: 8 } }}>
                <Table<IndexRegion>
                  rowKey="code"
                  size="small"
                  columns={columns}
                  dataSource={regions}
                  loading={index.loading}
                  pagination={regions.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                  onRow={(region) => ({ 'data-testid': `index-row-${region.code}` }) as React.HTMLAttributes<HTMLElement>}
                  locale={{ emptyText: <Empty description={t('common.noData')} /> }}
                  scroll={{ x: 'max-content' }}
                  data-testid="index-table"
                />
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Flex vertical gap={16}>
                <Card title={t('index.radar')}>
                  <Select
                    mode="multiple"
                    maxCount={RADAR_MAX_REGIONS}
                    value={selection}
                    onChange={(codes: string[]) => setPicked(codes)}
                    options={regions.map((r) => ({ value: r.code, label: `${r.rank}. ${r.name}` }))}
                    optionFilterProp="label"
                    placeholder={t('index.radarPick')}
                    style={{ width: '100%', marginBottom: 8 }}
                    tagRender={({ label, value, closable, onClose }) => {
                      const position = selection.indexOf(String(value));
                      return (
                        <Tag color={RADAR_COLORS[position]} closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }}>
                          {label}
                        </Tag>
                      );
                    }}
                    data-testid="radar-select"
                  />
                  {data ? (
                    <EChart option={radarOption} testId="index-radar" style={{ height: 340 }} ariaLabel={t('index.radar')} />
                  ) : (
                    <Flex justify="center" align="center" style={{ height: 340 }}>
                      <Spin />
                    </Flex>
                  )}
                </Card>

                <Card
                  title={t('index.weights')}
                  extra={
                    <Space>
                      <Button size="small" onClick={reset} data-testid="weights-reset">
                        {t('index.weightsReset')}
                      </Button>
                      <Button size="small" type="primary" onClick={apply} disabled={!draft || draftSum <= 0} data-testid="weights-apply">
                        {t('index.weightsApply')}
                      </Button>
                    </Space>
                  }
                  data-testid="weights-panel"
                >
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                    {t('index.weightsHint')}
                  </Typography.Paragraph>
                  {INDEX_DIMENSIONS.map((d) => (
                    <Flex key={d} align="center" gap={12} data-testid={`weight-${d}`}>
                      <span style={{ width: 84, flex: 'none' }}>
                        {dimensionLabels[d]}
                        {unavailable.has(d) ? (
                          <Typography.Text type="secondary" style={{ fontSize: 11, display: 'block' }}>
                            {t('index.noData')}
                          </Typography.Text>
                        ) : null}
                      </span>
                      <Slider
                        style={{ flex: 1 }}
                        min={0}
                        max={100}
                        step={1}
                        value={draft?.[d] ?? 0}
                        disabled={!draft}
                        onChange={(value: number) => setDraft((current) => (current ? { ...current, [d]: value } : current))}
                        tooltip={{ formatter: null }}
                        data-testid={`weight-slider-${d}`}
                      />
                      <span style={{ width: 52, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }} data-testid={`weight-pct-${d}`}>
                        {normalisedDraft ? pctText(normalisedDraft[d]) : '—'}
                      </span>
                    </Flex>
                  ))}
                  {draft && draftSum <= 0 ? <Alert type="warning" showIcon title={t('index.weightsZero')} style={{ marginTop: 8 }} /> : null}
                </Card>
              </Flex>
            </Col>
          </Row>

          <Card
            title={t('index.sensitivity')}
            extra={
              sensitivity.data ? (
                <Typography.Text type="secondary" data-testid="sensitivity-max">
                  {t('index.sensitivityMax', { shift: sensitivity.data.maxRankShift })}
                </Typography.Text>
              ) : undefined
            }
            data-testid="sensitivity-card"
          >
            <Typography.Paragraph data-testid="sensitivity-explain">{t('index.sensitivityExplain')}</Typography.Paragraph>
            {sensitivity.error && !sensitivity.data ? (
              <ErrorState error={sensitivity.error} onRetry={sensitivity.reload} />
            ) : (
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={15}>
                  {heatOption && grid ? (
                    <Spin spinning={sensitivity.loading}>
                      {heatRows < totalRows ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('index.sensitivityTop', { count: heatRows, total: totalRows })}
                        </Typography.Text>
                      ) : null}
                      <EChart option={heatOption} testId="index-sensitivity" style={{ height: sensitivityHeight(heatRows) }} ariaLabel={t('index.sensitivity')} />
                    </Spin>
                  ) : (
                    <Flex justify="center" align="center" style={{ height: 320 }}>
                      <Spin />
                    </Flex>
                  )}
                </Col>
                <Col xs={24} xl={9}>
                  <Table
                    rowKey="code"
                    size="small"
                    columns={rangeColumns}
                    dataSource={rangeRows}
                    loading={sensitivity.loading}
                    pagination={totalRows > 40 ? { pageSize: 40, showSizeChanger: false } : false}
                    title={() => t('index.rankRange')}
                    data-testid="sensitivity-table"
                  />
                </Col>
              </Row>
            )}
          </Card>
        </Flex>
      )}
    </div>
  );
}
