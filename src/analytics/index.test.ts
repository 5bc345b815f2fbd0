import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { type IndexInput, moveWeight, normalise, rankByScore, scoreIndex, sensitivity } from './index.ts';
import { DEFAULT_WEIGHTS, DIMENSIONS, INDICATOR_IDS, INDICATORS, indicatorsOf, NEUTRAL_SCORE, WEIGHT_IDS } from './index-method.ts';
import { parseWeights, resolveWeights } from './index-weights.ts';

const higherLog = { scale: 'log', direction: 'higher', available: true } as const;
const lowerLinear = { scale: 'linear', direction: 'lower', available: true } as const;

function input(code: string, overrides: Record<string, number | null> = {}): IndexInput {
  const values: Record<string, number | null> = {};
  for (const id of INDICATOR_IDS) values[id] = 10;
  values['model.services'] = null;
  return { code, name: `region ${code}`, values: { ...values, ...overrides } };
}

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('index method', () => {
  it('has default weights summing to 1 per dimension and within each dimension', () => {
    expect(DIMENSIONS.reduce((sum, d) => sum + DEFAULT_WEIGHTS.dimensions[d], 0)).toBeCloseTo(1, 12);
    for (const dimension of DIMENSIONS) {
      expect(indicatorsOf(dimension).length).toBeGreaterThan(0);
      expect(indicatorsOf(dimension).reduce((sum, i) => sum + DEFAULT_WEIGHTS.indicators[i.id], 0)).toBeCloseTo(1, 12);
    }
    expect(Object.keys(DEFAULT_WEIGHTS.indicators).sort()).toEqual([...INDICATOR_IDS].sort());
    expect(INDICATORS.find((i) => i.id === 'model.services')?.available).toBe(false);
  });
});

describe('normalise', () => {
  it('maps log10(1 + x) min–max onto 0–100 for higher-is-better totals', () => {
    const scores = normalise([0, 9, 99, 999], higherLog);
    expect(scores[0]).toBe(0);
    expect(scores[3]).toBe(100);
    expect(scores[1]).toBeCloseTo(100 / 3, 12);
    expect(scores[2]).toBeCloseTo(200 / 3, 12);
  });

  it('inverts lower-is-better indicators', () => {
    expect(normalise([1.2, 1.5, 1.8], lowerLinear)).toEqual([100, 50, 0].map((v, i) => (i === 1 ? expect.closeTo(v, 12) : v)));
  });

  it('scores a region without a value 0, equal values and unavailable indicators neutral', () => {
    expect(normalise([1.3, null, 1.5], lowerLinear)).toEqual([100, 0, 0]);
    expect(normalise([7, 7, null], higherLog)).toEqual([NEUTRAL_SCORE, NEUTRAL_SCORE, 0]);
    expect(normalise([null, null], higherLog)).toEqual([NEUTRAL_SCORE, NEUTRAL_SCORE]);
    expect(normalise([1, 2], { ...higherLog, available: false })).toEqual([NEUTRAL_SCORE, NEUTRAL_SCORE]);
  });
});

describe('weights', () => {
  it('reads JSON and id:weight pairs alike', () => {
    expect(parseWeights('{"compute":0.5,"environment.pue":2}')).toEqual({ compute: 0.5, 'environment.pue': 2 });
    expect(parseWeights(' compute:0.5 , environment.pue:2 ')).toEqual({ compute: 0.5, 'environment.pue': 2 });
  });

  it('keeps defaults for ids not given, then normalises each group to 1', () => {
    const weights = resolveWeights({ compute: 0.7, storage: 0, network: 0, model: 0, environment: 0.3 });
    expect(weights.dimensions).toEqual({ compute: 0.7, storage: 0, network: 0, model: 0, environment: 0.3 });
    const scaled = resolveWeights({ compute: 7, storage: 0, network: 0, model: 0, environment: 3 });
    expect(scaled.dimensions.compute).toBeCloseTo(0.7, 15);
    const pue = resolveWeights({ 'environment.pue': 1, 'environment.greenShare': 1, 'environment.kwhPerRack': 0 });
    expect(pue.indicators['environment.pue']).toBe(0.5);
    expect(pue.indicators['compute.fp32Equivalent']).toBe(0.5);
    expect(Object.keys(pue.indicators)).toEqual([...INDICATOR_IDS]);
  });

  it('rejects unknown ids with the list of valid ones, negative, non-finite and all-zero weights', () => {
    const unknown = errorOf(() => parseWeights('compute:1,latency:2'));
    expect(unknown.status).toBe(400);
    expect(unknown.code).toBe('INVALID_WEIGHTS');
    expect(unknown.message).toContain('"latency"');
    expect(unknown.extra?.validIds).toEqual([...WEIGHT_IDS]);
    for (const text of ['compute:-1', 'compute:abc', 'compute:', '{"compute":"1"}', '[1,2]', '{bad json', '', 'compute']) {
      expect(errorOf(() => parseWeights(text)).code, text).toBe('INVALID_WEIGHTS');
    }
    expect(errorOf(() => resolveWeights({ compute: 0, storage: 0, network: 0, model: 0, environment: 0 })).message).toContain('sum to 0');
    expect(errorOf(() => resolveWeights({ 'storage.capacity': 0, 'storage.advancedShare': 0 })).message).toContain('storage');
    expect(resolveWeights({ storage: 0, 'storage.capacity': 0, 'storage.advancedShare': 0 }).indicators['storage.capacity']).toBe(0);
  });
});

