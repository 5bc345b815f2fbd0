/**
 * Many demands onto many offers' capacity at once. A demand is served whole by one offer (no split:
 * one order, one supplier, one contract, as the product sells it), so the exact problem is an
 * integer program (a generalised assignment). We solve its LP relaxation with HiGHS — which gives
 * the upper bound no assignment can beat — round it (keep x = 1, then fill the rest greedily in
 * order of the LP's fractional x), improve the rounding by local search (improveAssignment), and
 * report the result beside greedy first-fit and the bound.
 * Method: docs/methods/ranking.md.
 */
// The package's typings are CommonJS-flavoured (TypeScript sees the loader at `.default.default`),
// while the ES module Node loads exports it at `.default`: accept either.
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { demandContext } from './constraints.ts';
import type { LatencySource } from './latency.ts';
import { filterAndScore } from './filter.ts';
import { nowMs } from './match.ts';
import type { MatchOptions } from './match.ts';
import { buildOfferIndex, totalPrice } from './offerIndex.ts';
import type { OfferIndex } from './offerIndex.ts';
import type { Demand, Offer } from './types.ts';
import { assertValidDemand } from './validate.ts';

export type BatchObjective = 'score' | 'cost';

export interface BatchOptions {
  objective: BatchObjective;
  latency?: LatencySource;
  now?: MatchOptions['now'];
  timeLimitSeconds?: number; // for HiGHS; default 60
}

export interface BatchAssignment {
  demandId: string;
  offerId: string;
  quantity: number;
}

export interface BatchResult {
  assignment: BatchAssignment[]; // in demand id order
  objective: number; // of the returned assignment (see `value` in the method)
  greedyObjective: number;
  bound: number; // LP relaxation optimum: no integral assignment exceeds it
  solveMs: number; // whole call: filter, LP, rounding, greedy
  lpMs: number; // HiGHS alone
  method: 'lp-rounding' | 'greedy'; // which of the two produced `assignment` (the better one)
  served: number;
  greedyServed: number;
  totalCost: number; // CNY of the returned assignment (per-token offers count their unit price)
  variables: number; // feasible (demand, offer) pairs
}

type LoadHighs = typeof highsModule.default.default;
let highsPromise: Promise<Highs> | undefined;
/** The HiGHS WASM runtime, loaded once per process on first use. */
export function highs(): Promise<Highs> {
  const module = highsModule.default as unknown as LoadHighs | { default: LoadHighs };
  highsPromise ??= (typeof module === 'function' ? module : module.default)();
  return highsPromise;
}

/** Feasible (demand, offer) pairs as parallel typed arrays; `value` is what the batch maximises. */
export interface PairSet {
  demand: Int32Array;
  offer: Int32Array; // offer position in the index
  value: Float64Array;
  cost: Float64Array;
  unitPrice: Float64Array;
}

/**
 * `score`: a pair's value is the demand's ranking score for the offer. `cost`: value = M − cost with
 * M = 2 × the dearest pair's cost, so every served demand is worth at least M/2 — serving more
 * demands comes first, and among the same demands the cheaper assignment wins.
 */
export function feasiblePairs(demands: readonly Demand[], index: OfferIndex, objective: BatchObjective, latency: LatencySource | undefined, now: number): PairSet {
  const d: number[] = [], o: number[] = [], score: number[] = [], cost: number[] = [], price: number[] = [];
  demands.forEach((demand, di) => {
    assertValidDemand(demand);
    const ctx = demandContext(demand, latency, now);
    const set = filterAndScore(index, ctx);
    for (let k = 0; k < set.positions.length; k++) {
      const offer = index.offers[set.positions[k]];
      d.push(di);
      o.push(set.positions[k]);
      score.push(set.scores[k]);
      price.push(set.unitPrice[k]);
      cost.push(totalPrice(offer.pricePerUnit, offer.unit, demand.count, ctx.hours) ?? offer.pricePerUnit);
    }
  });
  let value = Float64Array.from(score);
  if (objective === 'cost') {
    const big = 2 * Math.max(1, maxOf(cost));
    value = Float64Array.from(cost, (c) => big - c);
  }
  return { demand: Int32Array.from(d), offer: Int32Array.from(o), value, cost: Float64Array.from(cost), unitPrice: Float64Array.from(price) };
}

