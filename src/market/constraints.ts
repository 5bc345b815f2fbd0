/**
 * The hard filter, in the published order (HARD_CONSTRAINTS): kind/model, TFLOPS, count, memory,
 * window/expiry, region, residency, latency, price. Cheap, discriminating checks come first; the
 * order is also what an excluded offer reports, so it is part of the method (docs/methods/ranking.md).
 */
import { findAccelerator } from '../ledger/catalogue.ts';
import type { Precision } from '../ledger/types.ts';
import { estimateOneWayMsBetween } from '../network-model.ts';
import { findRegion } from '../regions/dataset.ts';
import { regionPoint } from './latency.ts';
import type { LatencySource, LonLat } from './latency.ts';
import type { OfferGroup, OfferIndex } from './offerIndex.ts';
import { effectiveUnitPrice } from './offerIndex.ts';
import type { ConstraintFailure, Demand } from './types.ts';
import { demandInterval } from './validate.ts';

export interface DemandContext {
  demand: Demand;
  startMs: number;
  endMs: number;
  hours: number;
  model: string | null; // canonical name when the demand names an accelerator
  minTflops: number;
  precision: Precision | null;
  allowed: readonly string[] | null;
  residency: string | null;
  originCode: string | null;
  origin: LonLat | null;
  maxMs: number; // Infinity without a latency bound
  maxPrice: number; // Infinity without a cap
  latency: LatencySource | undefined;
  nowMs: number;
}

export function demandContext(demand: Demand, latency: LatencySource | undefined, nowMs: number): DemandContext {
  const { startMs, endMs, hours } = demandInterval(demand);
  const hard = demand.hard;
  const originCode = demand.latency?.fromRegionCode ?? null;
  return {
    demand,
    startMs,
    endMs,
    hours,
    model: 'acceleratorModel' in hard ? (findAccelerator(hard.acceleratorModel)?.model ?? hard.acceleratorModel) : null,
    minTflops: 'minTflops' in hard ? hard.minTflops : 0,
    precision: 'precision' in hard ? hard.precision : null,
    allowed: demand.regionsAllowed && demand.regionsAllowed.length > 0 ? demand.regionsAllowed : null,
    residency: demand.dataResidency ?? null,
    originCode,
    origin: originCode === null ? null : regionPoint(originCode),
    maxMs: demand.latency?.maxMs ?? Number.POSITIVE_INFINITY,
    maxPrice: demand.maxPricePerUnit ?? Number.POSITIVE_INFINITY,
    latency,
    nowMs,
  };
}

export const regionName = (code: string): string => findRegion(code)?.shortName ?? code;

/** The kind/model or TFLOPS failure shared by every offer of a group, or null when the group passes. */
export function groupFailure(group: OfferGroup, ctx: DemandContext): ConstraintFailure | null {
  const kind = ctx.demand.resourceKind;
  if (kind !== undefined && group.kind !== kind) {
    return { constraint: 'model', detail: `offer is ${group.kind}, demand needs ${kind}`, required: kind, actual: group.kind };
  }
  if (ctx.model !== null && group.model !== ctx.model) {
    return { constraint: 'model', detail: `offer has ${group.model ?? `no accelerator (${group.kind})`}, demand needs ${ctx.model}`, required: ctx.model, actual: group.model ?? group.kind };
  }
  if (ctx.precision !== null) {
    if (!group.spec) {
      return { constraint: 'tflops', detail: `peak of ${group.model ?? group.kind} unknown to the catalogue, demand needs ${ctx.minTflops} TFLOPS ${ctx.precision} per card`, required: ctx.minTflops, actual: 'unknown' };
    }
    const peak = group.spec.peak[ctx.precision];
    if (peak < ctx.minTflops) {
      return { constraint: 'tflops', detail: `${group.model} peaks at ${peak} TFLOPS ${ctx.precision} per card, demand needs ${ctx.minTflops}`, required: ctx.minTflops, actual: peak };
    }
  }
  return null;
}

/** Latency and price of an offer for a demand, computed by the checks and reused by the score. */
export interface OfferMeasures {
  latencyMs: number; // NaN when the demand names no origin
  measured: boolean;
  unitPrice: number;
}

