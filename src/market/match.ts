/**
 * One demand against many offers: hard filter, published score, top-K, and an explanation for every
 * offer — its score terms when it is a candidate, the first constraint it failed when it is not, and
 * for a demand nothing matched, the nearest misses and what to relax. Method: docs/methods/ranking.md.
 */
import { demandContext, groupFailure, offerFailures } from './constraints.ts';
import type { OfferMeasures } from './constraints.ts';
import { createScorer, filterAndScore, sumTerms } from './filter.ts';
import type { FeasibleSet } from './filter.ts';
import type { LatencySource } from './latency.ts';
import { findNearestMisses } from './misses.ts';
import { buildOfferIndex, totalPrice } from './offerIndex.ts';
import type { OfferIndex } from './offerIndex.ts';
import { HARD_CONSTRAINTS } from './types.ts';
import type { Candidate, ConstraintFailure, Demand, Exclusion, HardConstraint, MatchResult, Offer } from './types.ts';
import { assertValidDemand } from './validate.ts';

export interface MatchOptions {
  latency?: LatencySource; // measured latency; the geographic estimate fills the gaps
  topK?: number; // default 10
  now?: Date | string | number; // offers whose window ended before `now` have expired; default: the clock
  nearestMisses?: number; // how many to return when nothing matched, default 10
  /**
   * How many excluded offers to explain in words (the first in input order), default 100. Counts per constraint
   * are always complete; an HTTP route should pass a page size, as wording 100,000 reasons costs
   * more than ranking (bench/match.ts measures both).
   */
  excludedLimit?: number;
}

export function nowMs(now: MatchOptions['now']): number {
  return now === undefined ? Date.now() : now instanceof Date ? now.getTime() : typeof now === 'string' ? Date.parse(now) : now;
}

/** Tie-break: score descending, then effective price ascending, then offer id ascending (code-unit order). */
export function ranksBefore(index: OfferIndex, set: FeasibleSet, a: number, b: number): boolean {
  if (set.scores[a] !== set.scores[b]) return set.scores[a] > set.scores[b];
  if (set.unitPrice[a] !== set.unitPrice[b]) return set.unitPrice[a] < set.unitPrice[b];
  return index.offers[set.positions[a]].id < index.offers[set.positions[b]].id;
}

/** The best `k` feasible entries, best first: one comparison per entry unless it enters the top. */
export function topEntries(index: OfferIndex, set: FeasibleSet, k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  for (let e = 0; e < set.positions.length; e++) {
    if (top.length === k && !ranksBefore(index, set, e, top[k - 1])) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && ranksBefore(index, set, e, top[at - 1])) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = e;
  }
  return top;
}

export function matchDemand(demand: Demand, offers: readonly Offer[] | OfferIndex, options: MatchOptions = {}): MatchResult {
  assertValidDemand(demand);
  const index = Array.isArray(offers) ? buildOfferIndex(offers) : (offers as OfferIndex);
  const ctx = demandContext(demand, options.latency, nowMs(options.now));
  const set = filterAndScore(index, ctx);

  const scorer = createScorer(index, ctx, set);
  const candidates: Candidate[] = topEntries(index, set, options.topK ?? 10).map((e) => {
    const offer = index.offers[set.positions[e]];
    const terms = scorer(e, { price: 0, latency: 0, green: 0, reputation: 0, utilisation: 0 });
    const latencyMs = set.latencyMs[e];
    return {
      offerId: offer.id,
      score: sumTerms(terms),
      terms,
      latencyMs: Number.isNaN(latencyMs) ? null : latencyMs,
      totalPrice: totalPrice(offer.pricePerUnit, offer.unit, demand.count, ctx.hours),
    };
  });

  const excludedCounts = Object.fromEntries(HARD_CONSTRAINTS.map((c) => [c, 0])) as Record<HardConstraint, number>;
  const excluded: Exclusion[] = [];
  const limit = options.excludedLimit ?? 100;
  const scratch: ConstraintFailure[] = [];
  const measures: OfferMeasures = { latencyMs: Number.NaN, measured: false, unitPrice: Number.NaN };
  const groupFailures = new Map<OfferIndex['groups'][number], ConstraintFailure | null>();
  const groupOf = offerGroups(index);
  for (let i = 0; i < set.firstFailed.length; i++) {
    const code = set.firstFailed[i];
    if (code === 0) continue;
    const constraint = HARD_CONSTRAINTS[code - 1];
    excludedCounts[constraint]++;
    if (excluded.length >= limit) continue;
    let failed: ConstraintFailure | null | undefined;
    if (constraint === 'model' || constraint === 'tflops') {
      // One shared explanation per group: every offer in it failed for the same reason.
      const group = groupOf[i];
      failed = groupFailures.get(group);
      if (failed === undefined) groupFailures.set(group, (failed = groupFailure(group, ctx)));
    } else {
      scratch.length = 0;
      offerFailures(index, i, ctx, scratch, 1, measures);
      failed = scratch[0];
    }
    if (!failed || failed.constraint !== constraint) throw new Error(`matcher disagreement on offer ${index.offers[i].id}: ${constraint} vs ${failed?.constraint}`);
    excluded.push({ offerId: index.offers[i].id, failed });
  }

  const base = { candidates, excluded, excludedCounts, feasibleCount: set.positions.length };
  if (set.positions.length > 0) return { ...base, nearestMisses: [], hints: [], message: null };
  const misses = findNearestMisses(index, ctx, excludedCounts, options.nearestMisses ?? 10);
  return { ...base, ...misses };
}

const groupsCache = new WeakMap<OfferIndex, OfferIndex['groups']>();
/** The group of each offer position (built on first need, kept with the index). */
function offerGroups(index: OfferIndex): OfferIndex['groups'] {
  let groups = groupsCache.get(index);
  if (!groups) {
    groups = new Array(index.offers.length);
    for (const group of index.groups) for (const i of group.members) groups[i] = group;
    groupsCache.set(index, groups);
  }
  return groups;
}