function maxOf(values: number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Pair order for greedy choices: value desc, then unit price asc, then offer id asc. */
function pairBefore(pairs: PairSet, index: OfferIndex, a: number, b: number): number {
  return pairs.value[b] - pairs.value[a] || pairs.unitPrice[a] - pairs.unitPrice[b] || (index.offers[pairs.offer[a]].id < index.offers[pairs.offer[b]].id ? -1 : 1);
}

/** Greedy first-fit: demands in id order, each takes its best pair whose offer still has capacity. */
export function greedyFirstFit(demands: readonly Demand[], index: OfferIndex, pairs: PairSet): Int32Array {
  const chosen = new Int32Array(demands.length).fill(-1);
  const remaining = Float64Array.from(index.count);
  const byDemand = pairsByDemand(demands.length, pairs);
  const order = demands.map((_, i) => i).sort((a, b) => (demands[a].id < demands[b].id ? -1 : demands[a].id > demands[b].id ? 1 : 0));
  for (const di of order) {
    const options = byDemand[di].sort((a, b) => pairBefore(pairs, index, a, b));
    const need = demands[di].count;
    const pick = options.find((p) => remaining[pairs.offer[p]] >= need);
    if (pick !== undefined) {
      chosen[di] = pick;
      remaining[pairs.offer[pick]] -= need;
    }
  }
  return chosen;
}

function pairsByDemand(demandCount: number, pairs: PairSet): number[][] {
  const lists: number[][] = Array.from({ length: demandCount }, () => []);
  for (let p = 0; p < pairs.demand.length; p++) lists[pairs.demand[p]].push(p);
  return lists;
}

/** Solves max Σ value·x s.t. Σ_o x_do ≤ 1 per demand, Σ_d count_d·x_do ≤ count_o per offer, 0 ≤ x ≤ 1. */
export async function solveRelaxation(demands: readonly Demand[], index: OfferIndex, pairs: PairSet, timeLimitSeconds = 60): Promise<{ x: Float64Array; bound: number }> {
  const solver = await highs();
  const p = pairs.demand.length;
  if (p === 0) return { x: new Float64Array(0), bound: 0 };
  // Rows: one per demand, then one per offer that appears in some pair.
  const offerRow = new Int32Array(index.offers.length).fill(-1);
  const rowUpper: number[] = demands.map(() => 1);
  for (let k = 0; k < p; k++) {
    const o = pairs.offer[k];
    if (offerRow[o] < 0) {
      offerRow[o] = rowUpper.length;
      rowUpper.push(index.count[o]);
    }
  }
  const starts = new Int32Array(p + 1);
  const indices = new Int32Array(2 * p);
  const values = new Float64Array(2 * p);
  for (let k = 0; k < p; k++) {
    starts[k + 1] = 2 * (k + 1);
    indices[2 * k] = pairs.demand[k];
    values[2 * k] = 1;
    indices[2 * k + 1] = offerRow[pairs.offer[k]];
    values[2 * k + 1] = demands[pairs.demand[k]].count;
  }
  const rows = rowUpper.length;
  return solver.withModel(
    {
      numCols: p,
      numRows: rows,
      sense: solver.constants.objectiveSense.maximize,
      colCost: pairs.value,
      colLower: new Float64Array(p),
      colUpper: new Float64Array(p).fill(1),
      rowLower: new Float64Array(rows).fill(-solver.infinity),
      rowUpper: Float64Array.from(rowUpper),
      matrix: { format: 'csc', numRows: rows, numCols: p, starts, indices, values },
    },
    (model) => {
      model.options.set({ output_flag: false, time_limit: timeLimitSeconds });
      model.run();
      const status = model.getModelStatus();
      if (status !== solver.constants.modelStatus.optimal) {
        throw new Error(`HiGHS did not reach the LP optimum (model status ${status}); raise timeLimitSeconds or shrink the batch`);
      }
      return { x: model.getSolution().colValue, bound: model.getObjectiveValue() };
    },
  );
}

/** Keeps the pairs the LP set to 1, then fills the other demands in order of fractional x, then value. */
export function roundRelaxation(demands: readonly Demand[], index: OfferIndex, pairs: PairSet, x: Float64Array): Int32Array {
  const chosen = new Int32Array(demands.length).fill(-1);
  const remaining = Float64Array.from(index.count);
  const take = (k: number) => {
    const di = pairs.demand[k];
    const need = demands[di].count;
    if (chosen[di] >= 0 || remaining[pairs.offer[k]] < need) return;
    chosen[di] = k;
    remaining[pairs.offer[k]] -= need;
  };
  const order = Array.from(x.keys()).sort((a, b) => x[b] - x[a] || pairBefore(pairs, index, a, b));
  for (const k of order) if (x[k] > 1 - 1e-6) take(k);
  for (const k of order) take(k);
  return chosen;
}

/**
 * Local search on an integral assignment (changed in place), which only ever raises the objective
 * and never exceeds a capacity. Moves, repeated until a pass finds none (at most `passes`):
 * - upgrade: a served demand moves to a better pair whose offer has room;
 * - insert: an unserved demand takes a pair whose offer has room;
 * - eject: an unserved demand takes a pair whose offer lacks room, by moving one demand served there
 *   to another offer with room (or dropping it) when the total value rises.
 * Demands and pairs are visited in a fixed order, so the result is deterministic.
 */
export function improveAssignment(demands: readonly Demand[], index: OfferIndex, pairs: PairSet, chosen: Int32Array, passes = 4): void {
  const remaining = Float64Array.from(index.count);
  const onOffer: Set<number>[] = Array.from({ length: index.offers.length }, () => new Set());
  for (let di = 0; di < chosen.length; di++) {
    const k = chosen[di];
    if (k < 0) continue;
    remaining[pairs.offer[k]] -= demands[di].count;
    onOffer[pairs.offer[k]].add(di);
  }
  const byDemand = pairsByDemand(demands.length, pairs).map((list) => list.sort((a, b) => pairBefore(pairs, index, a, b)));
  const assign = (di: number, k: number) => {
    const old = chosen[di];
    if (old >= 0) {
      remaining[pairs.offer[old]] += demands[di].count;
      onOffer[pairs.offer[old]].delete(di);
    }
    chosen[di] = k;
    if (k >= 0) {
      remaining[pairs.offer[k]] -= demands[di].count;
      onOffer[pairs.offer[k]].add(di);
    }
  };
  const EPS = 1e-9;
  /** The best pair of `di` with room on its offer (excluding `exceptOffer`), or -1. Lists are sorted by value. */
  const bestWithRoom = (di: number, exceptOffer: number) => {
    for (const k of byDemand[di]) if (pairs.offer[k] !== exceptOffer && remaining[pairs.offer[k]] >= demands[di].count) return k;
    return -1;
  };
  for (let pass = 0; pass < passes; pass++) {
    let improved = false;
    for (let di = 0; di < demands.length; di++) {
      const current = chosen[di];
      const currentValue = current >= 0 ? pairs.value[current] : 0;
      const need = demands[di].count;
      // Upgrade or insert.
      for (const k of byDemand[di]) {
        if (pairs.value[k] <= currentValue + EPS) break;
        const o = pairs.offer[k];
        if (o !== (current >= 0 ? pairs.offer[current] : -1) && remaining[o] >= need) {
          assign(di, k);
          improved = true;
          break;
        }
      }
      if (chosen[di] >= 0) continue;
      // Eject: the best gain over this demand's pairs and the demands served on each pair's offer.
      let best = { gain: EPS, k: -1, other: -1, otherTo: -1 };
      for (const k of byDemand[di]) {
        const o = pairs.offer[k];
        for (const dj of onOffer[o]) {
          if (remaining[o] + demands[dj].count < need) continue;
          const to = bestWithRoom(dj, o);
          const gain = pairs.value[k] - pairs.value[chosen[dj]] + (to >= 0 ? pairs.value[to] : 0);
          if (gain > best.gain) best = { gain, k, other: dj, otherTo: to };
        }
      }
      if (best.k >= 0) {
        assign(best.other, best.otherTo);
        assign(di, best.k);
        improved = true;
      }
    }
    if (!improved) break;
  }
}

function objectiveOf(chosen: Int32Array, pairs: PairSet): number {
  let total = 0;
  for (const k of chosen) if (k >= 0) total += pairs.value[k];
  return total;
}

export async function assignBatch(demands: readonly Demand[], offers: readonly Offer[] | OfferIndex, options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const index = Array.isArray(offers) ? buildOfferIndex(offers) : (offers as OfferIndex);
  const pairs = feasiblePairs(demands, index, options.objective, options.latency, nowMs(options.now));
  const lpStarted = performance.now();
  const { x, bound } = await solveRelaxation(demands, index, pairs, options.timeLimitSeconds);
  const lpMs = performance.now() - lpStarted;
  const rounded = roundRelaxation(demands, index, pairs, x);
  improveAssignment(demands, index, pairs, rounded);
  const greedy = greedyFirstFit(demands, index, pairs);
  const roundedObjective = objectiveOf(rounded, pairs);
  const greedyObjective = objectiveOf(greedy, pairs);
  // Rounding can, rarely, land below greedy; returning the better of the two keeps objective ≥ greedy.
  const useGreedy = greedyObjective > roundedObjective;
  const chosen = useGreedy ? greedy : rounded;
  const assignment: BatchAssignment[] = [];
  let totalCost = 0;
  chosen.forEach((k, di) => {
    if (k < 0) return;
    assignment.push({ demandId: demands[di].id, offerId: index.offers[pairs.offer[k]].id, quantity: demands[di].count });
    totalCost += pairs.cost[k];
  });
  assignment.sort((a, b) => (a.demandId < b.demandId ? -1 : a.demandId > b.demandId ? 1 : 0));
  return {
    assignment,
    objective: useGreedy ? greedyObjective : roundedObjective,
    greedyObjective,
    bound,
    solveMs: performance.now() - started,
    lpMs,
    method: useGreedy ? 'greedy' : 'lp-rounding',
    served: assignment.length,
    greedyServed: greedy.filter((k) => k >= 0).length,
    totalCost,
    variables: pairs.demand.length,
  };
}
