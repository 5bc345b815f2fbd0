import { Card, Col, Empty, Flex, Row, Segmented, Select, Space, Spin, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { loadChinaMap } from '../charts/chinaMap/loadMap.ts';
import { EChart } from '../charts/EChart.tsx';
import { buildCircleMapOption } from '../charts/latencyCircles/buildOption.ts';
import { buildHeatmapOption, formatMs, heatmapGrid, heatmapHeight } from '../charts/latencyHeatmap/buildOption.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { CIRCLE_COLORS, CIRCLE_KEYS, type CircleFacility, type CircleKey, type LinkEnd, type NetworkCircles, type NetworkLatency, type WorstLink } from '../networkTypes.ts';
import type { Page, Region } from '../types.ts';

type HeatLevel = 'hub' | 'province';
const DEFAULT_CITY = '140200';
/** Facilities listed under the circle map (the map shows all of them). */
const NEAREST_ROWS = 20;

const isHeatLevel = (value: string | null): value is HeatLevel => value === 'hub' || value === 'province';

function Basis({ basis }: { basis: CircleFacility['basis'] }) {
  const { t } = useI18n();
  const color = basis === 'measured' ? 'green' : basis === 'derived' ? 'blue' : 'default';
  return <Tag color={color}>{t(`network.basis.${basis}`)}</Tag>;
}

function LinkEndView({ end }: { end: LinkEnd }) {
  if (end.kind === 'facility') {
    return (
      <Tooltip title={end.computeId}>
        <Link to={`/facilities/${end.id}`}>{end.name}</Link>
      </Tooltip>
    );
  }
  return <span>{end.name}</span>;
}

export function NetworkPage() {
  const { t, te, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const levelParam = params.get('level');
  const level: HeatLevel = isHeatLevel(levelParam) ? levelParam : 'hub';
  const cityParam = params.get('city');
  const city = cityParam && /^\d{6}$/.test(cityParam) ? cityParam : DEFAULT_CITY;

  const latency = useRequest((signal) => api<NetworkLatency>('/network/latency', { query: { level, worst: 10 }, signal }), [level]);
  const circles = useRequest((signal) => api<NetworkCircles>('/network/circles', { query: { city, limit: 5000 }, signal }), [city]);
  const cities = useRequest((signal) => api<Page<Region>>('/regions', { query: { level: 'city' }, signal }), []);
  const provinces = useRequest((signal) => api<Page<Region>>('/regions', { query: { level: 'province' }, signal }), []);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(name);
    else next.set(name, value);
    setParams(next);
  };

  const cityOptions = useMemo(() => {
    const provinceName = new Map((provinces.data?.items ?? []).map((p) => [p.code, p.shortName]));
    return (cities.data?.items ?? []).map((c) => ({ value: c.code, label: `${c.name} · ${provinceName.get(c.provinceCode) ?? c.provinceCode}` }));
  }, [cities.data, provinces.data]);

  const grid = useMemo(() => (latency.data ? heatmapGrid(latency.data.nodes, latency.data.pairs, lang) : null), [latency.data, lang]);
  const heatOption = useMemo(
    () =>
      grid
        ? buildHeatmapOption(grid, {
            tooltip: t('network.heatTooltip'),
            basis: { measured: t('network.basis.measured'), estimated: t('network.basis.estimated'), mixed: t('network.basis.mixed') },
            unit: 'ms',
          })
        : null,
    [grid, t],
  );

  const mapName = useMemo(() => loadChinaMap().mapName, []);
  const mapOption = useMemo(
    () =>
      circles.data
        ? buildCircleMapOption(mapName, circles.data, {
            circle: { city: t('network.circleLegend.city'), province: t('network.circleLegend.province'), hub: t('network.circleLegend.hub') },
            tooltip: t('network.facilityTooltip'),
            basis: { measured: t('network.basis.measured'), derived: t('network.basis.derived'), estimated: t('network.basis.estimated') },
          })
        : null,
    [circles.data, mapName, t],
  );

  const worstColumns: TableColumnsType<WorstLink> = [
    { title: t('network.from'), key: 'source', render: (_: unknown, link) => <LinkEndView end={link.source} /> },
    { title: t('network.to'), key: 'target', render: (_: unknown, link) => <LinkEndView end={link.target} /> },
    { title: t('network.rtt'), dataIndex: 'rttMs', key: 'rtt', align: 'right', render: (ms: number) => <span data-testid="worst-rtt">{formatMs(ms)}</span> },
    { title: t('network.estimate'), dataIndex: 'estimateRttMs', key: 'estimate', align: 'right', render: (ms: number) => formatMs(ms) },
    { title: t('network.excess'), dataIndex: 'excessRttMs', key: 'excess', align: 'right', render: (ms: number) => <Typography.Text type={ms > 0 ? 'danger' : undefined}>{`${ms > 0 ? '+' : ''}${formatMs(ms)}`}</Typography.Text> },
    { title: t('network.origin'), dataIndex: 'origin', key: 'origin', render: (origin: string) => <Tag>{te('network.origin', origin)}</Tag> },
  ];

  const nearestColumns: TableColumnsType<CircleFacility> = [
    { title: t('network.facility'), key: 'name', render: (_: unknown, f) => <Link to={`/facilities/${f.id}`}>{f.name}</Link> },
    { title: t('network.oneWay'), dataIndex: 'oneWayMs', key: 'oneWay', align: 'right', render: (ms: number) => <span data-testid="nearest-one-way">{formatMs(ms)}</span> },
    {
      title: t('network.circle'),
      dataIndex: 'circle',
      key: 'circle',
      render: (circle: CircleKey) => <Tag color={CIRCLE_COLORS[circle]}>{t(`network.circleName.${circle}`)}</Tag>,
    },
    { title: t('network.basis'), dataIndex: 'basis', key: 'basis', render: (basis: CircleFacility['basis']) => <Basis basis={basis} /> },
    { title: t('network.rtt'), dataIndex: 'rttMs', key: 'rtt', align: 'right', render: (ms: number) => formatMs(ms) },
    { title: t('network.computeId'), dataIndex: 'computeId', key: 'computeId' },
  ];

  const subtitle = (
    <Space size={6} wrap data-testid="network-method">
      <span>{t('network.subtitle')}</span>
      {latency.data ? (
        <Tooltip title={t('network.methodHint', { path: latency.data.model.method })}>
          <Typography.Text code>{latency.data.model.method}</Typography.Text>
        </Tooltip>
      ) : null}
      {latency.data ? (
        <Tag color={latency.data.measuredRows > 0 ? 'green' : 'default'} data-testid="network-measured">
          {latency.data.measuredRows > 0
            ? t('network.measuredRows', { count: formatNumber(latency.data.measuredRows, lang), at: formatDateTime(latency.data.newestMeasurement, lang) })
            : t('network.nothingMeasured')}
        </Tag>
      ) : null}
    </Space>
  );

  return (
    <div data-testid="network-page">
      <PageHeader title={t('network.title')} subtitle={subtitle} />
      <Flex vertical gap={16}>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={13}>
            <Card
              title={t('network.heatmap')}
              extra={
                <Segmented<HeatLevel>
                  value={level}
                  onChange={(next) => setParam('level', next === 'hub' ? null : next)}
                  options={[
                    { label: t('network.level.hub'), value: 'hub' },
                    { label: t('network.level.province'), value: 'province' },
                  ]}
                  data-testid="heatmap-level"
                />
              }
            >
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('network.heatmapExplain')}
              </Typography.Paragraph>
              {latency.error && !latency.data ? (
                <ErrorState error={latency.error} onRetry={latency.reload} />
              ) : heatOption && grid ? (
                <Spin spinning={latency.loading}>
                  <EChart option={heatOption} testId="latency-heatmap" style={{ height: heatmapHeight(grid.names.length) }} ariaLabel={t('network.heatmap')} />
                </Spin>
              ) : (
                <Flex justify="center" align="center" style={{ height: 320 }}>
                  <Spin />
                </Flex>
              )}
            </Card>
          </Col>
          <Col xs={24} xl={11}>
            <Card title={t('network.worstLinks')} data-testid="worst-links-card">
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('network.worstExplain')}
              </Typography.Paragraph>
              <Table<WorstLink>
                rowKey={(link) => `${link.source.id}>${link.target.id}`}
                size="small"
                columns={worstColumns}
                dataSource={latency.data?.worstLinks ?? []}
                loading={latency.loading}
                pagination={false}
                locale={{ emptyText: <Empty description={t('network.noMeasuredLinks')} /> }}
                scroll={{ x: 'max-content' }}
                data-testid="worst-links"
              />
            </Card>
          </Col>
        </Row>

        <Card
          title={t('network.circles')}
          extra={
            <Space>
              <Typography.Text type="secondary">{t('network.city')}</Typography.Text>
              <Select
                showSearch
                value={city}
                onChange={(code: string) => setParam('city', code)}
                options={cityOptions}
                optionFilterProp="label"
                loading={cities.loading}
                style={{ width: 240 }}
                data-testid="circle-city-picker"
              />
            </Space>
          }
          data-testid="circles-card"
        >
          {circles.error && !circles.data ? (
            <ErrorState error={circles.error} onRetry={circles.reload} />
          ) : !circles.data ? (
            <Flex justify="center" align="center" style={{ height: 320 }}>
              <Spin />
            </Flex>
          ) : (
            <Spin spinning={circles.loading}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('network.circlesExplain', { city: circles.data.city.name })}
              </Typography.Paragraph>
              <Row gutter={[16, 16]} style={{ marginBottom: 8 }}>
                {CIRCLE_KEYS.map((key) => {
                  const circle = circles.data!.circles.find((c) => c.key === key);
                  return (
                    <Col xs={24} md={8} key={key}>
                      <Card size="small" style={{ borderTop: `3px solid ${CIRCLE_COLORS[key]}` }} data-testid={`circle-${key}`}>
                        <Statistic
                          title={t(`network.circleTitle.${key}`, { ms: circle?.maxOneWayMs ?? 0, km: circle?.radiusKm ?? 0 })}
                          value={circle?.facilities ?? 0}
                          suffix={t('network.facilitiesUnit')}
                          valueRender={() => <span data-testid={`circle-count-${key}`}>{circle?.facilities ?? 0}</span>}
                        />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`circle-racks-${key}`}>
                          {t('network.circleRacks', { racks: formatNumber(circle?.racksDesigned ?? 0, lang) })}
                          {' · '}
                          {t('network.circleBasis', { measured: circle?.byBasis.measured ?? 0, derived: circle?.byBasis.derived ?? 0, estimated: circle?.byBasis.estimated ?? 0 })}
                        </Typography.Text>
                      </Card>
                    </Col>
                  );
                })}
              </Row>
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={14}>
                  {mapOption ? <EChart option={mapOption} testId="circle-map" style={{ height: 560 }} ariaLabel={t('network.circles')} /> : null}
                </Col>
                <Col xs={24} xl={10}>
                  <Table<CircleFacility>
                    rowKey="id"
                    size="small"
                    columns={nearestColumns}
                    dataSource={circles.data.facilities.slice(0, NEAREST_ROWS)}
                    pagination={false}
                    title={() => t('network.nearest', { count: Math.min(NEAREST_ROWS, circles.data!.facilities.length), total: circles.data!.total })}
                    locale={{ emptyText: <Empty description={t('network.noFacilities')} /> }}
                    scroll={{ x: 'max-content' }}
                    data-testid="nearest-facilities"
                  />
                </Col>
              </Row>
            </Spin>
          )}
        </Card>
      </Flex>
    </div>
  );
}
