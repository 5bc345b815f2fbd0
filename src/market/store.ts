/** The marketplace's only SQL: offers, demands, services, orders, usage, settlement, ratings. */
import { and, asc, desc, eq, gt, ilike, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client.ts';
import { organizations } from '../identity/tables.ts';
import { facilities } from '../ledger/tables.ts';
import { HOLDING_STATES } from './rules.ts';
import { marketDemands, marketOffers, marketOrders, marketRatings, marketServices, marketSettlementLines, marketUsage } from './tables.ts';

export type OfferRow = typeof marketOffers.$inferSelect;
export type DemandRow = typeof marketDemands.$inferSelect;
export type ServiceRow = typeof marketServices.$inferSelect;
export type OrderRow = typeof marketOrders.$inferSelect;
export type UsageRow = typeof marketUsage.$inferSelect;
export type SettlementRow = typeof marketSettlementLines.$inferSelect;
export type RatingRow = typeof marketRatings.$inferSelect;

/** Where a government's jurisdiction reaches: the column of its level equals its code. */
export interface RegionScope {
  level: 'province' | 'city' | 'county';
  code: string;
}

export interface OfferFilter {
  status?: ('open' | 'withdrawn' | 'expired')[];
  now: Date;
  kind?: string[];
  model?: string[];
  product?: string[];
  unit?: string[];
  region?: RegionScope;
  supplierOrgId?: string;
  facilityId?: string;
  maxPrice?: number;
  minPrice?: number;
  /** The facility's green power share, %, at least. */
  minGreen?: number;
  /** Offers whose window covers [coverStart, coverEnd]. */
  coverStart?: Date;
  coverEnd?: Date;
  q?: string;
}

export const OFFER_SORTS = {
  createdAt: marketOffers.createdAt,
  pricePerUnit: marketOffers.pricePerUnit,
  windowEnd: marketOffers.windowEnd,
} as const;
export type OfferSortKey = keyof typeof OFFER_SORTS;

function offerWhere(filter: OfferFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (filter.status?.length) {
    const statusParts: SQL[] = [];
    if (filter.status.includes('open')) statusParts.push(and(eq(marketOffers.status, 'open'), gt(marketOffers.windowEnd, filter.now))!);
    if (filter.status.includes('expired')) statusParts.push(and(eq(marketOffers.status, 'open'), lte(marketOffers.windowEnd, filter.now))!);
    if (filter.status.includes('withdrawn')) statusParts.push(eq(marketOffers.status, 'withdrawn'));
    parts.push(or(...statusParts));
  }
  if (filter.kind?.length) parts.push(inArray(marketOffers.resourceKind, filter.kind));
  if (filter.model?.length) parts.push(inArray(marketOffers.acceleratorModel, filter.model));
  if (filter.product?.length) parts.push(inArray(marketOffers.product, filter.product));
  if (filter.unit?.length) parts.push(inArray(marketOffers.unit, filter.unit));
  if (filter.region) {
    const column = { province: marketOffers.provinceCode, city: marketOffers.cityCode, county: marketOffers.regionCode }[filter.region.level];
    parts.push(eq(column, filter.region.code));
  }
  if (filter.supplierOrgId) parts.push(eq(marketOffers.supplierOrgId, filter.supplierOrgId));
  if (filter.facilityId) parts.push(eq(marketOffers.facilityId, filter.facilityId));
  if (filter.maxPrice !== undefined) parts.push(sql`${marketOffers.pricePerUnit} <= ${filter.maxPrice}`);
  if (filter.minPrice !== undefined) parts.push(sql`${marketOffers.pricePerUnit} >= ${filter.minPrice}`);
  if (filter.minGreen !== undefined) parts.push(sql`${marketOffers.greenPowerPct} >= ${filter.minGreen}`);
  if (filter.coverStart) parts.push(sql`${marketOffers.windowStart} <= ${filter.coverStart}`);
  if (filter.coverEnd) parts.push(sql`${marketOffers.windowEnd} >= ${filter.coverEnd}`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(marketOffers.title, pattern), ilike(marketOffers.acceleratorModel, pattern)));
  }
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? and(...present) : undefined;
}

/** Orders a caller may see: its organisation's as buyer or supplier, or those in a jurisdiction. */
export interface OrderFilter {
  partyOrgId?: string;
  role?: 'buyer' | 'supplier';
  region?: RegionScope;
  state?: string[];
  offerId?: string;
  demandId?: string;
}

