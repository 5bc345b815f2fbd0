/**
 * The facility page's "运行监测 / Monitoring" card: the latest value of each vocabulary metric and a
 * line chart per metric over 24 h / 7 d / 90 d. Telemetry is visible only to the owner organisation,
 * the region's government and administrators: anyone else sees a plain "no access" note, not an error.
 */
import { Alert, Card, Col, Empty, Flex, Row, Segmented, Skeleton, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { useRequest } from '../../hooks/useRequest.ts';
import { type MessageKey, useI18n } from '../../i18n.ts';
import { EChart } from '../EChart.tsx';
import { buildFacilitySeriesOption, FACILITY_METRICS, type FacilityMetric, formatMetricValue, isEmptyAnswer, type MonitoringRange, rangeQuery, type SeriesAnswer } from './buildOption.ts';

interface LatestAnswer {
  items: { metric: string; labels: Record<string, string>; ts: string; value: number }[];
}

const RANGES: MonitoringRange[] = ['24h', '7d', '90d'];
const metricKey = (metric: FacilityMetric) => `monitoring.metric.${metric}` as MessageKey;
const isNoAccess = (error: unknown) => error instanceof ApiError && (error.status === 403 || error.status === 404);

export function FacilityMonitoringCard({ facilityId }: { facilityId: string }) {
  const { t, lang } = useI18n();
  const [range, setRange] = useState<MonitoringRange>('24h');
  const base = `/facilities/${encodeURIComponent(facilityId)}`;
  const latest = useRequest((signal) => api<LatestAnswer>(`${base}/metrics/latest`, { signal, quiet: true }), [base]);
  const metrics = useMemo(() => FACILITY_METRICS.filter((m) => latest.data?.items.some((i) => i.metric === m.metric)).map((m) => m.metric), [latest.data]);
  const series = useRequest(
    async (signal) => {
      const query = rangeQuery(range, Date.now());
      const answers = await Promise.all(metrics.map((metric) => api<SeriesAnswer>(`${base}/series`, { signal, quiet: true, query: { metric, ...query } })));
      return new Map(answers.map((a) => [a.metric, a]));
    },
    [base, range, metrics.join(',')],
    metrics.length > 0,
  );

  let body: React.ReactNode;
  if (latest.error) {
    body = isNoAccess(latest.error) ? (
      <Alert type="info" showIcon message={t('monitoring.noAccess')} data-testid="monitoring-no-access" />
    ) : (
      <Alert type="warning" showIcon message={latest.error instanceof Error ? latest.error.message : String(latest.error)} />
    );
  } else if (!latest.data) {
    body = <Skeleton active />;
  } else if (metrics.length === 0) {
    body = <Empty description={<Flex vertical>{t('monitoring.empty')}<Typography.Text type="secondary">{t('monitoring.emptyHint')}</Typography.Text></Flex>} data-testid="monitoring-empty" />;
  } else {
    const newest = (metric: string) => latest.data!.items.filter((i) => i.metric === metric).sort((a, b) => b.ts.localeCompare(a.ts))[0];
    body = (
      <Flex vertical gap={16}>
        <Row gutter={[16, 16]} data-testid="monitoring-latest">
          {metrics.map((metric) => {
            const item = newest(metric)!;
            return (
              <Col xs={12} md={6} key={metric}>
                <Statistic title={t(metricKey(metric))} value={formatMetricValue(metric, item.value, lang)} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('monitoring.latestAt', { time: formatDateTime(item.ts, lang) })}
                </Typography.Text>
              </Col>
            );
          })}
        </Row>
        <Segmented<MonitoringRange> value={range} onChange={setRange} options={RANGES.map((r) => ({ value: r, label: t(`monitoring.range.${r}` as MessageKey) }))} data-testid="monitoring-range" />
        {series.error ? (
          isNoAccess(series.error) ? (
            <Alert type="info" showIcon message={t('monitoring.noAccess')} />
          ) : (
            <Alert type="warning" showIcon message={series.error instanceof Error ? series.error.message : String(series.error)} />
          )
        ) : !series.data ? (
          <Skeleton active />
        ) : (
          <Row gutter={[16, 16]}>
            {metrics.map((metric) => {
              const answer = series.data!.get(metric);
              return (
                <Col xs={24} xl={12} key={metric}>
                  <Typography.Text strong>{t(metricKey(metric))}</Typography.Text>
                  {answer && !isEmptyAnswer(answer) ? (
                    <>
                      <EChart option={buildFacilitySeriesOption({ answer, title: t(metricKey(metric)), lang })} testId={`monitoring-chart-${metric}`} style={{ height: 220 }} ariaLabel={t(metricKey(metric))} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('monitoring.resolution', { resolution: answer.resolution, source: answer.source })}
                      </Typography.Text>
                    </>
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.noMetric')} />
                  )}
                </Col>
              );
            })}
          </Row>
        )}
      </Flex>
    );
  }
  return (
    <Card title={t('monitoring.title')} data-testid="monitoring-card">
      {body}
    </Card>
  );
}
