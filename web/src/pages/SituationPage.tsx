/**
 * 态势感知 / Live situation: the live telemetry aggregates of a region (GET /monitoring/regions/{code}),
 * refreshed on its own every 15 s while the page is visible — KPI cards, a map coloured by
 * utilisation with drill-down, the trend, and the child regions or facilities with their latest
 * values. Figures the server withholds (they would tell a facility's data) are shown as such.
 */
import { LockOutlined } from '@ant-design/icons';
import { Alert, Badge, Breadcrumb, Card, Col, Empty, Flex, Row, Segmented, Space, Spin, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { fullCode, matchFeatures } from '../charts/chinaMap/geo.ts';
import { isProvinceCode, useRegionMap } from '../charts/chinaMap/useRegionMap.ts';
import { EChart } from '../charts/EChart.tsx';
import { buildSituationMapOption, buildSituationTrendOption } from '../charts/situation/buildOption.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatAccelerators, formatClock, formatPower, formatPueValue, formatRatio } from '../features/situation/display.ts';
import type { Figure, MapMeasure, Situation, SituationChild, SituationFacility, SituationFigures, TrendRange } from '../features/situation/types.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import { usePolling } from '../hooks/usePolling.ts';
import { useRegion } from '../hooks/useRegionName.ts';
import { type MessageKey, useI18n } from '../i18n.ts';

/** How often the live figures are fetched, and the trend. */
export const LIVE_INTERVAL_MS = 15_000;
const TREND_INTERVAL_MS = 60_000;
const RANGES: TrendRange[] = ['24h', '7d', '30d'];
const MEASURES: MapMeasure[] = ['rackUtilization', 'acceleratorUtilization'];
const COUNTRY = '000000';

const isRange = (value: string | null): value is TrendRange => RANGES.includes(value as TrendRange);
const isMeasure = (value: string | null): value is MapMeasure => MEASURES.includes(value as MapMeasure);

export function SituationPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const region = params.get('region');
  const code = region && /^\d{6}$/.test(region) ? region : COUNTRY;
  const range: TrendRange = isRange(params.get('range')) ? (params.get('range') as TrendRange) : '24h';
  const measure: MapMeasure = isMeasure(params.get('measure')) ? (params.get('measure') as MapMeasure) : 'rackUtilization';
  const regionInfo = useRegion(code === COUNTRY ? null : code);
  const path = `/monitoring/regions/${code}`;

  const live = usePolling((signal) => api<Situation>(path, { query: { trend: false }, signal, quiet: true }), [path], LIVE_INTERVAL_MS);
  const trendAnswer = usePolling((signal) => api<Situation>(path, { query: { range }, signal, quiet: true }), [path, range], TREND_INTERVAL_MS);
  const current = live.data;
  const trend = trendAnswer.data?.trend ?? null;

  const setQuery = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged);
  };
  const regionLink = (target: string) => {
    const next = new URLSearchParams(params);
    if (target === COUNTRY) next.delete('region');
    else next.set('region', target);
    const text = next.toString();
    return `/situation${text ? `?${text}` : ''}`;
  };

  // The map: the country, a province's cities; none below.
  const map = useRegionMap(code);
  const children = useMemo(() => current?.children ?? [], [current]);
  const matched = useMemo(() => (map ? matchFeatures(map.features, children) : new Map<string, SituationChild>()), [map, children]);
  // Regions with telemetry that the map has no shape for are named under it, so nothing is hidden.
  const notOnMap = useMemo(() => {
    if (!map) return [];
    const shown = new Set([...matched.values()].map((c) => c.code));
    return children.filter((c) => !shown.has(c.code) && c.facilities.connected > 0);
  }, [map, matched, children]);
  const measureLabel = t(`situation.measure.${measure}` as MessageKey);
  const withheldText = t('situation.withheld');
  const mapOption = useMemo(
    () =>
      map
        ? buildSituationMapOption({
            mapName: map.mapName,
            features: map.features,
            matched,
            measure,
            labels: { measure: measureLabel, reporting: t('situation.col.reporting'), itPower: t('situation.kpi.itPower'), pue: 'PUE', noData: t('common.noData'), withheld: withheldText },
            lang,
            showLabels: code !== COUNTRY,
          })
        : null,
    [map, matched, measure, measureLabel, lang, code, t, withheldText],
  );
  const trendOption = useMemo(
    () =>
      trend && trend.points.length > 0
        ? buildSituationTrendOption(trend.points, { itPower: t('situation.kpi.itPower'), rackUtilization: t('situation.measure.rackUtilization'), acceleratorUtilization: t('situation.measure.acceleratorUtilization') }, lang)
        : null,
    [trend, lang, t],
  );

  const onMapClick = (raw: unknown) => {
    const clicked = raw as { name?: string; data?: { code?: string } | null };
    let target = clicked.data?.code;
    if (!target && clicked.name && map) {
      const feature = map.features.find((f) => f.name === clicked.name);
      if (feature) target = matched.get(feature.name)?.code ?? fullCode(feature.code);
    }
    if (target) navigate(regionLink(target));
  };

  // Breadcrumb: 全国 › province › city › county.
  const steps = code === COUNTRY ? [] : regionInfo?.path?.length ? regionInfo.path : [{ code, name: current?.region.name ?? code }];
  const crumbs = [
    { key: COUNTRY, title: code === COUNTRY ? t('overview.national') : <Link to={regionLink(COUNTRY)} data-testid="situation-crumb-national">{t('overview.national')}</Link> },
    ...steps.map((step, index) => ({
      key: step.code,
      title: index < steps.length - 1 ? <Link to={regionLink(step.code)}>{step.name}</Link> : <span data-testid="situation-crumb-current">{step.name}</span>,
    })),
  ];
  const regionName = code === COUNTRY ? t('overview.national') : (current?.region.name ?? regionInfo?.name ?? code);

  // ---------------------------------------------------------------- pieces

  const withheldHint = t('situation.withheldHint');
  const figure = (figures: SituationFigures, name: Figure, text: string) =>
    figures.withheld.includes(name) ? (
      <Tooltip title={withheldHint}>
        <Typography.Text type="secondary" data-testid="situation-withheld">
          <LockOutlined /> {withheldText}
        </Typography.Text>
      </Tooltip>
    ) : (
      text
    );

  const liveState = live.paused ? 'paused' : live.error ? 'failing' : 'live';
  const liveIndicator = (
    <Space size={12} data-testid="situation-live" data-state={liveState}>
      <Badge status={liveState === 'paused' ? 'default' : liveState === 'failing' ? 'error' : 'processing'} text={t(`situation.${liveState}` as MessageKey)} />
      <Typography.Text type="secondary" data-testid="situation-updated">
        {t('situation.updated', { time: formatClock(current?.at, lang) })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('situation.every', { seconds: LIVE_INTERVAL_MS / 1000 })}
      </Typography.Text>
    </Space>
  );

  const totals = current?.totals;
  const kpis: { key: string; title: string; value: React.ReactNode; extra: React.ReactNode }[] = totals
    ? [
        {
          key: 'reporting',
          title: t('situation.kpi.reporting'),
          value: `${formatNumber(totals.facilities.reporting, lang)} / ${formatNumber(totals.facilities.connected, lang)}`,
          extra: t('situation.kpi.reportingExtra', { silent: formatNumber(totals.facilities.silent, lang), registered: formatNumber(totals.facilities.registered, lang) }),
        },
        { key: 'itPower', title: t('situation.kpi.itPower'), value: figure(totals, 'itPowerKw', formatPower(totals.itPowerKw, lang)), extra: t('situation.kpi.contributors', { count: totals.contributors.itPowerKw }) },
        { key: 'pue', title: t('situation.kpi.pue'), value: figure(totals, 'pue', formatPueValue(totals.pue)), extra: t('situation.kpi.contributors', { count: totals.contributors.pue }) },
        {
          key: 'rackUtilization',
          title: t('situation.kpi.rackUtilization'),
          value: figure(totals, 'rackUtilization', formatRatio(totals.rackUtilization.weighted)),
          extra: t('situation.kpi.rackAverage', { value: formatRatio(totals.rackUtilization.average) }),
        },
        {
          key: 'acceleratorUtilization',
          title: t('situation.kpi.acceleratorUtilization'),
          value: figure(totals, 'acceleratorUtilization', formatRatio(totals.acceleratorUtilization)),
          extra: t('situation.kpi.contributors', { count: totals.contributors.acceleratorUtilization }),
        },
        { key: 'accelerators', title: t('situation.kpi.accelerators'), value: figure(totals, 'accelerators', formatAccelerators(totals, lang)), extra: t('situation.kpi.contributors', { count: totals.contributors.accelerators }) },
        { key: 'availability', title: t('situation.kpi.availability'), value: figure(totals, 'availability', formatRatio(totals.availability)), extra: t('situation.kpi.contributors', { count: totals.contributors.availability }) },
      ]
    : [];

  const figureColumns = <T extends SituationFigures>(): TableColumnsType<T> => [
    {
      title: t('situation.kpi.itPower'),
      key: 'itPowerKw',
      align: 'right',
      sorter: (a, b) => (a.itPowerKw ?? -1) - (b.itPowerKw ?? -1),
      render: (_, row) => figure(row, 'itPowerKw', formatPower(row.itPowerKw, lang)),
    },
    { title: 'PUE', key: 'pue', align: 'right', sorter: (a, b) => (a.pue ?? -1) - (b.pue ?? -1), render: (_, row) => figure(row, 'pue', formatPueValue(row.pue)) },
    {
      title: t('situation.measure.rackUtilization'),
      key: 'rackUtilization',
      align: 'right',
      sorter: (a, b) => (a.rackUtilization.weighted ?? -1) - (b.rackUtilization.weighted ?? -1),
      render: (_, row) => figure(row, 'rackUtilization', formatRatio(row.rackUtilization.weighted)),
    },
    {
      title: t('situation.measure.acceleratorUtilization'),
      key: 'acceleratorUtilization',
      align: 'right',
      sorter: (a, b) => (a.acceleratorUtilization ?? -1) - (b.acceleratorUtilization ?? -1),
      render: (_, row) => figure(row, 'acceleratorUtilization', formatRatio(row.acceleratorUtilization)),
    },
    { title: t('situation.kpi.accelerators'), key: 'accelerators', align: 'right', render: (_, row) => figure(row, 'accelerators', formatAccelerators(row, lang)) },
    { title: t('situation.kpi.availability'), key: 'availability', align: 'right', render: (_, row) => figure(row, 'availability', formatRatio(row.availability)) },
  ];

  const childColumns: TableColumnsType<SituationChild> = [
    {
      title: t('situation.col.region'),
      key: 'name',
      render: (_, child) => (
        <Link to={regionLink(child.code)} data-testid={`situation-drill-${child.code}`}>
          {child.name}
        </Link>
      ),
    },
    {
      title: t('situation.col.reporting'),
      key: 'reporting',
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.facilities.reporting - b.facilities.reporting || a.facilities.connected - b.facilities.connected,
      render: (_, child) => (
        <Space size={4}>
          <span>{`${child.facilities.reporting} / ${child.facilities.connected}`}</span>
          {child.facilities.silent > 0 ? <Tag color="default">{t('situation.silentCount', { count: child.facilities.silent })}</Tag> : null}
        </Space>
      ),
    },
    ...figureColumns<SituationChild>(),
  ];

  const facilityColumns: TableColumnsType<SituationFacility> = [
    {
      title: t('situation.col.facility'),
      key: 'name',
      render: (_, f) => (
        <Link to={`/facilities/${encodeURIComponent(f.id)}`} data-testid={`situation-facility-${f.id}`}>
          {f.name}
        </Link>
      ),
    },
    {
      title: t('situation.col.status'),
      key: 'status',
      render: (_, f) => (
        <Tooltip title={t('situation.silentHint', { minutes: (current?.silentAfterSeconds ?? 600) / 60 })}>
          <Tag color={f.status === 'reporting' ? 'green' : 'default'}>{t(`situation.status.${f.status}` as MessageKey)}</Tag>
        </Tooltip>
      ),
    },
    { title: t('situation.col.lastSample'), key: 'lastSampleAt', render: (_, f) => formatDateTime(f.lastSampleAt, lang) },
    ...figureColumns<SituationFacility>(),
  ];

  const anyWithheld = current ? current.totals.withheld.length > 0 || current.children.some((c) => c.withheld.length > 0) : false;
  const firstLoad = !current && !live.error;
  const facilityLevel = current?.childLevel === 'facility' || (!current && !isProvinceCode(code) && code !== COUNTRY);

  return (
    <div data-testid="situation-page">
      <PageHeader title={t('situation.title')} subtitle={<Breadcrumb items={crumbs} data-testid="situation-breadcrumb" />} extra={liveIndicator} />
      {live.error && !current ? (
        <Card>
          <ErrorState error={live.error} onRetry={live.reload} />
        </Card>
      ) : (
        <Flex vertical gap={16}>
          {firstLoad ? (
            <Card>
              <Flex justify="center" style={{ padding: 48 }}>
                <Spin size="large" />
              </Flex>
            </Card>
          ) : (
            <div className="suanli-stat-grid" data-testid="situation-kpis">
              {kpis.map((card) => (
                <Card key={card.key} size="small" data-testid={`kpi-${card.key}`}>
                  <Statistic title={card.title} valueRender={() => <span data-testid={`kpi-${card.key}-value`}>{card.value}</span>} styles={{ content: { fontSize: 22, whiteSpace: 'nowrap' } }} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {card.extra}
                  </Typography.Text>
                </Card>
              ))}
            </div>
          )}

          {current && current.totals.facilities.connected === 0 ? (
            <Alert type="info" showIcon title={t('situation.empty')} description={t('situation.emptyHint')} data-testid="situation-empty" />
          ) : null}
          {anyWithheld ? <Alert type="info" showIcon title={t('situation.withheldNote', { max: (current?.minHiddenFacilities ?? 3) - 1 })} data-testid="situation-withheld-note" /> : null}

          <Row gutter={[16, 16]}>
            {facilityLevel ? null : (
              <Col xs={24} xl={14}>
                <Card
                  title={`${t('situation.map')} · ${regionName}`}
                  extra={
                    <Segmented<MapMeasure>
                      size="small"
                      value={measure}
                      onChange={(value) => setQuery({ measure: value === 'rackUtilization' ? null : value })}
                      options={MEASURES.map((m) => ({ value: m, label: t(`situation.measure.${m}` as MessageKey) }))}
                      data-testid="situation-measure"
                    />
                  }
                >
                  {map === undefined || firstLoad ? (
                    <Flex justify="center" align="center" style={{ height: 480 }}>
                      <Spin />
                    </Flex>
                  ) : map === null || !mapOption ? (
                    <Flex justify="center" align="center" style={{ height: 200 }}>
                      <Empty description={t('overview.mapUnavailable')} />
                    </Flex>
                  ) : (
                    <EChart option={mapOption} testId="situation-map" onClick={onMapClick} style={{ height: 480 }} ariaLabel={`${t('situation.map')} · ${regionName}`} />
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {code === COUNTRY ? t('situation.mapHintCountry') : t('situation.mapHintProvince')}
                  </Typography.Text>
                  {notOnMap.length > 0 ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('overview.notInMap')}: {notOnMap.map((c) => c.name).join('、')}
                    </Typography.Text>
                  ) : null}
                </Card>
              </Col>
            )}
            <Col xs={24} xl={facilityLevel ? 24 : 10}>
              <Card
                title={t('situation.trend')}
                style={{ height: '100%' }}
                extra={
                  <Segmented<TrendRange>
                    size="small"
                    value={range}
                    onChange={(value) => setQuery({ range: value === '24h' ? null : value })}
                    options={RANGES.map((r) => ({ value: r, label: t(`situation.range.${r}` as MessageKey) }))}
                    data-testid="situation-range"
                  />
                }
              >
                {!trendAnswer.data && !trendAnswer.error ? (
                  <Flex justify="center" align="center" style={{ height: 420 }}>
                    <Spin />
                  </Flex>
                ) : trendAnswer.error && !trendAnswer.data ? (
                  <ErrorState error={trendAnswer.error} onRetry={trendAnswer.reload} />
                ) : trendOption ? (
                  <>
                    <EChart option={trendOption} testId="situation-trend" style={{ height: 420 }} ariaLabel={t('situation.trend')} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('situation.trendCaption', { resolution: trend?.resolution ?? '', source: trend?.source ?? '' })}
                    </Typography.Text>
                  </>
                ) : (
                  <Flex justify="center" align="center" style={{ height: 420 }}>
                    <Empty description={t('situation.noTrend')} data-testid="situation-no-trend" />
                  </Flex>
                )}
              </Card>
            </Col>
          </Row>

          {facilityLevel ? (
            <Card title={t('situation.facilities')}>
              {current && current.hiddenFacilities > 0 ? (
                <Typography.Paragraph type="secondary" data-testid="situation-hidden-facilities">
                  {t('situation.hiddenFacilities', { count: current.hiddenFacilities })}
                </Typography.Paragraph>
              ) : null}
              <Table<SituationFacility>
                rowKey="id"
                size="middle"
                columns={facilityColumns}
                dataSource={current?.facilities ?? []}
                loading={firstLoad}
                pagination={(current?.facilities.length ?? 0) > 40 ? { pageSize: 40, showSizeChanger: false } : false}
                locale={{ emptyText: <Empty description={t('common.noData')} /> }}
                className="suanli-table-numeric"
                data-testid="situation-facilities-table"
              />
            </Card>
          ) : (
            <Card title={code === COUNTRY ? t('situation.childrenProvinces') : t('situation.childrenCities')}>
              <Table<SituationChild>
                rowKey="code"
                size="middle"
                columns={childColumns}
                dataSource={children}
                loading={firstLoad}
                pagination={children.length > 40 ? { pageSize: 40, showSizeChanger: false } : false}
                onRow={(child) => ({ 'data-testid': `situation-row-${child.code}` }) as React.HTMLAttributes<HTMLElement>}
                locale={{ emptyText: <Empty description={t('common.noData')} /> }}
                className="suanli-table-numeric"
                data-testid="situation-children-table"
              />
            </Card>
          )}
        </Flex>
      )}
    </div>
  );
}
