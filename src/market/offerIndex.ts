/**
 * A columnar index over offers, built once and reused across demands: the per-offer figures the hard
 * filter reads sit in typed arrays, and offers are grouped by (kind, accelerator model) so the model
 * and TFLOPS checks run once per group instead of once per offer. Ranking 100,000 offers within the
 * 20 ms budget depends on this (bench/match.ts).
 */
import { findAccelerator } from '../ledger/catalogue.ts';
import type { AcceleratorSpec } from '../ledger/catalogue.ts';
import { ancestorsOf } from '../regions/dataset.ts';
import { HOURS_PER_MONTH } from './types.ts';
import type { Offer, PriceUnit, ResourceKind } from './types.ts';

export interface OfferGroup {
  kind: ResourceKind;
  model: string | null; // canonical catalogue name, the name as written when unknown, null for none
  spec: AcceleratorSpec | undefined;
  members: Int32Array; // offer positions, in input order
}

export interface OfferIndex {
  offers: readonly Offer[];
  groups: OfferGroup[];
  count: Float64Array;
  memoryGb: Float64Array; // NaN when neither the offer nor the catalogue says
  startMs: Float64Array;
  endMs: Float64Array;
  minTermHours: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  pricePerUnit: Float64Array;
  monthly: Uint8Array; // 1 when billed per month (whole months), see effectiveUnitPrice
  /** The absolute score values, precomputed: green share, reputation / 5, spare rack share, each 0–1. */
  green: Float64Array;
  reputation: Float64Array;
  spare: Float64Array;
  /** Region codes province → city → county of each offer; empty for an unknown code. */
  regionChain: string[][];
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

export function canonicalModel(model: string | undefined): string | null {
  if (model === undefined || model.trim() === '') return null;
  return findAccelerator(model)?.model ?? model.trim();
}

export function buildOfferIndex(offers: readonly Offer[]): OfferIndex {
  const n = offers.length;
  const index: OfferIndex = {
    offers,
    groups: [],
    count: new Float64Array(n),
    memoryGb: new Float64Array(n),
    startMs: new Float64Array(n),
    endMs: new Float64Array(n),
    minTermHours: new Float64Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    pricePerUnit: new Float64Array(n),
    monthly: new Uint8Array(n),
    green: new Float64Array(n),
    reputation: new Float64Array(n),
    spare: new Float64Array(n),
    regionChain: new Array<string[]>(n),
  };
  const members = new Map<string, number[]>();
  const groupInfo = new Map<string, { kind: ResourceKind; model: string | null; spec: AcceleratorSpec | undefined }>();
  const chains = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const offer = offers[i];
    const model = canonicalModel(offer.acceleratorModel);
    const spec = model === null ? undefined : findAccelerator(model);
    const key = `${offer.resourceKind}|${model ?? ''}`;
    let list = members.get(key);
    if (!list) {
      list = [];
      members.set(key, list);
      groupInfo.set(key, { kind: offer.resourceKind, model, spec });
    }
    list.push(i);
    index.count[i] = offer.count;
    index.memoryGb[i] = offer.memoryGb ?? spec?.memoryGb ?? Number.NaN;
    index.startMs[i] = Date.parse(offer.window.start);
    index.endMs[i] = Date.parse(offer.window.end);
    index.minTermHours[i] = offer.minTermHours;
    index.lon[i] = offer.lon;
    index.lat[i] = offer.lat;
    index.pricePerUnit[i] = offer.pricePerUnit;
    index.monthly[i] = offer.unit === 'month' ? 1 : 0;
    index.green[i] = clamp01(offer.greenPowerPct / 100);
    index.reputation[i] = clamp01(offer.supplierReputation / 5);
    index.spare[i] = 1 - clamp01(offer.facilityRackUtilization);
    let chain = chains.get(offer.regionCode);
    if (!chain) {
      chain = ancestorsOf(offer.regionCode).map((region) => region.code);
      chains.set(offer.regionCode, chain);
    }
    index.regionChain[i] = chain;
  }
  // Groups in a fixed order (kind, then model) so iteration order never depends on input order.
  for (const key of [...members.keys()].sort()) {
    const info = groupInfo.get(key)!;
    index.groups.push({ ...info, members: Int32Array.from(members.get(key)!) });
  }
  return index;
}

/**
 * What the demander pays per unit-hour (per 1k tokens for model APIs), the one price the cap and the
 * ranking compare: a monthly offer is billed in whole months, so a 72-hour use of a ¥7,300/month
 * card costs ¥7,300, i.e. ¥101.4 per card-hour.
 */
export function effectiveUnitPrice(pricePerUnit: number, unit: PriceUnit, hours: number): number {
  switch (unit) {
    case 'card_hour':
    case 'core_hour':
    case '1k_tokens':
      return pricePerUnit;
    case 'month':
      // Same arithmetic as the matcher's hot loop (filter.ts), so both see the same bits.
      return pricePerUnit * (Math.ceil(hours / HOURS_PER_MONTH) / hours);
  }
}

/** CNY for `count` units over `hours`; null for per-token offers, whose cost depends on use. */
export function totalPrice(pricePerUnit: number, unit: PriceUnit, count: number, hours: number): number | null {
  switch (unit) {
    case 'card_hour':
    case 'core_hour':
      return pricePerUnit * count * hours;
    case 'month':
      return pricePerUnit * count * Math.ceil(hours / HOURS_PER_MONTH);
    case '1k_tokens':
      return null;
  }
}
