import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../identity/tables.ts';
import { facilities } from '../ledger/tables.ts';
import type { SoftWeights } from './types.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Offers (供给): capacity a supplier lists on one of its approved facilities. The region columns are
 * copied from the facility so lists filter and governments scope without a join. Free capacity is
 * not a column: it is the total minus the peak of the reserving orders over a window (docs/market.md).
 */
export const marketOffers = pgTable(
  'market_offers',
  {
    id: text('id').primaryKey(),
    supplierOrgId: text('supplier_org_id')
      .notNull()
      .references(() => organizations.id),
    facilityId: text('facility_id')
      .notNull()
      .references(() => facilities.id),
    regionCode: text('region_code').notNull(),
    provinceCode: text('province_code').notNull(),
    cityCode: text('city_code'),
    /** A standard product (算力超市) template code, src/market/products.ts; null for a custom offer. */
    product: text('product'),
    title: text('title').notNull(),
    resourceKind: text('resource_kind').notNull(),
    acceleratorModel: text('accelerator_model'),
    memoryGb: doublePrecision('memory_gb'),
    interconnect: text('interconnect'),
    quantityTotal: integer('quantity_total').notNull(),
    windowStart: at('window_start').notNull(),
    windowEnd: at('window_end').notNull(),
    pricePerUnit: doublePrecision('price_per_unit').notNull(),
    unit: text('unit').notNull(),
    currency: text('currency').notNull().default('CNY'),
    minTermHours: doublePrecision('min_term_hours').notNull(),
    slaPct: doublePrecision('sla_pct').notNull(),
    certifications: text('certifications').array().notNull().default(sql`'{}'::text[]`),
    /** Copied from the facility when the offer is written (the facility's green power share). */
    greenPowerPct: doublePrecision('green_power_pct').notNull(),
    status: text('status').notNull(), // 'open' | 'withdrawn'
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('market_offers_status_idx').on(t.status, t.windowEnd),
    index('market_offers_supplier_idx').on(t.supplierOrgId, t.createdAt),
    index('market_offers_facility_idx').on(t.facilityId),
    index('market_offers_province_idx').on(t.provinceCode),
    check('market_offers_quantity_positive', sql`${t.quantityTotal} > 0`),
    check('market_offers_window_ordered', sql`${t.windowEnd} > ${t.windowStart}`),
    check('market_offers_price_non_negative', sql`${t.pricePerUnit} >= 0`),
  ],
);

/** Demands (需求): hard requirements and soft weights in the shape the matching engine takes. */
export const marketDemands = pgTable(
  'market_demands',
  {
    id: text('id').primaryKey(),
    demanderOrgId: text('demander_org_id')
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    resourceKind: text('resource_kind'),
    acceleratorModel: text('accelerator_model'),
    minTflops: doublePrecision('min_tflops'),
    precision: text('precision'),
    count: integer('count').notNull(),
    memoryGb: doublePrecision('memory_gb'),
    startAt: at('start_at').notNull(),
    endAt: at('end_at').notNull(),
    regionsAllowed: text('regions_allowed').array().notNull().default(sql`'{}'::text[]`),
    dataResidency: text('data_residency'),
    latencyFromRegionCode: text('latency_from_region_code'),
    latencyMaxMs: doublePrecision('latency_max_ms'),
    maxPricePerUnit: doublePrecision('max_price_per_unit'),
    weights: jsonb('weights').$type<SoftWeights>().notNull(),
    /** The place the demand names (latency origin, else residency, else the first allowed region): whose government sees it. */
    regionCode: text('region_code'),
    provinceCode: text('province_code'),
    cityCode: text('city_code'),
    status: text('status').notNull(), // 'open' | 'ordered' | 'closed'
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('market_demands_org_idx').on(t.demanderOrgId, t.createdAt),
    index('market_demands_status_idx').on(t.status, t.createdAt),
    check('market_demands_count_positive', sql`${t.count} > 0`),
    check('market_demands_window_ordered', sql`${t.endAt} > ${t.startAt}`),
  ],
);

/** Services (服务) on top of compute: model deployment, fine-tuning, application building. */
export const marketServices = pgTable(
  'market_services',
  {
    id: text('id').primaryKey(),
    providerOrgId: text('provider_org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind').notNull(), // 'model_deployment' | 'fine_tuning' | 'application_building'
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The offers the service runs on (any open offer of the market). */
    offerIds: text('offer_ids').array().notNull().default(sql`'{}'::text[]`),
    pricePerUnit: doublePrecision('price_per_unit'),
    unit: text('unit'), // 'hour' | 'month' | '1k_tokens' | 'project'
    status: text('status').notNull(), // 'listed' | 'withdrawn'
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('market_services_provider_idx').on(t.providerOrgId), index('market_services_kind_idx').on(t.kind, t.createdAt)],
);

