import { Alert, Breadcrumb, Button, Card, Col, Empty, Flex, Row, Segmented, Space, Spin, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { buildMapOption } from '../charts/chinaMap/buildOption.ts';
import { fullCode, matchFeatures, unmatchedChildren } from '../charts/chinaMap/geo.ts';
import { isProvinceCode, useRegionMap } from '../charts/chinaMap/useRegionMap.ts';
import { EChart } from '../charts/EChart.tsx';
import { MEASURES, type Measure } from '../charts/measures.ts';
import { buildTopBarOption, rankChildren } from '../charts/topBar/buildOption.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatFlops, formatNumber, formatPercent, formatPue, scaleFlops } from '../format.ts';
import { useRegion } from '../hooks/useRegionName.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { fp16Of, type Overview, type OverviewChild } from '../types.ts';

const isMeasure = (value: string | null): value is Measure => MEASURES.includes(value as Measure);

export function OverviewPage() {
  const { t, te, lang } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const region = params.get('region');
  const measureParam = params.get('measure');
  const measure: Measure = isMeasure(measureParam) ? measureParam : 'racksDesigned';
  const regionInfo = useRegion(region);

  const overview = useRequest((signal) => api<Overview>('/analytics/overview', { query: { region }, signal }), [region]);
  const current = overview.data;

  const map = useRegionMap(region);

  const setQuery = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged);
  };

  /** A province of the country drills down (keeping the measure); anything else opens the ledger. */
  const drillTarget = (code: string) => {
    if (!region && isProvinceCode(code)) {
      const next = new URLSearchParams(params);
      next.set('region', code);
      return `/?${next.toString()}`;
    }
    return `/facilities?region=${encodeURIComponent(code)}`;
  };
  const drillInto = (code: string) => navigate(drillTarget(code));

  const children = useMemo(() => current?.children ?? [], [current]);
  const matched = useMemo(() => (map ? matchFeatures(map.features, children) : new Map<string, OverviewChild>()), [map, children]);
  const notOnMap = useMemo(() => (map ? unmatchedChildren(matched, children) : []), [map, matched, children]);
  const measureLabel = te('measure', measure);

  const mapOption = useMemo(
    () =>
      map
        ? buildMapOption({
            mapName: map.mapName,
            features: map.features,
            matched,
            measure,
            labels: { measure: measureLabel, racksUnit: t('unit.racks'), facilities: t('overview.facilities'), noData: t('common.noData') },
            lang,
            showLabels: Boolean(region),
          })
        : null,
    [map, matched, measure, measureLabel, lang, region, t],
  );

  const barOption = useMemo(
    () => buildTopBarOption({ children, measure, measureLabel, racksUnit: t('unit.racks'), lang }),
    [children, measure, measureLabel, lang, t],
  );
  const hasRanking = rankChildren(children, measure).length > 0;

  const onMapClick = (raw: unknown) => {
    const clicked = raw as { name?: string; data?: { code?: string } | null };
    let code = clicked.data?.code;
    if (!code && clicked.name && map) {
      const feature = map.features.find((f) => f.name === clicked.name);
      if (feature) code = fullCode(feature.code);
    }
    if (code) drillInto(code);
  };

  const nationalTarget = (() => {
    const next = new URLSearchParams(params);
    next.delete('region');
    const text = next.toString();
    return text ? `/?${text}` : '/';
  })();
  const regionName = region ? (regionInfo?.name ?? (typeof current?.region === 'object' ? current?.region?.name : undefined) ?? region) : t('overview.national');
  const crumbs = [
    { key: 'national', title: region ? <Link to={nationalTarget} data-testid="crumb-national">{t('overview.national')}</Link> : t('overview.national') },
    ...(region
      ? (regionInfo?.path?.length ? regionInfo.path : [{ code: region, name: regionName }]).map((step, index, all) => ({
          key: step.code,
          title:
            index < all.length - 1 ? (
              <Link to={`/?region=${step.code}`}>{step.name}</Link>
            ) : (
              <span data-testid="crumb-current">{step.name}</span>
            ),
        }))
      : []),
  ];

  const totals = current?.totals;
  const compute = scaleFlops(totals?.fp32Equivalent ?? 0);
  const statCards = [
    { key: 'facilities', title: t('overview.facilities'), value: formatNumber(totals?.facilities, lang), extra: t('overview.inOperation', { count: formatNumber(totals?.inOperation, lang) }) },
    { key: 'racksDesigned', title: t('overview.racksDesigned'), value: formatNumber(totals?.racksDesigned, lang), extra: t('overview.standardRacks') },
    { key: 'racksInUse', title: t('overview.racksInUse'), value: formatNumber(totals?.racksInUse, lang), extra: t('overview.standardRacks') },
    { key: 'rackUtilization', title: t('overview.rackUtilization'), value: formatPercent(totals?.rackUtilization), extra: ' ' },
    {
      key: 'compute',
      title: t('overview.compute'),
      value: totals ? `${formatNumber(compute.value, lang, 2)} ${compute.unit}` : '—',
      extra: t('overview.fp16', { value: formatFlops(fp16Of(totals), lang) }),
    },
    { key: 'storage', title: t('overview.storage'), value: totals ? `${formatNumber(totals.storagePb, lang, 1)} PB` : '—', extra: ' ' },
    { key: 'avgPue', title: t('overview.avgPue'), value: formatPue(totals?.avgPue), extra: ' ' },
  ];

  const columns: TableColumnsType<OverviewChild> = [
    {
      title: t('overview.childName'),
      dataIndex: 'name',
      key: 'name',
      render: (_, child) => (
        <Link to={drillTarget(child.code)} data-testid={`drill-${child.code}`}>
          {child.name}
        </Link>
      ),
    },
    { title: t('overview.facilities'), dataIndex: 'facilities', key: 'facilities', align: 'right', sorter: (a, b) => a.facilities - b.facilities },
    {
      title: t('field.racksDesigned'),
      dataIndex: 'racksDesigned',
      key: 'racksDesigned',
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.racksDesigned - b.racksDesigned,
      render: (v: number) => formatNumber(v, lang),
    },
    { title: t('field.racksInUse'), dataIndex: 'racksInUse', key: 'racksInUse', align: 'right', sorter: (a, b) => a.racksInUse - b.racksInUse, render: (v: number) => formatNumber(v, lang) },
    {
      title: t('field.rackUtilization'),
      dataIndex: 'rackUtilization',
      key: 'rackUtilization',
      align: 'right',
      sorter: (a, b) => (a.rackUtilization ?? -1) - (b.rackUtilization ?? -1),
      render: (v: number | null) => formatPercent(v),
    },
    {
      title: t('field.fp32Equivalent'),
      dataIndex: 'fp32Equivalent',
      key: 'fp32Equivalent',
      align: 'right',
      sorter: (a, b) => a.fp32Equivalent - b.fp32Equivalent,
      render: (v: number) => formatFlops(v, lang),
    },
    {
      title: 'FP16',
      key: 'fp16',
      align: 'right',
      sorter: (a, b) => (fp16Of(a) ?? 0) - (fp16Of(b) ?? 0),
      render: (_, child) => formatFlops(fp16Of(child), lang),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, child) => (
        <Space size="small">
          {!region && isProvinceCode(child.code) ? <Link to={drillTarget(child.code)}>{t('overview.drill')}</Link> : null}
          <Link to={`/facilities?region=${encodeURIComponent(child.code)}`}>{t('overview.openLedger')}</Link>
        </Space>
      ),
    },
  ];

  const firstLoad = overview.loading && !current;

  return (
    <div data-testid="overview-page">
      <PageHeader
        title={t('overview.title')}
        subtitle={<Breadcrumb items={crumbs} data-testid="overview-breadcrumb" />}
        extra={
          <Space>
            <Typography.Text type="secondary">{t('overview.measure')}</Typography.Text>
            <Segmented<Measure>
              value={measure}
              onChange={(value) => setQuery({ measure: value === 'racksDesigned' ? null : value })}
              options={MEASURES.map((m) => ({ label: te('measure', m), value: m }))}
              data-testid="measure-select"
            />
          </Space>
        }
      />

      {overview.error && !current ? (
        <Card>
          <ErrorState error={overview.error} onRetry={overview.reload} />
        </Card>
      ) : (
        <Flex vertical gap={16}>
          <div className="suanli-stat-grid" data-testid="overview-totals">
            {statCards.map((card) => (
              <Card key={card.key} size="small" loading={firstLoad} data-testid={`stat-${card.key}`}>
                <Statistic title={card.title} value={card.value} styles={{ content: { fontSize: 22, whiteSpace: 'nowrap' } }} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {card.extra}
                </Typography.Text>
              </Card>
            ))}
          </div>

          {current && current.totals.facilities === 0 ? <Alert type="info" showIcon title={t('overview.noFacilities')} data-testid="overview-empty" /> : null}

          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card
                title={`${t('overview.map')} · ${regionName}`}
                extra={<Typography.Text type="secondary">{region ? t('overview.mapHintProvince') : t('overview.mapHintCountry')}</Typography.Text>}
                styles={{ body: { position: 'relative' } }}
              >
                {map === undefined || firstLoad ? (
                  <Flex justify="center" align="center" style={{ height: 520 }}>
                    <Spin />
                  </Flex>
                ) : map === null || !mapOption ? (
                  <Flex justify="center" align="center" style={{ height: 200 }}>
                    <Empty description={t('overview.mapUnavailable')} />
                  </Flex>
                ) : (
                  <Spin spinning={overview.loading}>
                    <EChart
                      option={mapOption}
                      testId="overview-map"
                      onClick={onMapClick}
                      style={{ height: 520 }}
                      ariaLabel={`${t('overview.map')} · ${regionName}`}
                    />
                  </Spin>
                )}
                {notOnMap.length > 0 ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="not-on-map">
                    {t('overview.notInMap')}: {notOnMap.map((c) => c.name).join('、')}
                  </Typography.Text>
                ) : null}
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card title={`${t('overview.top10')} · ${measureLabel}`} style={{ height: '100%' }}>
                {firstLoad ? (
                  <Flex justify="center" align="center" style={{ height: 520 }}>
                    <Spin />
                  </Flex>
                ) : hasRanking ? (
                  <EChart option={barOption} testId="overview-top10" style={{ height: 520 }} onClick={(p) => {
                    const code = (p as { data?: { code?: string } }).data?.code;
                    if (code) drillInto(code);
                  }} />
                ) : (
                  <Flex justify="center" align="center" style={{ height: 520 }}>
                    <Empty description={t('overview.noFacilities')} />
                  </Flex>
                )}
              </Card>
            </Col>
          </Row>

          <Card
            title={region ? t('overview.childrenCities') : t('overview.childrenProvinces')}
            extra={
              region ? (
                <Button size="small" onClick={() => setQuery({ region: null })}>
                  {t('common.back')}
                </Button>
              ) : undefined
            }
          >
            <Table<OverviewChild>
              rowKey="code"
              size="middle"
              columns={columns}
              dataSource={children}
              loading={overview.loading}
              pagination={children.length > 40 ? { pageSize: 40, showSizeChanger: false } : false}
              onRow={(child) => ({ 'data-testid': `child-row-${child.code}` }) as React.HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty description={t('common.noData')} /> }}
              className="suanli-table-numeric"
              data-testid="overview-children-table"
            />
          </Card>
        </Flex>
      )}
    </div>
  );
}
