import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RollupLevel } from '../store.ts';
import { type Figure, type FigureSums, REGION_METRICS } from './aggregate.ts';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Which ledger facilities a region covers: none for the country, else by the column of its level. */
export type RegionScope = { level: 'country' } | { level: 'province' | 'city' | 'county'; code: string };

function scopeWhere(scope: RegionScope): SQL {
  switch (scope.level) {
    case 'country':
      return sql`true`;
    case 'province':
      return sql`f.province_code = ${scope.code}`;
    case 'city':
      return sql`f.city_code = ${scope.code}`;
    case 'county':
      return sql`f.region_code = ${scope.code}`;
  }
}

export interface ConnectedFacilityRow {
  id: string;
  name: string;
  computeId: string;
  regionCode: string;
  provinceCode: string;
  cityCode: string | null;
  ownerOrgId: string;
  racksDesigned: number;
  acceleratorsRegistered: number;
  lastSampleMs: number;
}

/** One bucket of a region's trend: the sums its figures are ratios of, and how many contributors the caller may not see. */
export interface TrendBucketRow {
  ts: number;
  /** Facilities with a value of any vocabulary metric in the bucket. */
  facilities: number;
  sums: FigureSums;
  hidden: Record<Figure, number>;
}

/** What the trend needs of a facility besides its series: the weights, and whether the caller may see it. */
export interface TrendFacility {
  id: string;
  racksDesigned: number;
  acceleratorsRegistered: number;
  visible: boolean;
}

