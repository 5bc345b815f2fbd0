import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.ts';
import { isWithin } from '../regions/dataset.ts';
import { generateDemands, generateOffers } from './generate.ts';
import { sumTerms } from './filter.ts';
import { matchDemand } from './match.ts';
import { buildOfferIndex } from './offerIndex.ts';
import type { Demand, Offer } from './types.ts';

const NOW = '2026-03-01T00:00:00Z';
const DATONG = '140200'; // 大同, Shanxi
const BEIJING_CHAOYANG = '110105';

function offer(id: string, overrides: Partial<Offer> = {}): Offer {
  return {
    id,
    facilityId: `f-${id}`,
    supplierOrgId: 'org-1',
    regionCode: DATONG,
    resourceKind: 'gpu',
    acceleratorModel: 'H200',
    count: 16,
    window: { start: '2026-02-01T00:00:00Z', end: '2026-06-01T00:00:00Z' },
    pricePerUnit: 25,
    unit: 'card_hour',
    minTermHours: 1,
    slaPct: 99.9,
    greenPowerPct: 50,
    facilityRackUtilization: 0.5,
    supplierReputation: 4,
    lon: 113.3,
    lat: 40.08,
    ...overrides,
  };
}

function demand(overrides: Partial<Demand> = {}): Demand {
  return {
    id: 'd-1',
    hard: { acceleratorModel: 'H200' },
    count: 8,
    start: '2026-03-02T00:00:00Z',
    durationHours: 72,
    latency: { fromRegionCode: DATONG, maxMs: 5 },
    maxPricePerUnit: 30,
    weights: { price: 1, latency: 1, green: 1, reputation: 1, utilisation: 1 },
    ...overrides,
  };
}

