import { and, asc, desc, eq, gt, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/store.ts';
import type { Db, Tx } from '../db/client.ts';
import { changeLog, computeIdCounters, facilities, registrations } from './tables.ts';

export type FacilityRow = typeof facilities.$inferSelect;
export type FacilityInsert = typeof facilities.$inferInsert;
export type RegistrationRow = typeof registrations.$inferSelect;
export type ChangeLogRow = typeof changeLog.$inferSelect;

export interface FacilityFilter {
  /** A province, city or county code: matches everything beneath it. */
  region?: string;
  regionLevel?: 'province' | 'city' | 'county';
  status?: string[];
  kind?: string[];
  q?: string;
  ownerOrgId?: string;
}

export const FACILITY_SORTS = {
  computeId: facilities.computeId,
  name: facilities.name,
  racksDesigned: facilities.racksDesigned,
  rackUtilization: sql`coalesce(${facilities.rackUtilization}, -1)`,
  fp32Equivalent: facilities.fp32Equivalent,
  updatedAt: facilities.updatedAt,
} as const;
export type FacilitySortKey = keyof typeof FACILITY_SORTS;

function facilityWhere(filter: FacilityFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (filter.region && filter.regionLevel) {
    const column = { province: facilities.provinceCode, city: facilities.cityCode, county: facilities.regionCode }[filter.regionLevel];
    parts.push(eq(column, filter.region));
  }
  if (filter.status?.length) parts.push(inArray(facilities.status, filter.status));
  if (filter.kind?.length) parts.push(inArray(facilities.kind, filter.kind));
  if (filter.ownerOrgId) parts.push(eq(facilities.ownerOrgId, filter.ownerOrgId));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(facilities.name, pattern), ilike(facilities.computeId, pattern), ilike(facilities.address, pattern)));
  }
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? and(...present) : undefined;
}

/** Whose registrations a caller sees: its organisation's, or those within a jurisdiction. */
export interface RegistrationScope {
  orgId?: string;
  jurisdiction?: { level: 'province' | 'city' | 'county'; code: string };
}

function registrationWhere(scope: RegistrationScope, status: string[] | undefined): SQL | undefined {
  const parts: SQL[] = [];
  if (scope.orgId) parts.push(eq(registrations.orgId, scope.orgId));
  if (scope.jurisdiction) {
    const column = { province: registrations.provinceCode, city: registrations.cityCode, county: registrations.regionCode }[scope.jurisdiction.level];
    parts.push(eq(column, scope.jurisdiction.code));
  }
  if (status?.length) parts.push(inArray(registrations.status, status));
  return parts.length ? and(...parts) : undefined;
}

