/**
 * ECharts option for one facility metric over time (the facility page's monitoring card): a pure
 * function of the series API's answer. Ratios are shown in percent.
 */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../format.ts';

export type MonitoringRange = '24h' | '7d' | '90d';

export interface SeriesAnswer {
  metric: string;
  resolution: string;
  source: string;
  series: { labels: Record<string, string>; points: { ts: string; value: number }[] }[];
}

/** The metrics the card charts, in order, and how each is shown. */
export const FACILITY_METRICS = [
  { metric: 'rack_utilization', percent: true },
  { metric: 'it_power_kw', percent: false },
  { metric: 'pue', percent: false },
  { metric: 'accelerator_utilization', percent: true },
] as const;
export type FacilityMetric = (typeof FACILITY_METRICS)[number]['metric'];

const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;

/**
 * The query for a range ending at `nowMs`. The API picks the resolution from the range (5 min up to
 * 7 d, 1 h up to 90 d, 1 d beyond): 24 h reads 5 min buckets (288 points); 7 d and 90 d ask for one
 * hour more so that they read hourly (169 points rather than 2,016) and daily buckets (91 rather
 * than 2,160 points).
 */
export function rangeQuery(range: MonitoringRange, nowMs: number): { from: string; to: string } {
  const span = range === '24h' ? DAY_MS : range === '7d' ? 7 * DAY_MS + HOUR_MS : 90 * DAY_MS + HOUR_MS;
  return { from: new Date(nowMs - span).toISOString(), to: new Date(nowMs).toISOString() };
}

export const isPercentMetric = (metric: string) => FACILITY_METRICS.some((m) => m.metric === metric && m.percent);

/** A value as shown: ratios in percent with one decimal, kW without decimals, PUE with two. */
export function formatMetricValue(metric: string, value: number, lang: Lang): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  if (isPercentMetric(metric)) return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`;
  if (metric === 'it_power_kw') return `${value.toLocaleString(locale, { maximumFractionDigits: 0 })} kW`;
  if (metric === 'pue') return value.toFixed(2);
  return value.toLocaleString(locale, { maximumFractionDigits: 3 });
}

const seriesName = (labels: Record<string, string>, fallback: string) => {
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : fallback;
};

export interface FacilitySeriesInput {
  answer: SeriesAnswer;
  title: string;
  lang: Lang;
  /** Percent axis (0–100) for ratios. */
  percent?: boolean;
}

export function buildFacilitySeriesOption({ answer, title, lang, percent = isPercentMetric(answer.metric) }: FacilitySeriesInput): EChartsOption {
  const scale = percent ? 100 : 1;
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? formatMetricValue(answer.metric, value / scale, lang) : String(value ?? '')),
    },
    legend: answer.series.length > 1 ? { type: 'scroll', bottom: 0 } : undefined,
    xAxis: { type: 'time' },
    yAxis: {
      type: 'value',
      scale: !percent,
      ...(percent ? { min: 0, max: 100, axisLabel: { formatter: '{value}%' } } : {}),
    },
    series: answer.series.map((s) => ({
      type: 'line',
      name: seriesName(s.labels, title),
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      data: s.points.map((p) => [Date.parse(p.ts), Math.round(p.value * scale * 1000) / 1000]),
    })),
  };
}

/** True when no series of the answer has a point. */
export const isEmptyAnswer = (answer: SeriesAnswer | undefined) => !answer || answer.series.every((s) => s.points.length === 0);
