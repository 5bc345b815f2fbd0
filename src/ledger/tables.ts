import { sql } from 'drizzle-orm';
import { bigserial, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { AcceleratorLine, ComputeCapacity, Contact } from './types.ts';

/** The approved ledger: one row per facility, the current approved version. */
export const facilities = pgTable(
  'facilities',
  {
    id: text('id').primaryKey(),
    computeId: text('compute_id').notNull().unique(),
    name: text('name').notNull(),
    regionCode: text('region_code').notNull(),
    provinceCode: text('province_code').notNull(),
    cityCode: text('city_code'),
    address: text('address').notNull().default(''),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    status: text('status').notNull(),
    kind: text('kind').notNull(),
    ownerOrgId: text('owner_org_id').notNull(),
    racksDesigned: integer('racks_designed').notNull(),
    racksInUse: integer('racks_in_use').notNull(),
    /** Derived, never typed: racks in use / designed. */
    rackUtilization: doublePrecision('rack_utilization').generatedAlwaysAs(
      sql`case when racks_designed > 0 then racks_in_use::double precision / racks_designed end`,
    ),
    fp64: doublePrecision('fp64').notNull().default(0),
    fp32: doublePrecision('fp32').notNull().default(0),
    fp16: doublePrecision('fp16').notNull().default(0),
    int8: doublePrecision('int8').notNull().default(0),
    /** Derived, never typed: the rule of src/ledger/catalogue.ts fp32Equivalent (docs/methods/units.md). */
    fp32Equivalent: doublePrecision('fp32_equivalent').generatedAlwaysAs(
      sql`greatest(fp64 * 2, fp32, fp16 * 0.5, int8 * 0.25)`,
    ),
    /** Compute declared besides the accelerators (CPUs, other devices); the fp* columns hold the totals. */
    computeDeclared: jsonb('compute_declared').$type<ComputeCapacity>().notNull().default({ fp64: 0, fp32: 0, fp16: 0, int8: 0 }),
    accelerators: jsonb('accelerators').$type<AcceleratorLine[]>().notNull().default([]),
    storagePb: doublePrecision('storage_pb').notNull().default(0),
    advancedStoragePct: doublePrecision('advanced_storage_pct').notNull().default(0),
    egressGbps: doublePrecision('egress_gbps').notNull().default(0),
    pueDesign: doublePrecision('pue_design'),
    pueMeasured: doublePrecision('pue_measured'),
    annualKwh: doublePrecision('annual_kwh').notNull().default(0),
    greenPowerPct: doublePrecision('green_power_pct').notNull().default(0),
    contacts: jsonb('contacts').$type<Contact[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('facilities_province_idx').on(t.provinceCode, t.id),
    index('facilities_city_idx').on(t.cityCode, t.id),
    index('facilities_region_idx').on(t.regionCode),
    index('facilities_owner_idx').on(t.ownerOrgId),
    index('facilities_name_idx').on(t.name, t.id),
    index('facilities_updated_idx').on(t.updatedAt, t.id),
  ],
);

/** Per-region sequence behind the unified compute identifier (算力标识). */
export const computeIdCounters = pgTable('compute_id_counters', {
  regionCode: text('region_code').primaryKey(),
  lastValue: integer('last_value').notNull(),
});

/** Registration requests (基础设施登记 / 上网申报): drafts, submissions and decisions. */
export const registrations = pgTable(
  'registrations',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(), // 'create' | 'change'
    status: text('status').notNull(), // 'draft' | 'submitted' | 'approved' | 'rejected'
    facilityId: text('facility_id'),
    orgId: text('org_id').notNull(),
    regionCode: text('region_code').notNull(),
    provinceCode: text('province_code').notNull(),
    cityCode: text('city_code'),
    data: jsonb('data').notNull(),
    baseVersion: integer('base_version'),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('registrations_status_province_idx').on(t.status, t.provinceCode),
    index('registrations_org_idx').on(t.orgId),
  ],
);

/** Every change of a ledger object: who, when, request id, before and after (netbox-style change log). */
export const changeLog = pgTable(
  'change_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    version: integer('version'),
    action: text('action').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    orgId: text('org_id'),
    requestId: text('request_id'),
    relatedId: text('related_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('change_log_object_idx').on(t.objectType, t.objectId, t.id)],
);
