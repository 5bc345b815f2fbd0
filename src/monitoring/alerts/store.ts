import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { COUNTRY_CODE } from '../../identity/actor.ts';
import { alertDeliveries, alertInstances, alertRules } from './tables.ts';

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertInstanceRow = typeof alertInstances.$inferSelect;
export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;

/** Serialises alert evaluations across replicas (transaction-scoped advisory lock). */
export const ALERT_LOCK_KEY = 4242010;

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const iso = (ms: number) => new Date(ms).toISOString();

/** Facilities `f` in a region: the whole country, or a province, city or county code. */
export function inRegion(regionCode: string): SQL {
  if (regionCode === COUNTRY_CODE) return sql`true`;
  return sql`(f.province_code = ${regionCode} or f.city_code = ${regionCode} or f.region_code = ${regionCode})`;
}

/** Which facilities `f` an organisation may watch: a platform all, a government body its jurisdiction, an enterprise its own. */
export function watchableBy(org: { id: string; kind: string; jurisdictionCode: string | null }): SQL {
  if (org.kind === 'platform') return sql`true`;
  if (org.kind === 'government') return org.jurisdictionCode ? inRegion(org.jurisdictionCode) : sql`false`;
  return sql`f.owner_org_id = ${org.id}`;
}

export interface ScopedFacility {
  id: string;
  name: string;
  computeId: string;
  regionCode: string;
}

export interface AlertListFilter {
  /** SQL over facilities `f` restricting what the caller may see. */
  visible: SQL;
  state?: 'pending' | 'firing' | 'resolved' | 'open';
  facilityId?: string;
  region?: string;
  ruleId?: string;
  severity?: string;
  after?: { at: number; id: string };
  limit: number;
}

export interface AlertListRow {
  id: string;
  rule_id: string;
  rule_name: string;
  kind: string;
  severity: string;
  metric: string | null;
  comparison: string | null;
  facility_id: string;
  facility_name: string;
  compute_id: string;
  region_code: string;
  state: string;
  value: number | null;
  threshold: number | null;
  started_at: string | Date;
  fired_at: string | Date | null;
  resolved_at: string | Date | null;
  last_evaluated_at: string | Date;
}

function alertWhere(filter: AlertListFilter): SQL[] {
  const parts: SQL[] = [filter.visible];
  if (filter.state === 'open') parts.push(sql`i.state in ('pending', 'firing')`);
  else if (filter.state) parts.push(sql`i.state = ${filter.state}`);
  if (filter.facilityId) parts.push(sql`i.facility_id = ${filter.facilityId}`);
  if (filter.region) parts.push(inRegion(filter.region));
  if (filter.ruleId) parts.push(sql`i.rule_id = ${filter.ruleId}`);
  if (filter.severity) parts.push(sql`r.severity = ${filter.severity}`);
  return parts;
}