function orderWhere(filter: OrderFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (filter.partyOrgId) {
    if (filter.role === 'buyer') parts.push(eq(marketOrders.buyerOrgId, filter.partyOrgId));
    else if (filter.role === 'supplier') parts.push(eq(marketOrders.supplierOrgId, filter.partyOrgId));
    else parts.push(or(eq(marketOrders.buyerOrgId, filter.partyOrgId), eq(marketOrders.supplierOrgId, filter.partyOrgId)));
  }
  if (filter.region) {
    const column = { province: marketOrders.provinceCode, city: marketOrders.cityCode, county: marketOrders.regionCode }[filter.region.level];
    parts.push(eq(column, filter.region.code));
  }
  if (filter.state?.length) parts.push(inArray(marketOrders.state, filter.state));
  if (filter.offerId) parts.push(eq(marketOrders.offerId, filter.offerId));
  if (filter.demandId) parts.push(eq(marketOrders.demandId, filter.demandId));
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? and(...present) : undefined;
}

export interface DemandFilter {
  demanderOrgId?: string;
  region?: RegionScope;
  status?: string[];
}

function demandWhere(filter: DemandFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.demanderOrgId) parts.push(eq(marketDemands.demanderOrgId, filter.demanderOrgId));
  if (filter.region) {
    const column = { province: marketDemands.provinceCode, city: marketDemands.cityCode, county: marketDemands.regionCode }[filter.region.level];
    parts.push(eq(column, filter.region.code));
  }
  if (filter.status?.length) parts.push(inArray(marketDemands.status, filter.status));
  return parts.length ? and(...parts) : undefined;
}

export interface ServiceFilter {
  kind?: string[];
  providerOrgId?: string;
  offerId?: string;
  status?: string[];
}

function serviceWhere(filter: ServiceFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.kind?.length) parts.push(inArray(marketServices.kind, filter.kind));
  if (filter.providerOrgId) parts.push(eq(marketServices.providerOrgId, filter.providerOrgId));
  if (filter.offerId) parts.push(sql`${filter.offerId} = any(${marketServices.offerIds})`);
  if (filter.status?.length) parts.push(inArray(marketServices.status, filter.status));
  return parts.length ? and(...parts) : undefined;
}

/** Newest first, by (created_at, id): the keyset of the order, demand and service lists. */
const newestAfter = (column: { createdAt: AnyPgColumn; id: AnyPgColumn }, after?: { createdAt: Date; id: string }) =>
  after ? or(lt(column.createdAt, after.createdAt), and(eq(column.createdAt, after.createdAt), lt(column.id, after.id))) : undefined;

/** An offer as the matcher needs it: the offer, and its facility's location and rack utilisation. */
export interface OfferForMatching {
  offer: OfferRow;
  facilityName: string;
  computeId: string;
  lon: number | null;
  lat: number | null;
  rackUtilization: number | null;
}

export interface HoldingOrder {
  offerId: string;
  startAt: Date;
  endAt: Date;
  quantity: number;
}

