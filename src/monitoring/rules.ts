import { badRequest } from '../errors.ts';
import { vocabularyOf } from './vocabulary.ts';

/** Limits of one series' label set: past them a request can never succeed (LABELS_TOO_LARGE). */
export const LIMITS = {
  labelsPerSeries: 40,
  labelNameLength: 128,
  labelValueLength: 2048,
  seriesBytes: 8192,
  /** Samples further ahead than this are a clock problem at the sender (TIMESTAMP_IN_FUTURE). */
  futureMs: 10 * 60 * 1000,
  /** Samples older than this are refused (TIMESTAMP_TOO_OLD): no day partition is created for them. */
  pastMs: 31 * 24 * 3600 * 1000,
} as const;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface IncomingSeries {
  /** Labels including `__name__`. */
  labels: { name: string; value: string }[];
  samples: { timestamp: number; value: number }[];
}

export interface PreparedSeries {
  metric: string;
  /** Labels without `__name__`. */
  labels: Record<string, string>;
  /** Canonical, sorted text of the full label set: the identity of the series within a facility. */
  key: string;
  samples: { ts: number; value: number }[];
}

export interface PreparedBatch {
  series: PreparedSeries[];
  samples: number;
  dropped: { stale: number; nonFinite: number };
}

/**
 * Validates a decoded request against the rules of docs/monitoring.md and adds the vocabulary
 * copies of mapped gauges. Throws a 400 AppError for anything that can never succeed; drops NaN
 * (Prometheus' staleness markers) silently and ±Inf with a count.
 */
export function prepareBatch(input: IncomingSeries[], nowMs: number, pastMs: number = LIMITS.pastMs): PreparedBatch {
  const bySeries = new Map<string, PreparedSeries>();
  const dropped = { stale: 0, nonFinite: 0 };
  let samples = 0;
  const add = (metric: string, labels: Record<string, string>, key: string, points: { ts: number; value: number }[]) => {
    const existing = bySeries.get(key);
    if (existing) existing.samples.push(...points);
    else bySeries.set(key, { metric, labels, key, samples: points });
    samples += points.length;
  };
  for (const series of input) {
    const { metric, labels, key } = checkLabels(series.labels);
    const points: { ts: number; value: number }[] = [];
    for (const sample of series.samples) {
      checkTimestamp(metric, sample.timestamp, nowMs, pastMs);
      if (Number.isNaN(sample.value)) {
        dropped.stale += 1;
        continue;
      }
      if (!Number.isFinite(sample.value)) {
        dropped.nonFinite += 1;
        continue;
      }
      points.push({ ts: sample.timestamp, value: sample.value });
    }
    if (points.length === 0) continue;
    add(metric, labels, key, points);
    const mapping = vocabularyOf(metric);
    if (mapping) {
      const vocabularyKey = canonicalKey(mapping.metric, labels);
      add(mapping.metric, labels, vocabularyKey, points.map((p) => ({ ts: p.ts, value: p.value * mapping.scale })));
    }
  }
  return { series: [...bySeries.values()], samples, dropped };
}

/**
 * A sample's timestamp must be integer milliseconds within [now − pastMs, now + 10 minutes]; else a
 * 400. `pastMs` is 31 days, or the raw retention when that is shorter (retention.ts acceptedAgeMs).
 */
export function checkTimestamp(metric: string, timestamp: number, nowMs: number, pastMs: number = LIMITS.pastMs): void {
  if (!Number.isSafeInteger(timestamp)) throw badRequest('INVALID_TIMESTAMP', `A sample of ${metric} has the timestamp ${timestamp}: send integer milliseconds since the epoch.`);
  if (timestamp > nowMs + LIMITS.futureMs) {
    throw badRequest('TIMESTAMP_IN_FUTURE', `A sample of ${metric} is at ${iso(timestamp)}, more than 10 minutes ahead of the platform clock (${iso(nowMs)}): check the sender's clock (NTP).`);
  }
  if (timestamp < nowMs - pastMs) {
    const days = Math.round(pastMs / 86_400_000);
    throw badRequest('TIMESTAMP_TOO_OLD', `A sample of ${metric} is at ${iso(timestamp)}, older than ${days} days${pastMs < LIMITS.pastMs ? ' (the raw retention)' : ''}: backfill old history with an import instead.`);
  }
}

const iso = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));

export function canonicalKey(metric: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  let key = metric;
  for (const name of names) key += `\u0000${name}=${labels[name]}`;
  return key;
}

/** Validates one series' labels (a 400 for anything that can never succeed) → metric, labels and canonical key. */
export function checkLabels(wire: { name: string; value: string }[]): { metric: string; labels: Record<string, string>; key: string } {
  let metric: string | undefined;
  // No prototype: a label may be called __proto__.
  const labels = Object.create(null) as Record<string, string>;
  let bytes = 0;
  // Prometheus sends labels sorted by name; then the canonical key is built on the way.
  let sorted = true;
  let previous = '';
  let tail = '';
  if (wire.length > LIMITS.labelsPerSeries + 1) {
    throw badRequest('LABELS_TOO_LARGE', `A series has ${wire.length} labels; at most ${LIMITS.labelsPerSeries} besides __name__ are accepted: drop labels with metric_relabel_configs or write_relabel_configs.`);
  }
  for (const { name, value } of wire) {
    bytes += name.length + value.length;
    if (name === '__name__') {
      if (value.length > LIMITS.labelNameLength || !METRIC_NAME.test(value)) throw badRequest('INVALID_METRIC_NAME', `${JSON.stringify(value.slice(0, 200))} is not a metric name: use [a-zA-Z_:][a-zA-Z0-9_:]*, at most ${LIMITS.labelNameLength} characters.`);
      metric = value;
      continue;
    }
    if (name.length > LIMITS.labelNameLength || !LABEL_NAME.test(name)) throw badRequest('INVALID_LABEL_NAME', `${JSON.stringify(name.slice(0, 200))} is not a label name: use [a-zA-Z_][a-zA-Z0-9_]*, at most ${LIMITS.labelNameLength} characters.`);
    if (value.length > LIMITS.labelValueLength) throw badRequest('LABELS_TOO_LARGE', `The value of label ${name} has ${value.length} characters; at most ${LIMITS.labelValueLength} are accepted.`);
    if (value.includes('\u0000')) throw badRequest('INVALID_LABEL_VALUE', `The value of label ${name} contains a NUL character.`);
    if (name in labels) throw badRequest('DUPLICATE_LABEL', `A series has the label ${name} twice.`);
    // Prometheus omits empty labels: an empty value means "no such label".
    if (value === '') continue;
    labels[name] = value;
    if (name < previous) sorted = false;
    previous = name;
    tail += `\u0000${name}=${value}`;
  }
  if (bytes > LIMITS.seriesBytes) throw badRequest('LABELS_TOO_LARGE', `A series' labels take ${bytes} bytes; at most ${LIMITS.seriesBytes} are accepted.`);
  if (!metric) throw badRequest('MISSING_METRIC_NAME', 'A series has no __name__ label: every remote_write series names its metric.');
  return { metric, labels, key: sorted ? metric + tail : canonicalKey(metric, labels) };
}
