/**
 * For a demand nothing matched: the offers that failed exactly one hard constraint, how far off they
 * were, and which demand parameter to relax (and to what) to admit them — "no offer has 8×H200
 * within 5 ms of 大同; relax latency.maxMs to 7.4 or allow region 山西" (STYLE habit 11).
 */
import type { DemandContext, OfferMeasures } from './constraints.ts';
import { groupFailure, offerFailures, regionName } from './constraints.ts';
import type { OfferIndex } from './offerIndex.ts';
import { HARD_CONSTRAINTS } from './types.ts';
import type { ConstraintFailure, HardConstraint, NearestMiss, RelaxHint } from './types.ts';

const PARAMETER: Record<HardConstraint, string> = {
  model: 'hard.acceleratorModel',
  tflops: 'hard.minTflops',
  count: 'count',
  memory: 'memoryGb',
  window: 'start/end',
  region: 'regionsAllowed',
  residency: 'dataResidency',
  latency: 'latency.maxMs',
  price: 'maxPricePerUnit',
};

interface Miss extends NearestMiss {
  position: number;
}

/** Relative distance beyond the bound; yes/no constraints count as 1. */
function gapOf(failed: ConstraintFailure): number {
  const { required, actual } = failed;
  if (typeof required !== 'number' || typeof actual !== 'number') return 1;
  switch (failed.constraint) {
    case 'tflops':
    case 'count':
    case 'memory':
      return required > 0 ? (required - actual) / required : 1;
    case 'latency':
    case 'price':
      return required > 0 ? (actual - required) / required : 1;
    default:
      return 1;
  }
}

export function findNearestMisses(index: OfferIndex, ctx: DemandContext, excludedCounts: Record<HardConstraint, number>, limit: number) {
  const misses: Miss[] = [];
  const scratch: ConstraintFailure[] = [];
  const measures: OfferMeasures = { latencyMs: Number.NaN, measured: false, unitPrice: Number.NaN };
  for (const group of index.groups) {
    const shared = groupFailure(group, ctx);
    // Suggesting another kind of resource, or a card whose peak nobody knows, helps no one.
    if (shared && (shared.required === ctx.demand.resourceKind || shared.actual === 'unknown' || group.model === null)) continue;
    for (let m = 0; m < group.members.length; m++) {
      const i = group.members[m];
      scratch.length = 0;
      if (shared) scratch.push(shared);
      offerFailures(index, i, ctx, scratch, 2 - scratch.length, measures);
      if (scratch.length !== 1) continue;
      misses.push({ offerId: index.offers[i].id, failed: scratch[0], gap: gapOf(scratch[0]), position: i });
    }
  }
  misses.sort((a, b) => a.gap - b.gap || (a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0));
  const hints = relaxHints(index, misses);
  return {
    nearestMisses: misses.slice(0, limit).map(({ offerId, failed, gap }) => ({ offerId, failed, gap })),
    hints,
    message: unmatchedMessage(ctx, hints, excludedCounts),
  };
}

const ceilTo = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/** One hint per constraint that some miss failed alone, the most useful (most offers admitted) first. */
function relaxHints(index: OfferIndex, misses: Miss[]): RelaxHint[] {
  const byConstraint = new Map<HardConstraint, Miss[]>();
  for (const miss of misses) {
    const list = byConstraint.get(miss.failed.constraint) ?? [];
    list.push(miss);
    byConstraint.set(miss.failed.constraint, list);
  }
  const hints: RelaxHint[] = [];
  for (const constraint of HARD_CONSTRAINTS) {
    const list = byConstraint.get(constraint);
    if (!list) continue;
    const numbers = list.map((m) => m.failed.actual).filter((v): v is number => typeof v === 'number');
    let to: number | string | null = null;
    switch (constraint) {
      case 'model':
        to = mostCommon(list.map((m) => String(m.failed.actual)));
        break;
      case 'tflops':
      case 'count':
      case 'memory':
        to = numbers.length > 0 ? Math.max(...numbers) : null;
        break;
      case 'latency':
        to = ceilTo(Math.min(...numbers), 0.1);
        to = Math.round(to * 10) / 10;
        break;
      case 'price':
        to = Math.round(ceilTo(Math.min(...numbers), 0.01) * 100) / 100;
        break;
      case 'region':
      case 'residency':
        to = mostCommon(list.map((m) => index.regionChain[m.position][0] ?? index.offers[m.position].regionCode));
        break;
      case 'window':
        to = typeof list[0].failed.actual === 'string' || typeof list[0].failed.actual === 'number' ? list[0].failed.actual : null;
        break;
    }
    hints.push({ constraint, parameter: PARAMETER[constraint], to, offers: list.length });
  }
  return hints.sort((a, b) => b.offers - a.offers || HARD_CONSTRAINTS.indexOf(a.constraint) - HARD_CONSTRAINTS.indexOf(b.constraint));
}

function hintText(hint: RelaxHint): string {
  switch (hint.constraint) {
    case 'model':
      return `accept ${hint.to}`;
    case 'region':
      return `allow region ${regionName(String(hint.to))}`;
    case 'residency':
      return `allow data residency in ${regionName(String(hint.to))}`;
    case 'window':
      return `move the window (an offer runs ${hint.to})`;
    case 'tflops':
    case 'count':
    case 'memory':
      return `lower ${hint.parameter} to ${hint.to}`;
    case 'latency':
    case 'price':
      return `relax ${hint.parameter} to ${hint.to}`;
  }
}

function describeDemand(ctx: DemandContext): string {
  const d = ctx.demand;
  const what = ctx.model !== null ? `${d.count}×${ctx.model}` : 'minTflops' in d.hard ? `${d.count}× cards of ≥ ${d.hard.minTflops} TFLOPS ${d.hard.precision}` : `${d.count} units`;
  const parts = [`no offer has ${what}`];
  if (d.latency) parts.push(`within ${d.latency.maxMs} ms of ${regionName(d.latency.fromRegionCode)}`);
  if (ctx.allowed) parts.push(`in ${ctx.allowed.map(regionName).join('/')}`);
  if (d.maxPricePerUnit !== undefined) parts.push(`under ¥${d.maxPricePerUnit} per unit-hour`);
  return parts.join(' ');
}

function unmatchedMessage(ctx: DemandContext, hints: RelaxHint[], excludedCounts: Record<HardConstraint, number>): string {
  if (hints.length > 0) return `${describeDemand(ctx)}; ${hints.slice(0, 3).map(hintText).join(' or ')}`;
  const counts = Object.entries(excludedCounts).filter(([, n]) => n > 0);
  if (counts.length === 0) return `${describeDemand(ctx)}: the market has no offers`;
  const top = counts.sort((a, b) => b[1] - a[1]).slice(0, 2).map(([c, n]) => `${c} (${n})`);
  return `${describeDemand(ctx)}, and no offer fails only one constraint; most were excluded by ${top.join(' and ')}: relax several constraints`;
}