export function marketStore(db: Db | Tx) {
  return {
    // ---------------------------------------------------------------- offers
    insertOffers: async (rows: OfferRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketOffers).values(rows.slice(i, i + 500));
    },
    getOffer: async (id: string): Promise<OfferRow | undefined> => (await db.select().from(marketOffers).where(eq(marketOffers.id, id)))[0],
    /** Locks the offer row until the transaction ends: every path that takes or changes capacity goes through here first. */
    lockOffer: async (id: string): Promise<OfferRow | undefined> => (await db.select().from(marketOffers).where(eq(marketOffers.id, id)).for('update'))[0],
    updateOffer: async (id: string, expectedVersion: number, values: Partial<OfferRow>): Promise<OfferRow | undefined> =>
      (
        await db
          .update(marketOffers)
          .set({ ...values, version: expectedVersion + 1 })
          .where(and(eq(marketOffers.id, id), eq(marketOffers.version, expectedVersion)))
          .returning()
      )[0],
    listOffers: async (filter: OfferFilter, sort: OfferSortKey, descending: boolean, limit: number, after?: { value: unknown; id: string }) => {
      const key = OFFER_SORTS[sort];
      let keyset: SQL | undefined;
      if (after) {
        const compare = descending ? lt : gt;
        keyset = or(compare(key as never, after.value as never), and(eq(key as never, after.value as never), compare(marketOffers.id, after.id)));
      }
      return db
        .select()
        .from(marketOffers)
        .where(and(offerWhere(filter), keyset))
        .orderBy(...(descending ? [desc(key), desc(marketOffers.id)] : [asc(key), asc(marketOffers.id)]))
        .limit(limit);
    },
    countOffers: async (filter: OfferFilter): Promise<number> => (await db.select({ n: sql<number>`count(*)::int` }).from(marketOffers).where(offerWhere(filter)))[0].n,
    /** Open offers not yet expired, with what the matcher reads from their facilities. */
    openOffersForMatching: async (now: Date): Promise<OfferForMatching[]> => {
      const rows = await db
        .select({ offer: marketOffers, facilityName: facilities.name, computeId: facilities.computeId, lon: facilities.lon, lat: facilities.lat, rackUtilization: facilities.rackUtilization })
        .from(marketOffers)
        .innerJoin(facilities, eq(facilities.id, marketOffers.facilityId))
        .where(and(eq(marketOffers.status, 'open'), gt(marketOffers.windowEnd, now)))
        .orderBy(asc(marketOffers.id));
      return rows;
    },
    /** Orders holding capacity of the given offers (all of them when `offerIds` is undefined) that end after `from`. */
    holdingOrders: async (offerIds: string[] | undefined, from: Date): Promise<HoldingOrder[]> => {
      if (offerIds && offerIds.length === 0) return [];
      return db
        .select({ offerId: marketOrders.offerId, startAt: marketOrders.startAt, endAt: marketOrders.endAt, quantity: marketOrders.quantity })
        .from(marketOrders)
        .where(and(offerIds ? inArray(marketOrders.offerId, offerIds) : undefined, inArray(marketOrders.state, [...HOLDING_STATES]), gt(marketOrders.endAt, from)));
    },
    /** Σ stars and count of ratings per supplier organisation. */
    ratingTotals: async (orgIds?: string[]): Promise<Map<string, { sum: number; count: number }>> => {
      if (orgIds && orgIds.length === 0) return new Map();
      const rows = await db
        .select({ org: marketRatings.supplierOrgId, sum: sql<number>`sum(${marketRatings.stars})::int`, count: sql<number>`count(*)::int` })
        .from(marketRatings)
        .where(orgIds ? inArray(marketRatings.supplierOrgId, [...new Set(orgIds)]) : undefined)
        .groupBy(marketRatings.supplierOrgId);
      return new Map(rows.map((r) => [r.org, { sum: Number(r.sum), count: Number(r.count) }]));
    },
    offerTitles: async (ids: string[]): Promise<Map<string, string>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      return new Map((await db.select({ id: marketOffers.id, title: marketOffers.title }).from(marketOffers).where(inArray(marketOffers.id, unique))).map((r) => [r.id, r.title]));
    },
    facilityNames: async (ids: string[]): Promise<Map<string, { name: string; computeId: string }>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: facilities.id, name: facilities.name, computeId: facilities.computeId }).from(facilities).where(inArray(facilities.id, unique));
      return new Map(rows.map((r) => [r.id, { name: r.name, computeId: r.computeId }]));
    },
    orgNames: async (ids: string[]): Promise<Map<string, string>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, unique));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    // ---------------------------------------------------------------- demands
    insertDemands: async (rows: DemandRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketDemands).values(rows.slice(i, i + 500));
    },
    getDemand: async (id: string): Promise<DemandRow | undefined> => (await db.select().from(marketDemands).where(eq(marketDemands.id, id)))[0],
    getDemands: async (ids: string[]): Promise<DemandRow[]> => (ids.length ? db.select().from(marketDemands).where(inArray(marketDemands.id, ids)) : []),
    updateDemand: async (id: string, expectedVersion: number, values: Partial<DemandRow>): Promise<DemandRow | undefined> =>
      (
        await db
          .update(marketDemands)
          .set({ ...values, version: expectedVersion + 1 })
          .where(and(eq(marketDemands.id, id), eq(marketDemands.version, expectedVersion)))
          .returning()
      )[0],
    listDemands: async (filter: DemandFilter, limit: number, after?: { createdAt: Date; id: string }) =>
      db
        .select()
        .from(marketDemands)
        .where(and(demandWhere(filter), newestAfter(marketDemands, after)))
        .orderBy(desc(marketDemands.createdAt), desc(marketDemands.id))
        .limit(limit),
    countDemands: async (filter: DemandFilter): Promise<number> => (await db.select({ n: sql<number>`count(*)::int` }).from(marketDemands).where(demandWhere(filter)))[0].n,

    // ---------------------------------------------------------------- services
    insertServices: async (rows: ServiceRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketServices).values(rows.slice(i, i + 500));
    },
    getService: async (id: string): Promise<ServiceRow | undefined> => (await db.select().from(marketServices).where(eq(marketServices.id, id)))[0],
    listServices: async (filter: ServiceFilter, limit: number, after?: { createdAt: Date; id: string }) =>
      db
        .select()
        .from(marketServices)
        .where(and(serviceWhere(filter), newestAfter(marketServices, after)))
        .orderBy(desc(marketServices.createdAt), desc(marketServices.id))
        .limit(limit),
    countServices: async (filter: ServiceFilter): Promise<number> => (await db.select({ n: sql<number>`count(*)::int` }).from(marketServices).where(serviceWhere(filter)))[0].n,
    existingOfferIds: async (ids: string[]): Promise<Set<string>> =>
      new Set(ids.length ? (await db.select({ id: marketOffers.id }).from(marketOffers).where(inArray(marketOffers.id, ids))).map((r) => r.id) : []),

    // ---------------------------------------------------------------- orders
    insertOrders: async (rows: OrderRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketOrders).values(rows.slice(i, i + 500));
    },
    getOrder: async (id: string): Promise<OrderRow | undefined> => (await db.select().from(marketOrders).where(eq(marketOrders.id, id)))[0],
    findOrderByKey: async (buyerOrgId: string, key: string): Promise<OrderRow | undefined> =>
      (await db.select().from(marketOrders).where(and(eq(marketOrders.buyerOrgId, buyerOrgId), eq(marketOrders.idempotencyKey, key))))[0],
    updateOrder: async (id: string, expectedVersion: number, values: Partial<OrderRow>): Promise<OrderRow | undefined> =>
      (
        await db
          .update(marketOrders)
          .set({ ...values, version: expectedVersion + 1 })
          .where(and(eq(marketOrders.id, id), eq(marketOrders.version, expectedVersion)))
          .returning()
      )[0],
    listOrders: async (filter: OrderFilter, limit: number, after?: { createdAt: Date; id: string }) =>
      db
        .select()
        .from(marketOrders)
        .where(and(orderWhere(filter), newestAfter(marketOrders, after)))
        .orderBy(desc(marketOrders.createdAt), desc(marketOrders.id))
        .limit(limit),
    countOrders: async (filter: OrderFilter): Promise<number> => (await db.select({ n: sql<number>`count(*)::int` }).from(marketOrders).where(orderWhere(filter)))[0].n,
    /** Units held per offer now and later (reserved + active orders), for the capacity report. */
    heldQuantity: async (offerId: string): Promise<number> =>
      (
        await db
          .select({ n: sql<number>`coalesce(sum(${marketOrders.quantity}), 0)::int` })
          .from(marketOrders)
          .where(and(eq(marketOrders.offerId, offerId), inArray(marketOrders.state, [...HOLDING_STATES])))
      )[0].n,

    // ---------------------------------------------------------------- usage, settlement, ratings
    insertUsage: async (rows: UsageRow[]) => {
      if (rows.length) await db.insert(marketUsage).values(rows);
    },
    usageOf: async (orderId: string): Promise<UsageRow[]> => db.select().from(marketUsage).where(eq(marketUsage.orderId, orderId)).orderBy(asc(marketUsage.periodStart), asc(marketUsage.id)),
    insertSettlement: async (rows: SettlementRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketSettlementLines).values(rows.slice(i, i + 500));
    },
    settlementOf: async (orderId: string): Promise<SettlementRow[]> =>
      db.select().from(marketSettlementLines).where(eq(marketSettlementLines.orderId, orderId)).orderBy(asc(marketSettlementLines.periodStart)),
    settledTotals: async (orderIds: string[]): Promise<Map<string, number>> => {
      if (!orderIds.length) return new Map();
      const rows = await db
        .select({ id: marketSettlementLines.orderId, total: sql<number>`sum(${marketSettlementLines.amount})::float8` })
        .from(marketSettlementLines)
        .where(inArray(marketSettlementLines.orderId, orderIds))
        .groupBy(marketSettlementLines.orderId);
      return new Map(rows.map((r) => [r.id, Math.round(Number(r.total) * 100) / 100]));
    },
    insertRatings: async (rows: RatingRow[]) => {
      for (let i = 0; i < rows.length; i += 500) await db.insert(marketRatings).values(rows.slice(i, i + 500));
    },
    ratingOf: async (orderId: string): Promise<RatingRow | undefined> => (await db.select().from(marketRatings).where(eq(marketRatings.orderId, orderId)))[0],
    ratingsOf: async (orderIds: string[]): Promise<Map<string, RatingRow>> =>
      new Map(orderIds.length ? (await db.select().from(marketRatings).where(inArray(marketRatings.orderId, orderIds))).map((r) => [r.orderId, r]) : []),
    /** The latest end and earliest start of the orders holding an offer's capacity (limits on shrinking its window). */
    latestHoldingEnd: async (offerId: string): Promise<Date | null> => {
      const row = (
        await db
          .select({ end: sql<Date | string | null>`max(${marketOrders.endAt})` })
          .from(marketOrders)
          .where(and(eq(marketOrders.offerId, offerId), inArray(marketOrders.state, [...HOLDING_STATES])))
      )[0];
      return row?.end ? new Date(row.end) : null;
    },
    earliestHoldingStart: async (offerId: string): Promise<Date | null> => {
      const row = (
        await db
          .select({ start: sql<Date | string | null>`min(${marketOrders.startAt})` })
          .from(marketOrders)
          .where(and(eq(marketOrders.offerId, offerId), inArray(marketOrders.state, [...HOLDING_STATES])))
      )[0];
      return row?.start ? new Date(row.start) : null;
    },
  };
}

export type MarketStore = ReturnType<typeof marketStore>;