export function alertStore(db: Db | Tx) {
  return {
    // ------------------------------------------------------------ rules
    insertRule: async (row: typeof alertRules.$inferInsert) => {
      await db.insert(alertRules).values(row);
    },
    /** A rule that is not deleted. */
    getRule: async (id: string): Promise<AlertRuleRow | undefined> => (await db.select().from(alertRules).where(and(eq(alertRules.id, id), isNull(alertRules.deletedAt))))[0],
    /** A rule, deleted or not. */
    ruleById: async (id: string): Promise<AlertRuleRow | undefined> => (await db.select().from(alertRules).where(eq(alertRules.id, id)))[0],
    /** Rules not deleted, oldest first, with the region of the facility a facility rule watches; `ownerOrgId` restricts to one owner. */
    listRules: async (ownerOrgId: string | null, limit: number): Promise<{ rule: AlertRuleRow; facilityRegion: string | null }[]> =>
      (
        await db
          .select({ rule: alertRules, facilityRegion: sql<string | null>`(select f.region_code from facilities f where f.id = ${alertRules.scopeFacilityId})` })
          .from(alertRules)
          .where(and(isNull(alertRules.deletedAt), ownerOrgId ? eq(alertRules.ownerOrgId, ownerOrgId) : undefined))
          .orderBy(asc(alertRules.createdAt), asc(alertRules.id))
          .limit(limit)
      ).map((r) => ({ rule: r.rule, facilityRegion: r.facilityRegion })),
    /** Compare-and-set on the version; undefined when the rule changed meanwhile. */
    updateRule: async (id: string, version: number, set: Partial<typeof alertRules.$inferInsert>): Promise<AlertRuleRow | undefined> =>
      (
        await db
          .update(alertRules)
          .set({ ...set, version: version + 1 })
          .where(and(eq(alertRules.id, id), eq(alertRules.version, version), isNull(alertRules.deletedAt)))
          .returning()
      )[0],
    /** Rules to evaluate: live ones, and deleted ones that still have open alerts (to resolve them). */
    rulesToEvaluate: async (): Promise<AlertRuleRow[]> =>
      db
        .select()
        .from(alertRules)
        .where(sql`${alertRules.deletedAt} is null or exists (select 1 from alert_instances i where i.rule_id = ${alertRules.id} and i.state in ('pending', 'firing'))`)
        .orderBy(asc(alertRules.createdAt), asc(alertRules.id)),
    /** The webhook secrets of rules, deleted ones included (their last notifications are still signed). */
    ruleSecrets: async (ids: string[]): Promise<Map<string, string>> => {
      if (!ids.length) return new Map();
      const rows = await db.select({ id: alertRules.id, secret: alertRules.webhookSecret }).from(alertRules).where(sql`${alertRules.id} = any(${sql.param(ids)}::text[])`);
      return new Map(rows.map((r) => [r.id, r.secret]));
    },
    ownerOrg: async (orgId: string): Promise<{ id: string; kind: string; jurisdictionCode: string | null } | undefined> =>
      rowsOf<{ id: string; kind: string; jurisdiction_code: string | null }>(await db.execute(sql`select id, kind, jurisdiction_code from organizations where id = ${orgId}`)).map((r) => ({
        id: r.id,
        kind: r.kind,
        jurisdictionCode: r.jurisdiction_code,
      }))[0],
    facility: async (id: string): Promise<(ScopedFacility & { ownerOrgId: string }) | undefined> =>
      rowsOf<{ id: string; name: string; compute_id: string; region_code: string; owner_org_id: string }>(
        await db.execute(sql`select id, name, compute_id, region_code, owner_org_id from facilities where id = ${id}`),
      ).map((r) => ({ id: r.id, name: r.name, computeId: r.compute_id, regionCode: r.region_code, ownerOrgId: r.owner_org_id }))[0],

    // ------------------------------------------------------------ what a rule reads

    /** The facilities of a scope that the owner may watch and that have sent at least one sample. */
    scopeFacilities: async (scope: SQL, watchable: SQL): Promise<ScopedFacility[]> =>
      rowsOf<{ id: string; name: string; compute_id: string; region_code: string }>(
        await db.execute(sql`select f.id, f.name, f.compute_id, f.region_code from facilities f
          where ${scope} and ${watchable} and exists (select 1 from facility_metric_latest l where l.facility_id = f.id)
          order by f.id`),
      ).map((r) => ({ id: r.id, name: r.name, computeId: r.compute_id, regionCode: r.region_code })),

    /** Per facility: the mean of the newest values of a metric's series, counting only values at or after `sinceMs`. */
    latestValues: async (metric: string, facilityIds: string[], sinceMs: number): Promise<Map<string, number>> => {
      if (!facilityIds.length) return new Map();
      const rows = rowsOf<{ facility_id: string; v: number }>(
        await db.execute(sql`select facility_id, avg(value)::float8 as v from facility_metric_latest
          where metric = ${metric} and facility_id = any(${sql.param(facilityIds)}::text[]) and ts >= ${iso(sinceMs)}::timestamptz
          group by facility_id`),
      );
      return new Map(rows.map((r) => [r.facility_id, Number(r.v)]));
    },

    /** Per facility: the time of its newest sample (any metric). */
    newestSamples: async (facilityIds: string[]): Promise<Map<string, number>> => {
      if (!facilityIds.length) return new Map();
      const rows = rowsOf<{ facility_id: string; t: number }>(
        await db.execute(sql`select facility_id, (extract(epoch from max(ts)) * 1000)::float8 as t from facility_metric_latest
          where facility_id = any(${sql.param(facilityIds)}::text[]) group by facility_id`),
      );
      return new Map(rows.map((r) => [r.facility_id, Number(r.t)]));
    },

    /**
     * Per facility: the mean of every sample of a metric in [fromMs, toMs], all its series together —
     * folded 5 min buckets (sum / count) up to the rollup watermark, raw samples after it.
     */
    windowAverages: async (metric: string, facilityIds: string[], fromMs: number, toMs: number): Promise<Map<string, number>> => {
      if (!facilityIds.length) return new Map();
      const rows = rowsOf<{ facility_id: string; v: number }>(
        await db.execute(sql`
          with s as (
            select id, facility_id from metric_series where metric = ${metric} and facility_id = any(${sql.param(facilityIds)}::text[])
          ), w as (
            select coalesce((select done_until from metric_rollup_state where resolution = '5m'), '-infinity'::timestamptz) as done
          ), parts as (
            select s.facility_id, r.sum, r.count::float8 as n
            from metric_rollups_5m r join s on s.id = r.series_id, w
            where r.bucket >= ${iso(fromMs)}::timestamptz and r.bucket < least(w.done, ${iso(toMs)}::timestamptz)
            union all
            select s.facility_id, m.value as sum, 1::float8 as n
            from metric_samples m join s on s.id = m.series_id, w
            where m.ts >= greatest(w.done, ${iso(fromMs)}::timestamptz) and m.ts <= ${iso(toMs)}::timestamptz
          )
          select facility_id, (sum(sum) / sum(n))::float8 as v from parts group by facility_id having sum(n) > 0`),
      );
      return new Map(rows.map((r) => [r.facility_id, Number(r.v)]));
    },

    // ------------------------------------------------------------ alerts

    openInstances: async (ruleId: string): Promise<AlertInstanceRow[]> =>
      db.select().from(alertInstances).where(and(eq(alertInstances.ruleId, ruleId), sql`${alertInstances.state} in ('pending', 'firing')`)),
    insertInstance: async (row: typeof alertInstances.$inferInsert) => {
      await db.insert(alertInstances).values(row);
    },
    updateInstance: async (id: string, set: Partial<typeof alertInstances.$inferInsert>) => {
      await db.update(alertInstances).set(set).where(eq(alertInstances.id, id));
    },
    /** Facts for payloads and views: the facilities behind a set of alerts. */
    facilitiesByIds: async (ids: string[]): Promise<Map<string, ScopedFacility>> => {
      if (!ids.length) return new Map();
      const rows = rowsOf<{ id: string; name: string; compute_id: string; region_code: string }>(
        await db.execute(sql`select id, name, compute_id, region_code from facilities where id = any(${sql.param(ids)}::text[])`),
      );
      return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, computeId: r.compute_id, regionCode: r.region_code }]));
    },

    listAlerts: async (filter: AlertListFilter): Promise<AlertListRow[]> => {
      const where = alertWhere(filter);
      if (filter.after) where.push(sql`(i.started_at, i.id) < (${iso(filter.after.at)}::timestamptz, ${filter.after.id})`);
      return rowsOf<AlertListRow>(
        await db.execute(sql`select i.id, i.rule_id, r.name as rule_name, r.kind, r.severity, r.metric, r.comparison,
            i.facility_id, f.name as facility_name, f.compute_id, f.region_code, i.state, i.value, i.threshold,
            i.started_at, i.fired_at, i.resolved_at, i.last_evaluated_at
          from alert_instances i join alert_rules r on r.id = i.rule_id join facilities f on f.id = i.facility_id
          where ${sql.join(where, sql` and `)}
          order by i.started_at desc, i.id desc limit ${filter.limit}`),
      );
    },
    countAlerts: async (filter: AlertListFilter): Promise<number> =>
      Number(
        rowsOf<{ n: number | string }>(
          await db.execute(sql`select count(*) as n from alert_instances i join alert_rules r on r.id = i.rule_id join facilities f on f.id = i.facility_id
            where ${sql.join(alertWhere(filter), sql` and `)}`),
        )[0].n,
      ),

    // ------------------------------------------------------------ deliveries

    enqueueDelivery: async (row: typeof alertDeliveries.$inferInsert) => {
      await db.insert(alertDeliveries).values(row);
    },
    /**
     * Takes up to `limit` deliveries that are due, oldest first, skipping any whose alert has an
     * earlier delivery still waiting (so firing always goes out before resolved), and leases them
     * until `leaseUntilMs` so that another replica leaves them alone while they are being sent.
     */
    claimDeliveries: async (nowMs: number, leaseUntilMs: number, limit: number): Promise<AlertDeliveryRow[]> => {
      const rows = rowsOf<{ id: number | string }>(
        await db.execute(sql`
          update alert_deliveries set next_attempt_at = ${iso(leaseUntilMs)}::timestamptz
          where id in (
            select d.id from alert_deliveries d
            where d.status = 'pending' and d.next_attempt_at <= ${iso(nowMs)}::timestamptz
              and not exists (select 1 from alert_deliveries e where e.instance_id = d.instance_id and e.status = 'pending' and e.id < d.id)
            order by d.next_attempt_at, d.id
            limit ${limit}
            for update skip locked
          )
          returning id`),
      );
      if (!rows.length) return [];
      return db
        .select()
        .from(alertDeliveries)
        .where(sql`${alertDeliveries.id} = any(${sql.param(rows.map((r) => Number(r.id)))}::bigint[])`)
        .orderBy(asc(alertDeliveries.id));
    },
    finishDelivery: async (id: number, set: Partial<typeof alertDeliveries.$inferInsert>) => {
      await db.update(alertDeliveries).set(set).where(eq(alertDeliveries.id, id));
    },
    deliveriesOf: async (instanceId: string): Promise<AlertDeliveryRow[]> =>
      db.select().from(alertDeliveries).where(eq(alertDeliveries.instanceId, instanceId)).orderBy(asc(alertDeliveries.id)),
  };
}

export type AlertStore = ReturnType<typeof alertStore>;