export function ledgerStore(db: Db | Tx) {
  return {
    /** Reserves `count` consecutive values of the region's identifier sequence in one statement; returns the first. */
    reserveComputeSequence: async (regionCode: string, count = 1): Promise<number> => {
      const rows = await db
        .insert(computeIdCounters)
        .values({ regionCode, lastValue: count })
        .onConflictDoUpdate({ target: computeIdCounters.regionCode, set: { lastValue: sql`${computeIdCounters.lastValue} + ${count}` } })
        .returning({ value: computeIdCounters.lastValue });
      return rows[0].value - count + 1;
    },
    /** Raises the region's sequence to at least `value` (identifiers imported from elsewhere). */
    bumpComputeSequence: async (regionCode: string, value: number) => {
      await db
        .insert(computeIdCounters)
        .values({ regionCode, lastValue: value })
        .onConflictDoUpdate({ target: computeIdCounters.regionCode, set: { lastValue: sql`greatest(${computeIdCounters.lastValue}, ${value})` } });
    },
    insertFacilities: async (rows: FacilityInsert[]) => {
      if (rows.length) await db.insert(facilities).values(rows);
    },
    /** Writes a new version if the stored one is still `expectedVersion`; returns false when it moved on. */
    updateFacility: async (id: string, expectedVersion: number, values: Partial<FacilityInsert>): Promise<FacilityRow | undefined> =>
      (
        await db
          .update(facilities)
          .set({ ...values, version: expectedVersion + 1 })
          .where(and(eq(facilities.id, id), eq(facilities.version, expectedVersion)))
          .returning()
      )[0],
    getFacility: async (id: string): Promise<FacilityRow | undefined> =>
      (await db.select().from(facilities).where(eq(facilities.id, id)))[0],
    /** Compute identifiers of the given facilities, in one query (for list views). */
    computeIdsOf: async (ids: string[]): Promise<Map<string, string>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: facilities.id, computeId: facilities.computeId }).from(facilities).where(inArray(facilities.id, unique));
      return new Map(rows.map((r) => [r.id, r.computeId]));
    },
    findByComputeIds: async (computeIds: string[]): Promise<FacilityRow[]> =>
      computeIds.length ? db.select().from(facilities).where(inArray(facilities.computeId, computeIds)) : [],
    findByNames: async (names: string[]): Promise<{ name: string; regionCode: string }[]> =>
      names.length ? db.select({ name: facilities.name, regionCode: facilities.regionCode }).from(facilities).where(inArray(facilities.name, names)) : [],
    listFacilities: async (filter: FacilityFilter, sort: FacilitySortKey, descending: boolean, limit: number, after?: { value: unknown; id: string }) => {
      const key = FACILITY_SORTS[sort];
      const where = facilityWhere(filter);
      let keyset: SQL | undefined;
      if (after) {
        const compare = descending ? lt : gt;
        keyset = or(compare(key as never, after.value as never), and(eq(key as never, after.value as never), compare(facilities.id, after.id)));
      }
      const order = descending ? [desc(key as never), desc(facilities.id)] : [asc(key as never), asc(facilities.id)];
      return db
        .select({ row: facilities, sortValue: sql<unknown>`${key}` })
        .from(facilities)
        .where(and(where, keyset))
        .orderBy(...order)
        .limit(limit);
    },
    countFacilities: async (filter: FacilityFilter): Promise<number> =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(facilities).where(facilityWhere(filter)))[0].n,

    insertRegistration: async (row: typeof registrations.$inferInsert) => {
      await db.insert(registrations).values(row);
    },
    getRegistration: async (id: string): Promise<RegistrationRow | undefined> =>
      (await db.select().from(registrations).where(eq(registrations.id, id)))[0],
    /** Compare-and-set on the registration's version so two reviewers cannot both decide. */
    updateRegistration: async (id: string, expectedVersion: number, values: Partial<typeof registrations.$inferInsert>): Promise<RegistrationRow | undefined> =>
      (
        await db
          .update(registrations)
          .set({ ...values, version: expectedVersion + 1 })
          .where(and(eq(registrations.id, id), eq(registrations.version, expectedVersion)))
          .returning()
      )[0],
    listRegistrations: async (scope: RegistrationScope, status: string[] | undefined, limit: number, after?: { createdAt: Date; id: string }) => {
      const keyset = after ? or(lt(registrations.createdAt, after.createdAt), and(eq(registrations.createdAt, after.createdAt), lt(registrations.id, after.id))) : undefined;
      return db
        .select()
        .from(registrations)
        .where(and(registrationWhere(scope, status), keyset))
        .orderBy(desc(registrations.createdAt), desc(registrations.id))
        .limit(limit);
    },
    countRegistrations: async (scope: RegistrationScope, status: string[] | undefined): Promise<number> =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(registrations).where(registrationWhere(scope, status)))[0].n,

    /** Writes the change log and, in the same transaction, the tamper-evident audit chain (src/audit). */
    appendChanges: async (rows: (typeof changeLog.$inferInsert)[]) => {
      if (!rows.length) return;
      await db.insert(changeLog).values(rows);
      await appendAudit(
        db,
        rows.map((row) => ({
          at: row.at,
          actorId: row.actorId ?? null,
          actorName: row.actorName ?? null,
          orgId: row.orgId ?? null,
          action: row.action,
          objectType: row.objectType,
          objectId: row.objectId,
          before: row.before,
          after: row.after,
          requestId: row.requestId ?? null,
        })),
      );
    },
    history: async (objectType: string, objectId: string): Promise<ChangeLogRow[]> =>
      db
        .select()
        .from(changeLog)
        .where(and(eq(changeLog.objectType, objectType), eq(changeLog.objectId, objectId)))
        .orderBy(asc(changeLog.id)),
  };
}

export type LedgerStore = ReturnType<typeof ledgerStore>;