export function offerLatencyMs(index: OfferIndex, i: number, ctx: DemandContext, out: OfferMeasures): number {
  if (ctx.origin === null || ctx.originCode === null) {
    out.measured = false;
    return (out.latencyMs = Number.NaN);
  }
  const measured = ctx.latency ? ctx.latency(ctx.originCode, index.offers[i]) : null;
  out.measured = measured !== null;
  return (out.latencyMs = measured ?? estimateOneWayMsBetween(ctx.origin[0], ctx.origin[1], index.lon[i], index.lat[i]));
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Appends the offer's failures of the per-offer constraints (count … price), in order, stopping after
 * `limit` of them; fills `measures` for the ones it reached. Returns how many it appended.
 */
export function offerFailures(index: OfferIndex, i: number, ctx: DemandContext, out: ConstraintFailure[], limit: number, measures: OfferMeasures): number {
  const before = out.length;
  const full = () => out.length - before >= limit;
  const offer = index.offers[i];
  const count = index.count[i];
  if (count < ctx.demand.count) {
    out.push({ constraint: 'count', detail: `offer has ${count} available, demand needs ${ctx.demand.count}`, required: ctx.demand.count, actual: count });
    if (full()) return limit;
  }
  if (ctx.demand.memoryGb !== undefined) {
    const memory = index.memoryGb[i];
    if (!(memory >= ctx.demand.memoryGb)) {
      out.push({ constraint: 'memory', detail: Number.isNaN(memory) ? `offer states no memory, demand needs ${ctx.demand.memoryGb} GB per unit` : `offer has ${memory} GB per unit, demand needs ${ctx.demand.memoryGb}`, required: ctx.demand.memoryGb, actual: Number.isNaN(memory) ? 'unknown' : memory });
      if (full()) return limit;
    }
  }
  const windowFailure = windowCheck(index, i, ctx);
  if (windowFailure) {
    out.push(windowFailure);
    if (full()) return limit;
  }
  const chain = index.regionChain[i];
  if (ctx.allowed !== null && !ctx.allowed.some((code) => chain.includes(code))) {
    out.push({ constraint: 'region', detail: `offer is in ${regionName(offer.regionCode)}, outside ${ctx.allowed.map(regionName).join('/')}`, required: ctx.allowed.join(','), actual: offer.regionCode });
    if (full()) return limit;
  }
  if (ctx.residency !== null && !chain.includes(ctx.residency)) {
    out.push({ constraint: 'residency', detail: `data must stay in ${regionName(ctx.residency)}; offer is in ${regionName(chain[0] ?? offer.regionCode)}`, required: ctx.residency, actual: chain[0] ?? offer.regionCode });
    if (full()) return limit;
  }
  const latencyMs = offerLatencyMs(index, i, ctx, measures);
  if (latencyMs > ctx.maxMs) {
    out.push({ constraint: 'latency', detail: `${measures.measured ? 'measured' : 'estimated'} ${round1(latencyMs)} ms from ${regionName(ctx.originCode!)}, demand allows ${ctx.maxMs}`, required: ctx.maxMs, actual: latencyMs });
    if (full()) return limit;
  }
  const unitPrice = (measures.unitPrice = effectiveUnitPrice(offer.pricePerUnit, offer.unit, ctx.hours));
  if (unitPrice > ctx.maxPrice) {
    out.push({ constraint: 'price', detail: `offer costs ¥${round2(unitPrice)} per unit${offer.unit === '1k_tokens' ? '' : '-hour'}, demand caps at ¥${ctx.maxPrice}`, required: ctx.maxPrice, actual: unitPrice });
    if (full()) return limit;
  }
  return out.length - before;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function windowCheck(index: OfferIndex, i: number, ctx: DemandContext): ConstraintFailure | null {
  const start = index.startMs[i];
  const end = index.endMs[i];
  if (!(end > ctx.nowMs)) {
    return { constraint: 'window', detail: `offer expired at ${iso(end)}`, required: iso(ctx.nowMs), actual: iso(end) };
  }
  if (start > ctx.startMs || end < ctx.endMs) {
    return { constraint: 'window', detail: `offer runs ${iso(start)} – ${iso(end)}, demand needs ${iso(ctx.startMs)} – ${iso(ctx.endMs)}`, required: `${iso(ctx.startMs)}/${iso(ctx.endMs)}`, actual: `${iso(start)}/${iso(end)}` };
  }
  if (index.minTermHours[i] > ctx.hours) {
    return { constraint: 'window', detail: `offer's minimum term is ${index.minTermHours[i]} h, demand needs ${round1(ctx.hours)} h`, required: ctx.hours, actual: index.minTermHours[i] };
  }
  return null;
}
