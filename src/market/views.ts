/** The marketplace objects as the API shows them (docs/market.md). */
import { regionIndex } from '../regions/dataset.ts';
import { reputation } from './rules.ts';
import type { DemandRow, OfferRow, OrderRow, RatingRow, ServiceRow } from './store.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const regionName = (code: string | null) => (code ? (regionIndex().get(code)?.name ?? code) : null);

export interface OfferContext {
  orgNames: Map<string, string>;
  facilities: Map<string, { name: string; computeId: string }>;
  ratings: Map<string, { sum: number; count: number }>;
  /** Free units over the window the view reports (see `availableFrom` / `availableTo`). */
  available: Map<string, number>;
  availableFrom: Map<string, Date>;
  availableTo: Map<string, Date>;
  now: Date;
}

export function offerStatus(row: Pick<OfferRow, 'status' | 'windowEnd'>, now: Date): 'open' | 'withdrawn' | 'expired' {
  if (row.status === 'withdrawn') return 'withdrawn';
  return row.windowEnd.getTime() > now.getTime() ? 'open' : 'expired';
}

export function offerView(row: OfferRow, ctx: OfferContext) {
  const facility = ctx.facilities.get(row.facilityId);
  const rating = ctx.ratings.get(row.supplierOrgId) ?? { sum: 0, count: 0 };
  const status = offerStatus(row, ctx.now);
  return {
    id: row.id,
    title: row.title,
    product: row.product,
    status,
    supplierOrgId: row.supplierOrgId,
    supplierOrgName: ctx.orgNames.get(row.supplierOrgId) ?? null,
    supplierReputation: Math.round(reputation(rating.sum, rating.count) * 100) / 100,
    supplierRatings: rating.count,
    facilityId: row.facilityId,
    facilityName: facility?.name ?? null,
    computeId: facility?.computeId ?? null,
    regionCode: row.regionCode,
    regionName: regionName(row.regionCode),
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    resourceKind: row.resourceKind,
    acceleratorModel: row.acceleratorModel,
    memoryGb: row.memoryGb,
    interconnect: row.interconnect,
    quantityTotal: row.quantityTotal,
    // A withdrawn or expired offer sells nothing more, whatever its orders left free.
    quantityAvailable: status === 'open' ? (ctx.available.get(row.id) ?? 0) : 0,
    availableFrom: iso(ctx.availableFrom.get(row.id) ?? null),
    availableTo: iso(ctx.availableTo.get(row.id) ?? null),
    window: { start: row.windowStart.toISOString(), end: row.windowEnd.toISOString() },
    pricePerUnit: row.pricePerUnit,
    unit: row.unit,
    currency: row.currency,
    minTermHours: row.minTermHours,
    slaPct: row.slaPct,
    certifications: row.certifications,
    greenPowerPct: row.greenPowerPct,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type OfferView = ReturnType<typeof offerView>;

export function demandView(row: DemandRow, orgNames: Map<string, string>) {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    demanderOrgId: row.demanderOrgId,
    demanderOrgName: orgNames.get(row.demanderOrgId) ?? null,
    resourceKind: row.resourceKind,
    hard: row.acceleratorModel ? { acceleratorModel: row.acceleratorModel } : { minTflops: row.minTflops, precision: row.precision },
    count: row.count,
    memoryGb: row.memoryGb,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    durationHours: (row.endAt.getTime() - row.startAt.getTime()) / 3_600_000,
    regionsAllowed: row.regionsAllowed,
    dataResidency: row.dataResidency,
    latency: row.latencyFromRegionCode && row.latencyMaxMs !== null ? { fromRegionCode: row.latencyFromRegionCode, fromRegionName: regionName(row.latencyFromRegionCode), maxMs: row.latencyMaxMs } : null,
    maxPricePerUnit: row.maxPricePerUnit,
    weights: row.weights,
    regionCode: row.regionCode,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function serviceView(row: ServiceRow, orgNames: Map<string, string>) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    status: row.status,
    providerOrgId: row.providerOrgId,
    providerOrgName: orgNames.get(row.providerOrgId) ?? null,
    offerIds: row.offerIds,
    pricePerUnit: row.pricePerUnit,
    unit: row.unit,
    currency: 'CNY',
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface OrderContext {
  orgNames: Map<string, string>;
  offerTitles: Map<string, string>;
  settled: Map<string, number>;
  ratings: Map<string, RatingRow>;
}

export function orderView(row: OrderRow, ctx: OrderContext) {
  const rating = ctx.ratings.get(row.id);
  return {
    id: row.id,
    state: row.state,
    offerId: row.offerId,
    offerTitle: ctx.offerTitles.get(row.offerId) ?? null,
    demandId: row.demandId,
    buyerOrgId: row.buyerOrgId,
    buyerOrgName: ctx.orgNames.get(row.buyerOrgId) ?? null,
    supplierOrgId: row.supplierOrgId,
    supplierOrgName: ctx.orgNames.get(row.supplierOrgId) ?? null,
    facilityId: row.facilityId,
    regionCode: row.regionCode,
    quantity: row.quantity,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    unitPrice: row.unitPrice,
    unit: row.unit,
    currency: row.currency,
    totalAmount: row.totalAmount,
    settledAmount: ctx.settled.get(row.id) ?? null,
    quoteExpiresAt: iso(row.quoteExpiresAt),
    reason: row.reason,
    rating: rating ? { stars: rating.stars, comment: rating.comment, createdAt: rating.createdAt.toISOString() } : null,
    idempotencyKey: row.idempotencyKey,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    reservedAt: iso(row.reservedAt),
    activatedAt: iso(row.activatedAt),
    completedAt: iso(row.completedAt),
    cancelledAt: iso(row.cancelledAt),
    disputedAt: iso(row.disputedAt),
  };
}
export type OrderView = ReturnType<typeof orderView>;
