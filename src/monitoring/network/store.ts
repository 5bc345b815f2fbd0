import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import type { Measurement, NodeKind, Origin } from './matrix.ts';

/** The metric whose samples with a `peer` label feed the matrix. */
export const PROBE_METRIC = 'probe_rtt_ms';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export interface FacilityRow {
  id: string;
  computeId: string;
  name: string;
  regionCode: string;
  cityCode: string | null;
  lon: number | null;
  lat: number | null;
  racksDesigned: number;
  racksInUse: number;
}

/** One probe series to fold: its facility (the source) and the node its `peer` label resolved to. */
export interface ProbeSeriesToFold {
  seriesId: number;
  source: string;
  target: string;
  targetKind: NodeKind;
}

export function networkStore(db: Db | Tx) {
  return {
    /**
     * Every row. Read as one tab- and newline-separated text: on PGlite that is about ten times
     * faster than as rows (≈ 0.1 s for the demo's 43,000 instead of 1 s). Node ids, kinds and
     * origins never hold a tab or a newline (facility ids are generated, cities are 6 digits).
     */
    measurements: async (): Promise<Measurement[]> => {
      const text = rowsOf<{ t: string | null }>(
        await db.execute(sql`
          select string_agg(concat_ws(chr(9), source, target, source_kind, target_kind, rtt_ms::text, samples::text, origin,
                                      ((extract(epoch from measured_at) * 1000)::bigint)::text), chr(10)) as t
          from network_latency`),
      )[0]?.t;
      if (!text) return [];
      return text.split('\n').map((line) => {
        const [source, target, sourceKind, targetKind, rtt, samples, origin, at] = line.split('\t');
        return { source, target, sourceKind: sourceKind as NodeKind, targetKind: targetKind as NodeKind, rttMs: Number(rtt), samples: Number(samples), origin: origin as Origin, measuredAt: Number(at) };
      });
    },

    /** Changes whenever a row or a facility in operation is added, changed or removed: whether a loaded matrix is still current. */
    fingerprint: async (): Promise<string> => {
      const row = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select (select concat_ws('/', count(*), max(measured_at), sum(samples), sum(round(rtt_ms * 1000)::bigint)) from network_latency) as m,
                 (select concat_ws('/', count(*), max(updated_at)) from facilities where status = 'in_operation') as f`),
      )[0];
      return `${String(row.m)}|${String(row.f)}`;
    },

    /** The facilities in operation: the nodes of the circles. */
    facilitiesInOperation: async (): Promise<FacilityRow[]> =>
      rowsOf<{ id: string; compute_id: string; name: string; region_code: string; city_code: string | null; lon: number | null; lat: number | null; racks_designed: number; racks_in_use: number }>(
        await db.execute(sql`select id, compute_id, name, region_code, city_code, lon, lat, racks_designed, racks_in_use from facilities where status = 'in_operation'`),
      ).map((r) => ({
        id: r.id,
        computeId: r.compute_id,
        name: r.name,
        regionCode: r.region_code,
        cityCode: r.city_code,
        lon: r.lon === null ? null : Number(r.lon),
        lat: r.lat === null ? null : Number(r.lat),
        racksDesigned: Number(r.racks_designed),
        racksInUse: Number(r.racks_in_use),
      })),

    /** The `probe_rtt_ms` series with a `peer` label of the given facilities. */
    probeSeries: async (facilityIds: string[]): Promise<{ seriesId: number; facilityId: string; peer: string }[]> =>
      rowsOf<{ id: number | string; facility_id: string; peer: string }>(
        await db.execute(sql`
          select id, facility_id, labels->>'peer' as peer from metric_series
          where facility_id = any(${sql.param(facilityIds)}::text[]) and metric = ${PROBE_METRIC} and labels ? 'peer'`),
      ).map((r) => ({ seriesId: Number(r.id), facilityId: r.facility_id, peer: r.peer })),

    /** Facility ids by compute ID, for the compute IDs that are in the ledger. */
    facilitiesByComputeId: async (computeIds: string[]): Promise<Map<string, string>> =>
      new Map(
        rowsOf<{ id: string; compute_id: string }>(await db.execute(sql`select id, compute_id from facilities where compute_id = any(${sql.param(computeIds)}::text[])`)).map((r) => [
          r.compute_id,
          r.id,
        ]),
      ),

    /**
     * Folds probe samples in (fromMs, toMs] into the matrix: per (source, target) the median and
     * count of the samples of all its series, stamped with the newest sample's time. A row never
     * moves back to an older measurement, and a probe replaces a demo value. Idempotent: a fold run
     * again over the same window writes the same values. Returns the rows written.
     */
    foldProbeSeries: async (series: ProbeSeriesToFold[], fromMs: number, toMs: number): Promise<number> => {
      if (series.length === 0) return 0;
      const result = await db.execute(sql`
        with m as (
          select * from unnest(${sql.param(series.map((s) => s.seriesId))}::bigint[], ${sql.param(series.map((s) => s.source))}::text[],
                               ${sql.param(series.map((s) => s.target))}::text[], ${sql.param(series.map((s) => s.targetKind))}::text[]) as x(series_id, source, target, kind)
        ), stats as (
          select m.source, m.target, m.kind, percentile_cont(0.5) within group (order by s.value) as rtt, count(*)::int as n, max(s.ts) as at
          from m join metric_samples s on s.series_id = m.series_id
            and s.ts > timestamptz 'epoch' + ${fromMs}::bigint * interval '1 millisecond'
            and s.ts <= timestamptz 'epoch' + ${toMs}::bigint * interval '1 millisecond'
          group by m.source, m.target, m.kind
        )
        insert into network_latency (source, target, source_kind, target_kind, rtt_ms, samples, origin, measured_at)
        select source, target, 'facility', kind, rtt, n, 'probe', at from stats
        on conflict (source, target) do update
          set target_kind = excluded.target_kind, rtt_ms = excluded.rtt_ms, samples = excluded.samples, origin = excluded.origin, measured_at = excluded.measured_at
          where network_latency.origin <> 'probe' or network_latency.measured_at <= excluded.measured_at`);
      return Number((result as { affectedRows?: number }).affectedRows ?? (result as { rowCount?: number }).rowCount ?? 0);
    },

    /** Inserts rows (the demo's), leaving pairs that already have a row as they are. */
    insertMeasurements: async (rows: Measurement[]) => {
      if (rows.length === 0) return;
      await db.execute(sql`
        insert into network_latency (source, target, source_kind, target_kind, rtt_ms, samples, origin, measured_at)
        select x.s, x.t, x.sk, x.tk, x.r, x.n, x.o, timestamptz 'epoch' + x.m * interval '1 millisecond'
        from unnest(${sql.param(rows.map((r) => r.source))}::text[], ${sql.param(rows.map((r) => r.target))}::text[],
                    ${sql.param(rows.map((r) => r.sourceKind))}::text[], ${sql.param(rows.map((r) => r.targetKind))}::text[],
                    ${sql.param(rows.map((r) => r.rttMs))}::float8[], ${sql.param(rows.map((r) => r.samples))}::int[],
                    ${sql.param(rows.map((r) => r.origin))}::text[], ${sql.param(rows.map((r) => r.measuredAt))}::bigint[]) as x(s, t, sk, tk, r, n, o, m)
        on conflict (source, target) do nothing`);
    },
  };
}
