import { describe, expect, it } from 'vitest';
import type { IndexDimension, IndexScenario, IndexSensitivity } from '../../types.ts';
import { buildSensitivityOption, sensitivityGrid, sensitivityHeight } from './buildOption.ts';

const labels: Record<IndexDimension, string> = { compute: 'Compute', storage: 'Storage', network: 'Network', model: 'Model', environment: 'Environment' };
const weights = { compute: 0.2, storage: 0.2, network: 0.2, model: 0.2, environment: 0.2 };

const scenario = (dimension: IndexDimension, change: number, shifts: Record<string, number>): IndexScenario => ({
  dimension,
  change,
  weights,
  maxRankShift: Math.max(...Object.values(shifts).map(Math.abs)),
  ranks: Object.entries(shifts).map(([code, shift]) => ({ code, rank: (code === 'a' ? 1 : 2) + shift, shift })),
});

const data: Pick<IndexSensitivity, 'regions' | 'scenarios'> = {
  // Given out of rank order on purpose.
  regions: [
    { code: 'b', name: 'B', rank: 2, score: 40, bestRank: 1, worstRank: 2, maxRankShift: 1 },
    { code: 'a', name: 'A', rank: 1, score: 60, bestRank: 1, worstRank: 2, maxRankShift: 1 },
  ],
  scenarios: [
    scenario('environment', 0.2, { a: 1, b: -1 }),
    scenario('compute', 0.2, { a: 0, b: 0 }),
    scenario('compute', -0.2, { a: 0, b: 0 }),
    scenario('environment', -0.2, { a: 0, b: 0 }),
  ],
};

describe('sensitivityGrid', () => {
  it('orders rows by rank and columns by dimension, −20% before +20%', () => {
    const grid = sensitivityGrid(data, labels);
    expect(grid.rows.map((r) => r.code)).toEqual(['a', 'b']);
    expect(grid.columns.map((c) => c.label)).toEqual(['Compute −20%', 'Compute +20%', 'Environment −20%', 'Environment +20%']);
    expect(grid.cells).toContainEqual([3, 0, 1, 2]);
    expect(grid.cells).toContainEqual([3, 1, -1, 1]);
    expect(grid.cells).toHaveLength(8);
    expect(grid.extent).toBe(1);
  });

  it('keeps the colour scale non-empty when no rank moves', () => {
    const still = { ...data, scenarios: [scenario('compute', 0.2, { a: 0, b: 0 })] };
    expect(sensitivityGrid(still, labels).extent).toBe(1);
  });
});

describe('buildSensitivityOption', () => {
  const grid = sensitivityGrid(data, labels);
  const option = buildSensitivityOption(grid, { dimensions: labels, tooltip: '{region} · {scenario}: rank {rank} ({shift})', shift: 'Rank shift' });

  it('is a heat-map coloured symmetrically around 0, green for rising and red for falling', () => {
    const visualMap = option.visualMap as { min: number; max: number; inRange: { color: string[] } };
    expect(visualMap.min).toBe(-1);
    expect(visualMap.max).toBe(1);
    const colors = visualMap.inRange.color;
    expect(colors[Math.floor(colors.length / 2)]).toBe('#ffffff');
    expect(colors[0]).toMatch(/^#1/); // green end
    const series = (option.series as { type: string; data: unknown[] }[])[0]!;
    expect(series.type).toBe('heatmap');
    expect(series.data).toBe(grid.cells);
    expect((option.yAxis as { data: string[] }).data).toEqual(['1. A', '2. B']);
  });

  it('says in the tooltip where the region moves', () => {
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(formatter({ data: [3, 1, -1, 1] })).toBe('B · Environment +20%: rank 1 (-1)');
    expect(formatter({ data: [3, 0, 1, 2] })).toBe('A · Environment +20%: rank 2 (+1)');
  });

  it('gives every row room', () => {
    expect(sensitivityHeight(31)).toBe(31 * 18 + 110);
    expect(sensitivityHeight(1)).toBe(240);
  });
});
