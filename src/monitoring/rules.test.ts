import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { LIMITS, prepareBatch } from './rules.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const STALE_NAN = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0];
const series = (name: string, labels: Record<string, string>, samples: [number, number][]) => ({
  labels: [{ name: '__name__', value: name }, ...Object.entries(labels).map(([n, value]) => ({ name: n, value }))],
  samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
  return 'ok';
};

describe('prepareBatch', () => {
  it('keeps raw series and copies mapped gauges onto the vocabulary', () => {
    const batch = prepareBatch([series('DCGM_FI_DEV_GPU_UTIL', { gpu: '0', Hostname: 'n1' }, [[NOW, 87]]), series('node_load1', { instance: 'a' }, [[NOW, 1.5]])], NOW);
    expect(batch.series.map((s) => [s.metric, s.samples[0].value])).toEqual([
      ['DCGM_FI_DEV_GPU_UTIL', 87],
      ['accelerator_utilization', 0.87],
      ['node_load1', 1.5],
    ]);
    expect(batch.series[1].labels).toEqual({ gpu: '0', Hostname: 'n1' });
    expect(batch.samples).toBe(3);
  });

  it('drops staleness markers silently and counts ±Inf', () => {
    const batch = prepareBatch([series('up', { job: 'node' }, [[NOW - 2000, 1], [NOW - 1000, STALE_NAN], [NOW, Number.POSITIVE_INFINITY]])], NOW);
    expect(batch.dropped).toEqual({ stale: 1, nonFinite: 1 });
    expect(batch.series.find((s) => s.metric === 'up')!.samples).toEqual([{ ts: NOW - 2000, value: 1 }]);
  });

  it('merges a label set sent twice and ignores label order and empty labels', () => {
    const batch = prepareBatch([series('m', { a: '1', b: '2' }, [[NOW, 1]]), { labels: [{ name: 'b', value: '2' }, { name: '__name__', value: 'm' }, { name: 'a', value: '1' }, { name: 'c', value: '' }], samples: [{ timestamp: NOW - 1, value: 2 }] }], NOW);
    expect(batch.series).toHaveLength(1);
    expect(batch.series[0].samples).toHaveLength(2);
  });

  it('refuses what can never succeed', () => {
    expect(codeOf(() => prepareBatch([series('m', {}, [[NOW + LIMITS.futureMs + 1000, 1]])], NOW))).toBe('TIMESTAMP_IN_FUTURE');
    expect(codeOf(() => prepareBatch([series('m', {}, [[NOW - LIMITS.pastMs - 1000, 1]])], NOW))).toBe('TIMESTAMP_TOO_OLD');
    expect(codeOf(() => prepareBatch([{ labels: [{ name: 'job', value: 'x' }], samples: [] }], NOW))).toBe('MISSING_METRIC_NAME');
    expect(codeOf(() => prepareBatch([series('bad-name', {}, [[NOW, 1]])], NOW))).toBe('INVALID_METRIC_NAME');
    expect(codeOf(() => prepareBatch([series('m', { 'bad-label': 'x' }, [[NOW, 1]])], NOW))).toBe('INVALID_LABEL_NAME');
    expect(codeOf(() => prepareBatch([series('m', { a: 'x'.repeat(LIMITS.labelValueLength + 1) }, [[NOW, 1]])], NOW))).toBe('LABELS_TOO_LARGE');
    const many = Object.fromEntries(Array.from({ length: LIMITS.labelsPerSeries + 1 }, (_, i) => [`l${i}`, 'v']));
    expect(codeOf(() => prepareBatch([series('m', many, [[NOW, 1]])], NOW))).toBe('LABELS_TOO_LARGE');
    expect(codeOf(() => prepareBatch([{ labels: [{ name: '__name__', value: 'm' }, { name: 'a', value: '1' }, { name: 'a', value: '2' }], samples: [] }], NOW))).toBe('DUPLICATE_LABEL');
  });
});