describe('ranking', () => {
  it('orders by score descending, then code ascending', () => {
    const ranks = rankByScore([
      { code: '320000', score: 50 },
      { code: '110000', score: 50 },
      { code: '440000', score: 70 },
      { code: '130000', score: 10 },
    ]);
    expect([...ranks.entries()]).toEqual([
      ['440000', 1],
      ['110000', 2],
      ['320000', 3],
      ['130000', 4],
    ]);
  });

  it('scores Σ dimension weight × dimension score and breaks exact ties by code', () => {
    const results = scoreIndex([input('320000'), input('110000'), input('440000', { 'compute.fp32Equivalent': 1000 })], resolveWeights());
    expect(results.map((r) => [r.code, r.rank])).toEqual([
      ['440000', 1],
      ['110000', 2],
      ['320000', 3],
    ]);
    const top = results[0];
    expect(top.dimensions.compute.indicators['compute.fp32Equivalent'].score).toBe(100);
    expect(top.dimensions.model).toMatchObject({ score: NEUTRAL_SCORE, available: false });
    const expected = DIMENSIONS.reduce((sum, d) => sum + top.dimensions[d].weight * top.dimensions[d].score, 0);
    expect(top.score).toBe(expected);
    expect(top.scoreRounded).toBe(Math.round(expected * 100) / 100);
  });

  it('gives the same bits whatever order the regions come in', () => {
    const inputs = ['110000', '320000', '440000', '510000'].map((code, i) => input(code, { 'compute.fp32Equivalent': 10 ** i, 'environment.pue': 1.2 + i / 10, 'storage.capacity': 3 * i }));
    const a = JSON.stringify(scoreIndex(inputs, resolveWeights()));
    const b = JSON.stringify(scoreIndex([...inputs].reverse(), resolveWeights()));
    expect(a).toBe(b);
  });
});

describe('sensitivity', () => {
  it('moves one dimension weight by ±20% and renormalises the others', () => {
    const moved = moveWeight(resolveWeights().dimensions, 'compute', 1.2);
    expect(moved.compute).toBeCloseTo(0.42, 12);
    expect(DIMENSIONS.reduce((sum, d) => sum + moved[d], 0)).toBeCloseTo(1, 12);
    expect(moved.storage / moved.environment).toBeCloseTo(0.15 / 0.25, 12);
    expect(moveWeight({ compute: 1, storage: 0, network: 0, model: 0, environment: 0 }, 'compute', 1.2).compute).toBe(1);
  });

  it('reports each region’s rank per scenario and the largest shift', () => {
    // A leads on compute, B on environment: the compute weight decides between them.
    const inputs = [
      input('110000', { 'compute.fp32Equivalent': 1e6, 'environment.pue': 1.6 }),
      input('120000', { 'compute.fp32Equivalent': 1e5, 'environment.pue': 1.2 }),
      input('130000', { 'compute.fp32Equivalent': 1, 'environment.pue': 1.9 }),
    ];
    const weights = resolveWeights({ compute: 0.25, environment: 0.25, storage: 0.25, network: 0.25, model: 0, 'compute.fp32Equivalent': 1, 'compute.intelligentShare': 0, 'compute.accelerators': 0, 'environment.pue': 1, 'environment.greenShare': 0, 'environment.kwhPerRack': 0 });
    const result = sensitivity(inputs, weights);
    expect(result.scenarios).toHaveLength(DIMENSIONS.length * 2);
    expect(result.scenarios.map((s) => `${s.dimension}${s.change}`)).toEqual(DIMENSIONS.flatMap((d) => [`${d}-0.2`, `${d}0.2`]));
    for (const scenario of result.scenarios) {
      expect(scenario.ranks.map((r) => r.rank).sort()).toEqual([1, 2, 3]);
      expect(scenario.maxRankShift).toBe(Math.max(...scenario.ranks.map((r) => Math.abs(r.shift))));
    }
    expect(result.scenarios.find((s) => s.dimension === 'model')!.maxRankShift).toBe(0);
    expect(result.maxRankShift).toBe(Math.max(...result.scenarios.map((s) => s.maxRankShift)));
    for (const region of result.baseline) expect(region.bestRank).toBeLessThanOrEqual(region.rank);
    expect(JSON.stringify(sensitivity(inputs, weights))).toBe(JSON.stringify(result));
  });
});