describe('matchDemand: hard filter', () => {
  it('reports the first failed constraint in the published order', () => {
    const offers = [
      offer('ok'),
      offer('model', { acceleratorModel: 'A100', count: 1 }), // also fails count: model is first
      offer('count', { count: 4, pricePerUnit: 99 }), // also fails price: count is first
      offer('memory', { memoryGb: 40 }),
      offer('expired', { window: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' } }),
      offer('short', { window: { start: '2026-02-01T00:00:00Z', end: '2026-03-03T00:00:00Z' } }),
      offer('term', { minTermHours: 720 }),
      offer('region', { regionCode: '320100', lon: 118.8, lat: 32.06 }), // 南京
      offer('far', { regionCode: '620100', lon: 103.8, lat: 36.06 }), // 兰州: fails latency only
      offer('dear', { pricePerUnit: 31 }),
    ];
    const result = matchDemand(demand({ memoryGb: 100, regionsAllowed: ['140000', '620000'], dataResidency: '140000' }), offers, { now: NOW });
    const reasons = Object.fromEntries(result.excluded.map((e) => [e.offerId, e.failed.constraint]));
    expect(reasons).toEqual({
      model: 'model',
      count: 'count',
      memory: 'memory',
      expired: 'window',
      short: 'window',
      term: 'window',
      region: 'region',
      far: 'residency',
      dear: 'price',
    });
    expect(result.candidates.map((c) => c.offerId)).toEqual(['ok']);
    expect(result.excludedCounts).toMatchObject({ model: 1, count: 1, memory: 1, window: 3, region: 1, residency: 1, price: 1, latency: 0 });
    expect(result.excluded.find((e) => e.offerId === 'count')?.failed.detail).toBe('offer has 4 available, demand needs 8');
  });

  it('checks TFLOPS at the requested precision from the catalogue, and the resource kind', () => {
    const offers = [offer('h200'), offer('a100', { acceleratorModel: 'A100 80GB' }), offer('npu', { resourceKind: 'npu', acceleratorModel: 'Ascend 910B' })];
    const result = matchDemand(demand({ hard: { minTflops: 500, precision: 'fp16' }, resourceKind: 'gpu' }), offers, { now: NOW });
    expect(result.candidates.map((c) => c.offerId)).toEqual(['h200']);
    expect(result.excluded.map((e) => [e.offerId, e.failed.constraint])).toEqual([['a100', 'tflops'], ['npu', 'model']]);
  });

  it('allows everything beneath an allowed province or city (isWithin)', () => {
    const county = '140213'; // 平城区, in 大同
    expect(isWithin(county, '140000')).toBe(true);
    const result = matchDemand(demand({ regionsAllowed: ['140200'] }), [offer('county', { regionCode: county })], { now: NOW });
    expect(result.candidates).toHaveLength(1);
  });

  it('rejects impossible demands with a code and a hint instead of an empty result', () => {
    expect(() => matchDemand(demand({ hard: { acceleratorModel: 'H9000' } }), [], { now: NOW })).toThrow(/no catalogue entry for "H9000"/i);
    expect(() => matchDemand(demand({ end: '2026-03-01T00:00:00Z', durationHours: undefined }), [], { now: NOW })).toThrow(/end must be after start/i);
  });

  it('prefers a measured latency over the estimate', () => {
    const offers = [offer('near')];
    const measured = matchDemand(demand(), offers, { now: NOW, latency: () => 9 });
    expect(measured.excluded[0].failed.detail).toMatch(/^measured 9 ms from 大同/);
    expect(matchDemand(demand(), offers, { now: NOW, latency: () => null }).candidates).toHaveLength(1);
  });
});

describe('matchDemand: score', () => {
  it('is exactly the sum of its terms, each weight × normalised value', () => {
    const offers = [
      offer('cheap', { pricePerUnit: 20, greenPowerPct: 100, facilityRackUtilization: 0.9, supplierReputation: 5 }),
      offer('dear', { pricePerUnit: 28, greenPowerPct: 0, facilityRackUtilization: 0.3, supplierReputation: 2.5, regionCode: '110105', lon: 116.44, lat: 39.92 }),
    ];
    const weights = { price: 2, latency: 0.5, green: 1, reputation: 1, utilisation: 3 };
    const result = matchDemand(demand({ weights }), offers, { now: NOW });
    const [cheap, dear] = result.candidates;
    expect(cheap.terms).toEqual({ price: 2, latency: 0.5, green: 1, reputation: 1, utilisation: 3 * (1 - 0.9) });
    expect(dear.terms).toEqual({ price: 0, latency: 0, green: 0, reputation: 0.5, utilisation: 3 * (1 - 0.3) });
    for (const c of result.candidates) expect(c.score).toBe(sumTerms(c.terms));
    expect(cheap.totalPrice).toBe(20 * 8 * 72);
  });

  it('on random markets: every score equals Σ terms, and the order is deterministic', () => {
    const random = createRandom(7);
    const offers = generateOffers(random.fork('offers'), 3000, { now: Date.parse(NOW) });
    const index = buildOfferIndex(offers);
    for (const d of generateDemands(random.fork('demands'), 40, { now: Date.parse(NOW) })) {
      const a = matchDemand(d, index, { now: NOW, topK: 20 });
      const b = matchDemand(d, buildOfferIndex([...offers].reverse()), { now: NOW, topK: 20 });
      expect(b.candidates).toEqual(a.candidates); // input order does not matter
      for (const c of a.candidates) expect(c.score).toBe(sumTerms(c.terms));
      for (let k = 1; k < a.candidates.length; k++) expect(a.candidates[k - 1].score).toBeGreaterThanOrEqual(a.candidates[k].score);
      expect(a.excluded.length + a.feasibleCount).toBe(Math.min(offers.length, a.feasibleCount + 100));
      expect(Object.values(a.excludedCounts).reduce((s, n) => s + n, 0) + a.feasibleCount).toBe(offers.length);
    }
  });

  it('breaks ties by price, then by offer id', () => {
    const weights = { price: 0, latency: 0, green: 1, reputation: 0, utilisation: 0 };
    const offers = [offer('b'), offer('a'), offer('c', { pricePerUnit: 24 })];
    const result = matchDemand(demand({ weights, latency: undefined }), offers, { now: NOW });
    expect(result.candidates.map((c) => c.offerId)).toEqual(['c', 'a', 'b']);
    expect(result.candidates[0].latencyMs).toBeNull();
  });

  it('returns every excluded reason when asked (excludedLimit), agreeing with the counts', () => {
    const random = createRandom(11);
    const offers = generateOffers(random, 2000, { now: Date.parse(NOW) });
    const d = { ...demand(), hard: { minTflops: 300, precision: 'fp16' as const } };
    const result = matchDemand(d, offers, { now: NOW, excludedLimit: Infinity });
    expect(result.excluded.length + result.feasibleCount).toBe(offers.length);
  });
});

describe('matchDemand: nearest misses', () => {
  it('names the offers one constraint away and what to relax', () => {
    const offers = [
      offer('beijing', { regionCode: BEIJING_CHAOYANG, lon: 116.44, lat: 39.92 }), // ~2.5 ms from 大同
      offer('yuncheng', { regionCode: '140800', lon: 111.0, lat: 35.03 }), // 运城: in Shanxi, ~600 km away
      offer('dear', { pricePerUnit: 33 }),
      offer('twice', { pricePerUnit: 40, count: 2 }), // two failures: not a near miss
    ];
    const result = matchDemand(demand({ latency: { fromRegionCode: DATONG, maxMs: 3 }, regionsAllowed: ['140000'] }), offers, { now: NOW });
    expect(result.candidates).toEqual([]);
    expect(result.nearestMisses.map((m) => [m.offerId, m.failed.constraint])).toEqual([
      ['dear', 'price'],
      ['yuncheng', 'latency'],
      ['beijing', 'region'],
    ]);
    const latencyHint = result.hints.find((h) => h.constraint === 'latency')!;
    expect(latencyHint.parameter).toBe('latency.maxMs');
    expect(latencyHint.to).toBeGreaterThan(3);
    expect(result.hints.find((h) => h.constraint === 'region')?.to).toBe('110000');
    expect(result.hints.find((h) => h.constraint === 'price')?.to).toBe(33);
    expect(result.message).toMatch(/^no offer has 8×H200 within 3 ms of 大同 in 山西 under ¥30 per unit-hour; /);
    expect(result.message).toMatch(/relax latency\.maxMs to \d+(\.\d)?( |$)/);
    expect(result.message).toContain('allow region 北京');
  });

  it('suggests another model when only the model differs', () => {
    const result = matchDemand(demand(), [offer('h100', { acceleratorModel: 'H100 SXM' })], { now: NOW });
    expect(result.hints).toEqual([{ constraint: 'model', parameter: 'hard.acceleratorModel', to: 'H100 SXM', offers: 1 }]);
    expect(result.message).toContain('accept H100 SXM');
  });
});
