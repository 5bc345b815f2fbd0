import { describe, expect, it } from 'vitest';
import { INDEX_DIMENSIONS, type IndexDimension, type IndexRegion } from '../../types.ts';
import { buildRadarOption, defaultRadarSelection } from './buildOption.ts';

const labels: Record<IndexDimension, string> = { compute: '算力', storage: '存力', network: '运力', model: '模力', environment: '环境' };

const region = (code: string, rank: number, scores: number[]): IndexRegion => ({
  code,
  name: `区域${code}`,
  rank,
  score: 50,
  scoreRounded: 50,
  dimensions: Object.fromEntries(
    INDEX_DIMENSIONS.map((dimension, i) => [dimension, { score: scores[i] ?? 0, weight: 0.2, available: dimension !== 'model', indicators: {} }]),
  ) as IndexRegion['dimensions'],
});

describe('defaultRadarSelection', () => {
  it('picks the top three by rank whatever the order given', () => {
    const regions = [region('a', 4, []), region('b', 2, []), region('c', 1, []), region('d', 3, [])];
    expect(defaultRadarSelection(regions)).toEqual(['c', 'b', 'd']);
    expect(defaultRadarSelection(regions.slice(0, 1))).toEqual(['a']);
  });
});

describe('buildRadarOption', () => {
  it('has five axes on 0–100 in the server order and one series item per region, scores to one decimal', () => {
    const option = buildRadarOption({ regions: [region('a', 1, [91.234, 80, 70, 50, 12.06]), region('b', 2, [1, 2, 3, 50, 5])], dimensionLabels: labels, noDataSuffix: '（暂无数据）' });
    const radar = option.radar as { indicator: { name: string; max: number; min: number }[] };
    expect(radar.indicator.map((i) => i.name)).toEqual(['算力', '存力', '运力', '模力（暂无数据）', '环境']);
    expect(radar.indicator.every((i) => i.min === 0 && i.max === 100)).toBe(true);
    const series = (option.series as { type: string; data: { name: string; value: number[] }[] }[])[0]!;
    expect(series.type).toBe('radar');
    expect(series.data).toEqual([
      { name: '区域a', value: [91.2, 80, 70, 50, 12.1] },
      { name: '区域b', value: [1, 2, 3, 50, 5] },
    ]);
    expect((option.legend as { data: string[] }).data).toEqual(['区域a', '区域b']);
  });

  it('shows at most three regions', () => {
    const regions = [1, 2, 3, 4].map((n) => region(String(n), n, [n, n, n, n, n]));
    const series = (buildRadarOption({ regions, dimensionLabels: labels, noDataSuffix: '' }).series as { data: unknown[] }[])[0]!;
    expect(series.data).toHaveLength(3);
  });

  it('marks no dimension as missing data when nothing is shown', () => {
    const radar = buildRadarOption({ regions: [], dimensionLabels: labels, noDataSuffix: ' (no data)' }).radar as { indicator: { name: string }[] };
    expect(radar.indicator.map((i) => i.name)).toEqual(Object.values(labels));
  });
});
