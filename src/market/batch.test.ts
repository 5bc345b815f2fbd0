import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.ts';
import { assignBatch, feasiblePairs, improveAssignment, roundRelaxation, solveRelaxation } from './batch.ts';
import { buildOfferIndex } from './offerIndex.ts';
import { generateDemands, generateOffers } from './generate.ts';
import type { Demand, Offer } from './types.ts';

const NOW = '2026-03-01T00:00:00Z';

const offer = (id: string, count: number, pricePerUnit: number): Offer => ({
  id,
  facilityId: `f-${id}`,
  supplierOrgId: 'org-1',
  regionCode: '140200',
  resourceKind: 'gpu',
  acceleratorModel: 'H200',
  count,
  window: { start: '2026-02-01T00:00:00Z', end: '2026-06-01T00:00:00Z' },
  pricePerUnit,
  unit: 'card_hour',
  minTermHours: 1,
  slaPct: 99.9,
  greenPowerPct: 0,
  facilityRackUtilization: 1,
  supplierReputation: 0,
  lon: 113.3,
  lat: 40.08,
});

const demand = (id: string, count: number): Demand => ({
  id,
  hard: { acceleratorModel: 'H200' },
  count,
  start: '2026-03-02T00:00:00Z',
  durationHours: 10,
  weights: { price: 1, latency: 0, green: 0, reputation: 0, utilisation: 0 },
});

describe('assignBatch', () => {
  it('finds the LP optimum of a hand-solvable instance', async () => {
    // Offer a (¥10, 8 cards) and b (¥20, 8 cards). Price scores: a = 1, b = 0 for every demand.
    // Demands need 4, 5 and 4 cards. a holds 8 cards, so Σ count·x on a ≤ 8 caps the score at
    // 8/4 = 2 (the LP bound); d1 + d3 on a reach it, d2 goes to b for a score of 0.
    const offers = [offer('a', 8, 10), offer('b', 8, 20)];
    const demands = [demand('d1', 4), demand('d2', 5), demand('d3', 4)];
    const result = await assignBatch(demands, offers, { objective: 'score', now: NOW });
    expect(result.bound).toBeCloseTo(2, 9);
    expect(result.objective).toBeCloseTo(2, 9);
    expect(result.served).toBe(3);

    // Cost: pair cost = price × count × 10 h; minimal cost serving all three is d1, d3 on a (¥800)
    // and d2 on b (¥1,000): ¥1,800.
    const cost = await assignBatch(demands, offers, { objective: 'cost', now: NOW });
    expect(cost.served).toBe(3);
    expect(cost.totalCost).toBe(1800);
    expect(cost.assignment).toEqual([
      { demandId: 'd1', offerId: 'a', quantity: 4 },
      { demandId: 'd2', offerId: 'b', quantity: 5 },
      { demandId: 'd3', offerId: 'a', quantity: 4 },
    ]);
  });

  it('reports a fractional LP bound above what any integral assignment reaches', async () => {
    // One offer of 10 cards; two demands of 6: only one fits, the LP takes 1 + 4/6.
    const result = await assignBatch([demand('d1', 6), demand('d2', 6)], [offer('a', 10, 10)], { objective: 'score', now: NOW });
    expect(result.bound).toBeCloseTo(1 + 4 / 6, 9);
    expect(result.objective).toBe(1);
    expect(result.assignment).toHaveLength(1);
  });

  it('on random markets: never exceeds capacity, and greedy ≤ objective ≤ bound', async () => {
    const random = createRandom(42);
    const now = Date.parse(NOW);
    for (let round = 0; round < 3; round++) {
      const offers = generateOffers(random.fork(`offers-${round}`), 150, { now });
      const demands = generateDemands(random.fork(`demands-${round}`), 300, { now });
      for (const objective of ['score', 'cost'] as const) {
        const result = await assignBatch(demands, offers, { objective, now: NOW });
        const used = new Map<string, number>();
        for (const a of result.assignment) used.set(a.offerId, (used.get(a.offerId) ?? 0) + a.quantity);
        for (const o of offers) expect(used.get(o.id) ?? 0).toBeLessThanOrEqual(o.count);
        expect(new Set(result.assignment.map((a) => a.demandId)).size).toBe(result.assignment.length);
        for (const a of result.assignment) expect(a.quantity).toBe(demands.find((d) => d.id === a.demandId)!.count);
        expect(result.objective).toBeGreaterThanOrEqual(result.greedyObjective);
        expect(result.objective).toBeLessThanOrEqual(result.bound * (1 + 1e-9));
      }
    }
  });

  it('improves a rounded assignment by ejecting a demand to another offer, never lowering the objective', () => {
    // a (¥10, 6 cards) holds d1 (2 cards); d2 (6 cards) fits only on a. Moving d1 to b (¥20) lets d2 in.
    const offers = [offer('a', 6, 10), offer('b', 2, 20)];
    const demands = [demand('d1', 2), demand('d2', 6)];
    const index = buildOfferIndex(offers);
    const pairs = feasiblePairs(demands, index, 'cost', undefined, Date.parse(NOW)); // every served demand is worth ≥ M/2
    const pairOf = (di: number, offerId: string) => [...pairs.demand.keys()].find((k) => pairs.demand[k] === di && index.offers[pairs.offer[k]].id === offerId)!;
    const chosen = Int32Array.from([pairOf(0, 'a'), -1]);
    improveAssignment(demands, index, pairs, chosen);
    expect([...chosen]).toEqual([pairOf(0, 'b'), pairOf(1, 'a')]);
  });

  it('on random markets: improving the rounding keeps capacities and never lowers the objective', async () => {
    const random = createRandom(7);
    const now = Date.parse(NOW);
    for (let round = 0; round < 3; round++) {
      const offers = generateOffers(random.fork(`offers-${round}`), 120, { now });
      const demands = generateDemands(random.fork(`demands-${round}`), 400, { now });
      const index = buildOfferIndex(offers);
      const pairs = feasiblePairs(demands, index, 'score', undefined, now);
      const { x } = await solveRelaxation(demands, index, pairs);
      const chosen = roundRelaxation(demands, index, pairs, x);
      const value = (c: Int32Array) => [...c].reduce((sum, k) => sum + (k >= 0 ? pairs.value[k] : 0), 0);
      const before = value(chosen);
      improveAssignment(demands, index, pairs, chosen);
      expect(value(chosen)).toBeGreaterThanOrEqual(before - 1e-9);
      const used = new Float64Array(index.offers.length);
      chosen.forEach((k, di) => {
        if (k < 0) return;
        expect(pairs.demand[k]).toBe(di);
        used[pairs.offer[k]] += demands[di].count;
      });
      used.forEach((u, o) => expect(u).toBeLessThanOrEqual(index.count[o]));
    }
  });
});
