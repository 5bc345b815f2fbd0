import { describe, expect, it } from 'vitest';
import { buildFacilitySeriesOption, formatMetricValue, isEmptyAnswer, rangeQuery, type SeriesAnswer } from './buildOption.ts';

const answer = (metric: string, values: number[]): SeriesAnswer => ({
  metric,
  resolution: '1h',
  source: 'rollup',
  series: [{ labels: {}, points: values.map((value, i) => ({ ts: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), value })) }],
});

describe('rangeQuery', () => {
  const now = Date.UTC(2026, 10, 26, 12);
  it('asks for a day, a week and an hour (hourly buckets), 90 days and an hour (daily buckets)', () => {
    expect(rangeQuery('24h', now)).toEqual({ from: '2026-11-25T12:00:00.000Z', to: '2026-11-26T12:00:00.000Z' });
    expect(rangeQuery('7d', now).from).toBe('2026-11-19T11:00:00.000Z');
    expect(rangeQuery('90d', now).from).toBe('2026-08-28T11:00:00.000Z');
  });
});

describe('buildFacilitySeriesOption', () => {
  it('plots ratios in percent on a 0–100 axis', () => {
    const option = buildFacilitySeriesOption({ answer: answer('rack_utilization', [0.9, 0.91]), title: '上架率', lang: 'zh' });
    const series = option.series as { data: [number, number][]; name: string }[];
    expect(series[0]!.data).toEqual([
      [Date.UTC(2026, 0, 1, 0), 90],
      [Date.UTC(2026, 0, 1, 1), 91],
    ]);
    expect(series[0]!.name).toBe('上架率');
    expect((option.yAxis as { max: number }).max).toBe(100);
  });

  it('keeps other units as they are, on a scaled axis, one line per series with labels', () => {
    const two: SeriesAnswer = { ...answer('it_power_kw', [800.5]), series: [...answer('it_power_kw', [800.5]).series, { labels: { hall: 'B' }, points: [] }] };
    const option = buildFacilitySeriesOption({ answer: two, title: 'IT power', lang: 'en' });
    const series = option.series as { data: [number, number][]; name: string }[];
    expect(series[0]!.data[0]![1]).toBe(800.5);
    expect(series[1]!.name).toBe('hall=B');
    expect((option.yAxis as { scale: boolean }).scale).toBe(true);
    expect(option.legend).toBeDefined();
  });
});

describe('formatMetricValue and isEmptyAnswer', () => {
  it('formats by metric', () => {
    expect(formatMetricValue('rack_utilization', 0.9012, 'en')).toBe('90.1%');
    expect(formatMetricValue('it_power_kw', 1234.5, 'en')).toBe('1,235 kW');
    expect(formatMetricValue('pue', 1.234, 'zh')).toBe('1.23');
  });
  it('detects an answer without points', () => {
    expect(isEmptyAnswer(undefined)).toBe(true);
    expect(isEmptyAnswer({ ...answer('pue', []) })).toBe(true);
    expect(isEmptyAnswer(answer('pue', [1.3]))).toBe(false);
  });
});
