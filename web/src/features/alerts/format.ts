/** How an alert's value and a rule's condition read in the UI; pure, so the tests need no browser. */
import type { Lang } from '../../format.ts';
import type { AlertKind } from './types.ts';

const DASH = '—';
const RATIO_METRICS = new Set(['rack_utilization', 'cpu_utilization', 'accelerator_utilization', 'availability']);

function trimmed(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A value of a metric: ratios as percentages, PUE with two decimals, the rest as numbers. */
export function formatMetricValue(metric: string | null, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (metric && RATIO_METRICS.has(metric)) return `${trimmed(value * 100, 1)}%`;
  if (metric === 'pue') return value.toFixed(2);
  return trimmed(value, 3);
}

/** A duration in seconds as minutes, hours or days: 600 → "10 min" / "10 分钟". */
export function formatSeconds(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const en = lang === 'en';
  if (seconds === 0) return en ? '0' : '0';
  if (seconds % 86_400 === 0) return en ? `${seconds / 86_400} d` : `${seconds / 86_400} 天`;
  if (seconds % 3600 === 0) return en ? `${seconds / 3600} h` : `${seconds / 3600} 小时`;
  if (seconds >= 60) return en ? `${trimmed(seconds / 60, 1)} min` : `${trimmed(seconds / 60, 1)} 分钟`;
  return en ? `${seconds} s` : `${seconds} 秒`;
}

/** An alert's value against its threshold, e.g. "1.62 > 1.50", "52.0% < 60%", "14 min ≥ 10 min". */
export function formatAlertValue(kind: AlertKind, metric: string | null, comparison: string | null, value: number | null, threshold: number | null, lang: Lang): string {
  if (kind === 'absence') return `${formatSeconds(value === null ? null : Math.floor(value / 60) * 60, lang)} ≥ ${formatSeconds(threshold, lang)}`;
  const op = comparison ?? (kind === 'pue_target' ? '>' : kind === 'utilisation_target' ? '<' : '');
  const limit = formatMetricValue(metric, threshold);
  let shown = formatMetricValue(metric, value);
  // Rounded to the same figure as the threshold ("1.50 > 1.50"): show the digits that differ.
  if (shown === limit && value !== null && value !== threshold) shown = String(Number(value.toPrecision(6)));
  return `${shown} ${op} ${limit}`;
}