/**
 * Orders (订单). An order in state reserved or active holds `quantity` units of its offer over
 * [start_at, end_at); the order path locks the offer row (SELECT … FOR UPDATE) before it sums the
 * holding orders, so two orders can never both take the last units (docs/market.md).
 */
export const marketOrders = pgTable(
  'market_orders',
  {
    id: text('id').primaryKey(),
    offerId: text('offer_id')
      .notNull()
      .references(() => marketOffers.id),
    demandId: text('demand_id').references(() => marketDemands.id),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organizations.id),
    supplierOrgId: text('supplier_org_id').notNull(),
    facilityId: text('facility_id').notNull(),
    regionCode: text('region_code').notNull(),
    provinceCode: text('province_code').notNull(),
    cityCode: text('city_code'),
    quantity: integer('quantity').notNull(),
    startAt: at('start_at').notNull(),
    endAt: at('end_at').notNull(),
    unitPrice: doublePrecision('unit_price').notNull(),
    unit: text('unit').notNull(),
    currency: text('currency').notNull().default('CNY'),
    /** Quoted total in CNY for the whole window; null for per-token offers (billed on metered use). */
    totalAmount: doublePrecision('total_amount'),
    state: text('state').notNull(), // quote | reserved | active | completed | cancelled | disputed
    quoteExpiresAt: at('quote_expires_at'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the canonical request body: the same key with another body is refused. */
    requestFingerprint: text('request_fingerprint').notNull(),
    reason: text('reason'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    reservedAt: at('reserved_at'),
    activatedAt: at('activated_at'),
    completedAt: at('completed_at'),
    cancelledAt: at('cancelled_at'),
    disputedAt: at('disputed_at'),
  },
  (t) => [
    uniqueIndex('market_orders_idempotency_idx').on(t.buyerOrgId, t.idempotencyKey),
    index('market_orders_offer_state_idx').on(t.offerId, t.state),
    index('market_orders_buyer_idx').on(t.buyerOrgId, t.createdAt),
    index('market_orders_supplier_idx').on(t.supplierOrgId, t.createdAt),
    index('market_orders_province_idx').on(t.provinceCode, t.createdAt),
    check('market_orders_quantity_positive', sql`${t.quantity} > 0`),
    check('market_orders_window_ordered', sql`${t.endAt} > ${t.startAt}`),
  ],
);

/** Metered use a supplier reports for an order (card-hours, core-hours, 1k tokens, months). */
export const marketUsage = pgTable(
  'market_usage',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => marketOrders.id),
    periodStart: at('period_start').notNull(),
    periodEnd: at('period_end').notNull(),
    quantity: doublePrecision('quantity').notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('market_usage_order_idx').on(t.orderId, t.periodStart), check('market_usage_quantity_non_negative', sql`${t.quantity} >= 0`)],
);

/** Settlement (结算): one line per order and UTC day (per 730-hour billing month for monthly offers), written on completion. */
export const marketSettlementLines = pgTable(
  'market_settlement_lines',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => marketOrders.id),
    period: text('period').notNull(), // the UTC day '2026-03-02', or the first day of a 730-hour billing month
    periodStart: at('period_start').notNull(),
    periodEnd: at('period_end').notNull(),
    quantity: doublePrecision('quantity').notNull(),
    unitPrice: doublePrecision('unit_price').notNull(),
    amount: doublePrecision('amount').notNull(),
    basis: text('basis').notNull(), // 'reserved' | 'metered'
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('market_settlement_order_period_idx').on(t.orderId, t.periodStart)],
);

/** Ratings after completion: one per order, by the buyer; they make the supplier's reputation. */
export const marketRatings = pgTable(
  'market_ratings',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => marketOrders.id)
      .unique(),
    supplierOrgId: text('supplier_org_id').notNull(),
    buyerOrgId: text('buyer_org_id').notNull(),
    stars: integer('stars').notNull(),
    comment: text('comment').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('market_ratings_supplier_idx').on(t.supplierOrgId), check('market_ratings_stars_range', sql`${t.stars} between 1 and 5`)],
);