export function regionsStore(db: Db) {
  return {
    /** Every facility with telemetry (a latest value of any series), nationwide, with the time of its newest sample. */
    connectedFacilities: async (): Promise<ConnectedFacilityRow[]> => {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select f.id, f.name, f.compute_id, f.region_code, f.province_code, f.city_code, f.owner_org_id, f.racks_designed,
                 (select coalesce(sum((a ->> 'count')::float8), 0) from jsonb_array_elements(f.accelerators) a)::float8 as cards,
                 (extract(epoch from m.last) * 1000)::float8 as last_ms
          from (select facility_id, max(ts) as last from facility_metric_latest group by facility_id) m
          join facilities f on f.id = m.facility_id
          order by f.id`),
      );
      return rows.map((r) => ({
        id: String(r.id),
        name: String(r.name),
        computeId: String(r.compute_id),
        regionCode: String(r.region_code),
        provinceCode: String(r.province_code),
        cityCode: r.city_code === null ? null : String(r.city_code),
        ownerOrgId: String(r.owner_org_id),
        racksDesigned: Number(r.racks_designed),
        acceleratorsRegistered: Number(r.cards),
        lastSampleMs: Number(r.last_ms),
      }));
    },

    /** The newest value of every vocabulary series whose newest sample is at or after `sinceMs`. */
    freshValues: async (sinceMs: number): Promise<{ facilityId: string; metric: string; value: number }[]> => {
      const rows = rowsOf<{ facility_id: string; metric: string; value: number }>(
        await db.execute(sql`
          select facility_id, metric, value from facility_metric_latest
          where metric = any(${sql.param([...REGION_METRICS])}::text[]) and ts >= ${new Date(sinceMs).toISOString()}::timestamptz`),
      );
      return rows.map((r) => ({ facilityId: r.facility_id, metric: r.metric, value: Number(r.value) }));
    },

    /** Ledger facilities of the region (all, and in operation), in total or by the given child column. */
    registered: async (scope: RegionScope, by: 'province' | 'city' | 'county' | null): Promise<{ key: string | null; registered: number; inOperation: number }[]> => {
      const column = by === null ? sql`null::text` : sql.raw({ province: 'f.province_code', city: 'f.city_code', county: 'f.region_code' }[by]);
      const rows = rowsOf<{ key: string | null; registered: number; in_operation: number }>(
        await db.execute(sql`
          select ${column} as key, count(*)::int as registered, (count(*) filter (where f.status = 'in_operation'))::int as in_operation
          from facilities f where ${scopeWhere(scope)} group by 1`),
      );
      return rows.map((r) => ({ key: r.key, registered: Number(r.registered), inOperation: Number(r.in_operation) }));
    },

    /**
     * The trend of the given facilities in [fromMs, toMs], one row per bucket. Each series' bucket
     * average comes from the level's rollup table (sum / count) before its watermark, and from raw
     * samples after it (as the series API). A facility's series are reduced as reduceFacility does
     * (power and accelerator counts summed, the rest averaged), then summed as sumsOf does — in SQL,
     * so that only one row per bucket leaves the database.
     */
    trend: async (facilities: TrendFacility[], level: RollupLevel, fromMs: number, toMs: number, watermarkMs: number | null): Promise<TrendBucketRow[]> => {
      if (facilities.length === 0) return [];
      const step = level.stepSeconds;
      const stepMs = step * 1000;
      const bucketFrom = Math.floor(fromMs / stepMs) * stepMs;
      const foldedUntil = watermarkMs === null ? bucketFrom : Math.min(watermarkMs, toMs + 1);
      const rawFrom = watermarkMs === null ? fromMs : Math.max(fromMs, watermarkMs);
      const iso = (ms: number) => new Date(ms).toISOString();
      // The series first, on their own: their ids as a parameter keep the plans of the reads below simple (index scans per series).
      const series = rowsOf<{ id: number | string; facility_id: string; metric: string }>(
        await db.execute(sql`select id, facility_id, metric from metric_series
          where facility_id = any(${sql.param(facilities.map((f) => f.id))}::text[]) and metric = any(${sql.param([...REGION_METRICS])}::text[])`),
      );
      if (series.length === 0) return [];
      const ids = sql.param(series.map((r) => Number(r.id)));
      const parts: SQL[] = [];
      if (foldedUntil > bucketFrom) {
        parts.push(sql`select r.series_id, r.bucket, r.sum / r.count as v from ${sql.raw(level.table)} r
          where r.series_id = any(${ids}::bigint[]) and r.bucket >= ${iso(bucketFrom)}::timestamptz and r.bucket < ${iso(foldedUntil)}::timestamptz`);
      }
      if (toMs >= rawFrom) {
        parts.push(sql`select s.series_id, to_timestamp((floor(extract(epoch from s.ts) / ${step}) * ${step})::float8) as bucket, avg(s.value) as v from metric_samples s
          where s.series_id = any(${ids}::bigint[]) and s.ts >= ${iso(rawFrom)}::timestamptz and s.ts <= ${iso(toMs)}::timestamptz group by 1, 2`);
      }
      if (parts.length === 0) return [];
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          with fa as (
            select * from unnest(${sql.param(facilities.map((f) => f.id))}::text[], ${sql.param(facilities.map((f) => f.racksDesigned))}::float8[],
                                 ${sql.param(facilities.map((f) => f.acceleratorsRegistered))}::float8[], ${sql.param(facilities.map((f) => f.visible))}::boolean[]) as x(id, racks, cards, visible)
          ), ser as (
            select * from unnest(${sql.param(series.map((r) => r.id))}::bigint[], ${sql.param(series.map((r) => r.facility_id))}::text[], ${sql.param(series.map((r) => r.metric))}::text[]) as x(id, facility_id, metric)
          ), pts as (${sql.join(parts, sql` union all `)}
          ), fb as (
            select ser.facility_id, pts.bucket,
                   avg(pts.v) filter (where ser.metric = 'rack_utilization') as rack,
                   sum(pts.v) filter (where ser.metric = 'it_power_kw') as power,
                   avg(pts.v) filter (where ser.metric = 'pue') as pue,
                   avg(pts.v) filter (where ser.metric = 'accelerator_utilization') as acc,
                   count(*) filter (where ser.metric = 'accelerator_utilization') as acc_series,
                   sum(pts.v) filter (where ser.metric = 'accelerators_healthy') as healthy,
                   sum(pts.v) filter (where ser.metric = 'accelerators_total') as total,
                   avg(pts.v) filter (where ser.metric = 'availability') as avail
            from pts join ser on ser.id = pts.series_id group by 1, 2
          ), w as (
            select fb.*, fa.racks, fa.visible,
                   case when fb.total > 0 then fb.total when fa.cards > 0 then fa.cards else greatest(1, fb.acc_series) end as aw
            from fb join fa on fa.id = fb.facility_id
          )
          select (extract(epoch from bucket) * 1000)::float8 as t, count(*)::int as facilities,
                 count(rack)::int as rack_n, coalesce(sum(rack), 0) as rack_sum,
                 coalesce(sum(rack * racks) filter (where racks > 0), 0) as rack_wsum, coalesce(sum(racks) filter (where rack is not null and racks > 0), 0) as rack_w,
                 (count(rack) filter (where not visible))::int as rack_hidden,
                 count(power)::int as power_n, coalesce(sum(power), 0) as power_sum, (count(power) filter (where not visible))::int as power_hidden,
                 (count(*) filter (where pue is not null and power > 0))::int as pue_n, coalesce(sum(pue * power) filter (where power > 0), 0) as pue_wsum,
                 coalesce(sum(power) filter (where pue is not null and power > 0), 0) as pue_w, (count(*) filter (where pue is not null and power > 0 and not visible))::int as pue_hidden,
                 count(acc)::int as acc_n, coalesce(sum(acc * aw), 0) as acc_wsum, coalesce(sum(aw) filter (where acc is not null), 0) as acc_w,
                 (count(acc) filter (where not visible))::int as acc_hidden,
                 (count(*) filter (where healthy is not null and total is not null))::int as cards_n,
                 coalesce(sum(healthy) filter (where total is not null), 0) as cards_healthy, coalesce(sum(total) filter (where healthy is not null), 0) as cards_total,
                 (count(*) filter (where healthy is not null and total is not null and not visible))::int as cards_hidden,
                 count(avail)::int as avail_n, coalesce(sum(avail), 0) as avail_sum, (count(avail) filter (where not visible))::int as avail_hidden
          from w group by bucket order by bucket`),
      );
      const n = (value: unknown) => Number(value);
      return rows.map((r) => ({
        ts: n(r.t),
        facilities: n(r.facilities),
        sums: {
          rack: { n: n(r.rack_n), sum: n(r.rack_sum), weightedSum: n(r.rack_wsum), weight: n(r.rack_w) },
          power: { n: n(r.power_n), sum: n(r.power_sum) },
          pue: { n: n(r.pue_n), weightedSum: n(r.pue_wsum), weight: n(r.pue_w) },
          accelerator: { n: n(r.acc_n), weightedSum: n(r.acc_wsum), weight: n(r.acc_w) },
          accelerators: { n: n(r.cards_n), healthy: n(r.cards_healthy), total: n(r.cards_total) },
          availability: { n: n(r.avail_n), sum: n(r.avail_sum) },
        },
        hidden: {
          rackUtilization: n(r.rack_hidden),
          itPowerKw: n(r.power_hidden),
          pue: n(r.pue_hidden),
          acceleratorUtilization: n(r.acc_hidden),
          accelerators: n(r.cards_hidden),
          availability: n(r.avail_hidden),
        },
      }));
    },
  };
}
