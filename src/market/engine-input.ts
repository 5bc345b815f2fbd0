/**
 * From stored rows to the matching engine's vocabulary (types.ts): an offer's count is its free
 * capacity over the window in question, its reputation the supplier's ratings, its place the
 * facility's coordinates (else its region's point).
 */
import type { Db, Tx } from '../db/client.ts';
import { ancestorsOf } from '../regions/dataset.ts';
import { availableOver, reputation, type Reservation } from './rules.ts';
import { marketStore, type DemandRow, type OfferForMatching } from './store.ts';
import type { Demand, Offer, PriceUnit, ResourceKind, SoftWeights } from './types.ts';
import type { Precision } from '../ledger/types.ts';

export const DEFAULT_WEIGHTS: SoftWeights = { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 };

/** The facility's point, else the nearest region up its chain that has one; null when none does. */
function pointOf(row: OfferForMatching): [number, number] | null {
  if (row.lon !== null && row.lat !== null) return [row.lon, row.lat];
  for (const region of ancestorsOf(row.offer.regionCode).reverse()) if (region.lon !== null && region.lat !== null) return [region.lon, region.lat];
  return null;
}

export function toEngineDemand(row: DemandRow): Demand {
  const demand: Demand = {
    id: row.id,
    hard: row.acceleratorModel ? { acceleratorModel: row.acceleratorModel } : { minTflops: row.minTflops ?? 0, precision: (row.precision ?? 'fp16') as Precision },
    count: row.count,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    weights: { ...DEFAULT_WEIGHTS, ...row.weights },
  };
  if (row.resourceKind) demand.resourceKind = row.resourceKind as ResourceKind;
  if (row.memoryGb !== null) demand.memoryGb = row.memoryGb;
  if (row.regionsAllowed.length) demand.regionsAllowed = row.regionsAllowed;
  if (row.dataResidency) demand.dataResidency = row.dataResidency;
  if (row.latencyFromRegionCode && row.latencyMaxMs !== null) demand.latency = { fromRegionCode: row.latencyFromRegionCode, maxMs: row.latencyMaxMs };
  if (row.maxPricePerUnit !== null) demand.maxPricePerUnit = row.maxPricePerUnit;
  return demand;
}

export interface MarketSnapshot {
  rows: OfferForMatching[];
  reservations: Map<string, Reservation[]>;
  ratings: Map<string, { sum: number; count: number }>;
}

/** The open offers, the orders holding them from `now` on, and the suppliers' ratings: what a match reads. */
export async function loadMarket(db: Db | Tx, now: Date): Promise<MarketSnapshot> {
  const store = marketStore(db);
  const [rows, holding, ratings] = await Promise.all([store.openOffersForMatching(now), store.holdingOrders(undefined, now), store.ratingTotals()]);
  const reservations = new Map<string, Reservation[]>();
  for (const r of holding) {
    const list = reservations.get(r.offerId) ?? [];
    list.push({ startMs: r.startAt.getTime(), endMs: r.endAt.getTime(), quantity: r.quantity });
    reservations.set(r.offerId, list);
  }
  return { rows, reservations, ratings };
}

/**
 * Engine offers whose count is the free capacity over [fromMs, toMs) of each offer, or with
 * `window: 'remaining'` over the rest of each offer's own window. Offers without any point are left out.
 */
export function engineOffers(market: MarketSnapshot, window: { fromMs: number; toMs: number } | { remainingFromMs: number }): Offer[] {
  const offers: Offer[] = [];
  for (const row of market.rows) {
    const point = pointOf(row);
    if (!point) continue;
    const o = row.offer;
    const from = 'fromMs' in window ? window.fromMs : Math.max(window.remainingFromMs, o.windowStart.getTime());
    const to = 'toMs' in window ? window.toMs : o.windowEnd.getTime();
    const rating = market.ratings.get(o.supplierOrgId) ?? { sum: 0, count: 0 };
    const offer: Offer = {
      id: o.id,
      facilityId: o.facilityId,
      supplierOrgId: o.supplierOrgId,
      regionCode: o.regionCode,
      resourceKind: o.resourceKind as ResourceKind,
      count: to > from ? availableOver(o.quantityTotal, market.reservations.get(o.id) ?? [], from, to) : 0,
      window: { start: o.windowStart.toISOString(), end: o.windowEnd.toISOString() },
      pricePerUnit: o.pricePerUnit,
      unit: o.unit as PriceUnit,
      minTermHours: o.minTermHours,
      slaPct: o.slaPct,
      greenPowerPct: o.greenPowerPct,
      facilityRackUtilization: row.rackUtilization ?? 0,
      supplierReputation: reputation(rating.sum, rating.count),
      lon: point[0],
      lat: point[1],
    };
    if (o.acceleratorModel) offer.acceleratorModel = o.acceleratorModel;
    if (o.memoryGb !== null) offer.memoryGb = o.memoryGb;
    if (o.interconnect) offer.interconnect = o.interconnect;
    offers.push(offer);
  }
  return offers;
}
