/**
 * The hot path of matching: the hard filter and the score over every offer of an index, on typed
 * arrays, allocating nothing per offer. It records only which constraint each offer failed first (a
 * byte); constraints.ts turns that into words for the offers a caller wants explained. The two must
 * agree, and a test checks that they do on random markets.
 */
import { estimateOneWayMsBetween } from '../network-model.ts';
import type { DemandContext } from './constraints.ts';
import { groupFailure } from './constraints.ts';
import type { OfferIndex } from './offerIndex.ts';
import { HARD_CONSTRAINTS, HOURS_PER_MONTH } from './types.ts';
import type { ScoreTerms } from './types.ts';

/** Every offer that passed the hard filter, with what the score needs, in index group order. */
export interface FeasibleSet {
  positions: Int32Array; // offer positions in the index
  latencyMs: Float64Array; // NaN when the demand names no origin
  unitPrice: Float64Array; // effective CNY per unit-hour (per 1k tokens)
  scores: Float64Array;
  /** Per offer position: 0 when feasible, else 1 + the index in HARD_CONSTRAINTS of its first failure. */
  firstFailed: Uint8Array;
}

const COUNT = HARD_CONSTRAINTS.indexOf('count') + 1;
const MEMORY = HARD_CONSTRAINTS.indexOf('memory') + 1;
const WINDOW = HARD_CONSTRAINTS.indexOf('window') + 1;
const REGION = HARD_CONSTRAINTS.indexOf('region') + 1;
const RESIDENCY = HARD_CONSTRAINTS.indexOf('residency') + 1;
const LATENCY = HARD_CONSTRAINTS.indexOf('latency') + 1;
const PRICE = HARD_CONSTRAINTS.indexOf('price') + 1;

export function filterAndScore(index: OfferIndex, ctx: DemandContext): FeasibleSet {
  const n = index.offers.length;
  const firstFailed = new Uint8Array(n);
  let positions = new Int32Array(Math.min(n, 1024));
  let latencies = new Float64Array(positions.length);
  let prices = new Float64Array(positions.length);
  let found = 0;

  const { count, memoryGb, startMs, endMs, minTermHours, lon, lat, pricePerUnit, monthly, regionChain } = index;
  const need = ctx.demand.count;
  const checkMemory = ctx.demand.memoryGb !== undefined;
  const needMemory = ctx.demand.memoryGb ?? 0;
  const { nowMs, hours, maxMs, maxPrice, allowed, residency, origin, originCode, latency } = ctx;
  const demandStart = ctx.startMs, demandEnd = ctx.endMs;
  const monthFactor = Math.ceil(hours / HOURS_PER_MONTH) / hours;
  const originLon = origin ? origin[0] : 0, originLat = origin ? origin[1] : 0;

  for (const group of index.groups) {
    const members = group.members;
    const shared = groupFailure(group, ctx);
    if (shared) {
      const code = HARD_CONSTRAINTS.indexOf(shared.constraint) + 1;
      for (let m = 0; m < members.length; m++) firstFailed[members[m]] = code;
      continue;
    }
    for (let m = 0; m < members.length; m++) {
      const i = members[m];
      if (count[i] < need) { firstFailed[i] = COUNT; continue; }
      if (checkMemory && !(memoryGb[i] >= needMemory)) { firstFailed[i] = MEMORY; continue; }
      if (!(endMs[i] > nowMs) || startMs[i] > demandStart || endMs[i] < demandEnd || minTermHours[i] > hours) { firstFailed[i] = WINDOW; continue; }
      if (allowed !== null && !anyIn(allowed, regionChain[i])) { firstFailed[i] = REGION; continue; }
      if (residency !== null && !regionChain[i].includes(residency)) { firstFailed[i] = RESIDENCY; continue; }
      let latencyMs = Number.NaN;
      if (origin !== null) {
        const measured = latency ? latency(originCode!, index.offers[i]) : null;
        latencyMs = measured ?? estimateOneWayMsBetween(originLon, originLat, lon[i], lat[i]);
        if (latencyMs > maxMs) { firstFailed[i] = LATENCY; continue; }
      }
      const unitPrice = monthly[i] === 1 ? pricePerUnit[i] * monthFactor : pricePerUnit[i];
      if (unitPrice > maxPrice) { firstFailed[i] = PRICE; continue; }
      if (found === positions.length) {
        positions = grow(positions, new Int32Array(found * 2));
        latencies = grow(latencies, new Float64Array(found * 2));
        prices = grow(prices, new Float64Array(found * 2));
      }
      positions[found] = i;
      latencies[found] = latencyMs;
      prices[found] = unitPrice;
      found++;
    }
  }
  const set: FeasibleSet = {
    positions: positions.slice(0, found),
    latencyMs: latencies.slice(0, found),
    unitPrice: prices.slice(0, found),
    scores: new Float64Array(found),
    firstFailed,
  };
  const scorer = createScorer(index, ctx, set);
  const terms: ScoreTerms = { price: 0, latency: 0, green: 0, reputation: 0, utilisation: 0 };
  for (let k = 0; k < found; k++) set.scores[k] = sumTerms(scorer(k, terms));
  return set;
}

function anyIn(codes: readonly string[], chain: readonly string[]): boolean {
  for (const code of codes) if (chain.includes(code)) return true;
  return false;
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Fixed order of addition, so `score === sumTerms(terms)` holds exactly, not just within rounding. */
export function sumTerms(t: ScoreTerms): number {
  return t.price + t.latency + t.green + t.reputation + t.utilisation;
}

/**
 * Each term is weight × normalised value in [0, 1]. Price and latency are min–max normalised over
 * the feasible set (cheapest / nearest = 1, dearest / farthest = 0, all equal = 1); green share,
 * reputation / 5 and spare rack share (1 − utilisation) are absolute. Without a latency origin the
 * latency term is 0.
 */
export function createScorer(index: OfferIndex, ctx: DemandContext, set: FeasibleSet): (k: number, out: ScoreTerms) => ScoreTerms {
  const w = ctx.demand.weights;
  let minPrice = Infinity, maxPrice = -Infinity, minLatency = Infinity, maxLatency = -Infinity;
  for (let k = 0; k < set.positions.length; k++) {
    const p = set.unitPrice[k], l = set.latencyMs[k];
    if (p < minPrice) minPrice = p;
    if (p > maxPrice) maxPrice = p;
    if (l < minLatency) minLatency = l;
    if (l > maxLatency) maxLatency = l;
  }
  const priceSpan = maxPrice - minPrice;
  const latencySpan = maxLatency - minLatency;
  const hasOrigin = ctx.origin !== null;
  return (k, out) => {
    const i = set.positions[k];
    out.price = w.price * (priceSpan > 0 ? (maxPrice - set.unitPrice[k]) / priceSpan : 1);
    out.latency = hasOrigin ? w.latency * (latencySpan > 0 ? (maxLatency - set.latencyMs[k]) / latencySpan : 1) : 0;
    out.green = w.green * index.green[i];
    out.reputation = w.reputation * index.reputation[i];
    out.utilisation = w.utilisation * index.spare[i];
    return out;
  };
}
