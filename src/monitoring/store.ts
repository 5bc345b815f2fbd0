import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { facilityMetricLatest, ingestTokens, metricRollupState, metricSeries } from './tables.ts';

export type IngestTokenRow = typeof ingestTokens.$inferSelect;

/** `metric_samples_YYYYMMDD` for the UTC day starting at `dayMs`. */
export const partitionName = (dayMs: number) => `metric_samples_${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;

/** The rollup levels: each is folded from the one before (5 min from raw samples). */
export const ROLLUP_LEVELS = [
  { resolution: '5m', stepSeconds: 300, table: 'metric_rollups_5m', source: 'metric_samples' },
  { resolution: '1h', stepSeconds: 3600, table: 'metric_rollups_1h', source: 'metric_rollups_5m' },
  { resolution: '1d', stepSeconds: 86_400, table: 'metric_rollups_1d', source: 'metric_rollups_1h' },
] as const;
export type RollupLevel = (typeof ROLLUP_LEVELS)[number];

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
/** Rows written by the main statement: `rowCount` from node-postgres, `affectedRows` from PGlite. */
const affectedRows = (result: unknown): number => Number((result as { rowCount?: number | null }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0);

/**
 * Array parameters of the ingest statement as PostgreSQL array literals, built with one join:
 * the drivers' generic array serialisation (escaping each element) costs more than the rest of a
 * request. Finite numbers only (the rules drop NaN and ±Inf); JavaScript's shortest round-trip
 * form is read back exactly by float8 input.
 */
const numberArray = (values: number[]) => sql.param(`{${values.join(',')}}`);
/** Metric names ([a-zA-Z_:][a-zA-Z0-9_:]*: nothing to escape), quoted so that one called NULL stays a name. */
const nameArray = (names: string[]) => sql.param(names.length ? `{"${names.join('","')}"}` : '{}');

export function monitoringStore(db: Db | Tx) {
  return {
    insertIngestToken: async (row: typeof ingestTokens.$inferInsert) => {
      await db.insert(ingestTokens).values(row);
    },
    listIngestTokens: async (facilityId: string): Promise<IngestTokenRow[]> =>
      db.select().from(ingestTokens).where(eq(ingestTokens.facilityId, facilityId)).orderBy(desc(ingestTokens.createdAt), desc(ingestTokens.id)),
    findIngestToken: async (facilityId: string, id: string): Promise<IngestTokenRow | undefined> =>
      (await db.select().from(ingestTokens).where(and(eq(ingestTokens.facilityId, facilityId), eq(ingestTokens.id, id))))[0],
    findIngestTokenByHash: async (tokenHash: string): Promise<IngestTokenRow | undefined> =>
      (await db.select().from(ingestTokens).where(eq(ingestTokens.tokenHash, tokenHash)))[0],
    revokeIngestToken: async (id: string, at: Date) => {
      await db.update(ingestTokens).set({ revokedAt: at }).where(eq(ingestTokens.id, id));
    },
    touchIngestToken: async (id: string, at: Date) => {
      await db.update(ingestTokens).set({ lastUsedAt: at }).where(eq(ingestTokens.id, id));
    },

    /**
     * Creates the day partition if it is missing. Serialised by an advisory lock so that two
     * writers racing for the same new day do not collide on the catalogue.
     */
    ensureDayPartition: async (dayMs: number) => {
      const name = partitionName(dayMs);
      const from = new Date(dayMs).toISOString();
      const to = new Date(dayMs + 86_400_000).toISOString();
      await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(4242002)`);
        await tx.execute(sql.raw(`create table if not exists ${name} partition of metric_samples for values from ('${from}') to ('${to}')`));
      });
    },

    /** Inserts the series that are new (idempotent) and returns the ids of all of them by labels hash. */
    resolveSeries: async (facilityId: string, series: { metric: string; labels: Record<string, string>; hash: string }[]): Promise<Map<string, number>> => {
      const hashes = series.map((s) => s.hash);
      await db.execute(sql`
        insert into metric_series (facility_id, metric, labels, labels_hash)
        select ${facilityId}, x.m, x.l, x.h
        from unnest(${sql.param(series.map((s) => s.metric))}::text[], ${sql.param(series.map((s) => JSON.stringify(s.labels)))}::jsonb[], ${sql.param(hashes)}::text[]) as x(m, l, h)
        order by x.h
        on conflict (facility_id, labels_hash) do nothing`);
      const rows = rowsOf<{ id: number | string; labels_hash: string }>(
        await db.execute(sql`select id, labels_hash from metric_series where facility_id = ${facilityId} and labels_hash = any(${sql.param(hashes)}::text[])`),
      );
      return new Map(rows.map((r) => [r.labels_hash, Number(r.id)]));
    },

    /**
     * Inserts samples, skipping those already stored (a retried request), and moves the latest value
     * of each series forward — one statement, so one round trip and one atomic commit. `latest` holds
     * one row per series, sorted by series id (a stable lock order between concurrent writers).
     * Returns how many samples were new.
     */
    writeSamples: async (
      facilityId: string,
      samples: { seriesIds: number[]; timestamps: number[]; values: number[] },
      latest: { seriesIds: number[]; metrics: string[]; timestamps: number[]; values: number[] },
    ): Promise<number> => {
      const samplesSql = sql`
            insert into metric_samples (series_id, ts, value)
            select x.s, timestamptz 'epoch' + x.t * interval '1 millisecond', x.v
            from unnest(${numberArray(samples.seriesIds)}::bigint[], ${numberArray(samples.timestamps)}::bigint[], ${numberArray(samples.values)}::float8[]) as x(s, t, v)
            on conflict (series_id, ts) do nothing`;
      // The samples are the main statement, so its row count is the number of new samples (no RETURNING to count).
      const result = latest.seriesIds.length
        ? await db.execute(sql`
            with latest as (
              insert into facility_metric_latest (series_id, facility_id, metric, ts, value)
              select x.s, ${facilityId}, x.m, timestamptz 'epoch' + x.t * interval '1 millisecond', x.v
              from unnest(${numberArray(latest.seriesIds)}::bigint[], ${nameArray(latest.metrics)}::text[], ${numberArray(latest.timestamps)}::bigint[], ${numberArray(latest.values)}::float8[]) as x(s, m, t, v)
              on conflict (series_id) do update set ts = excluded.ts, value = excluded.value
              where facility_metric_latest.ts <= excluded.ts
            )
            ${samplesSql}`)
        : await db.execute(samplesSql);
      return affectedRows(result);
    },

    listSeries: async (facilityId: string, metric: string, limit: number) =>
      db
        .select({ id: metricSeries.id, labels: metricSeries.labels })
        .from(metricSeries)
        .where(and(eq(metricSeries.facilityId, facilityId), eq(metricSeries.metric, metric)))
        .orderBy(asc(metricSeries.id))
        .limit(limit),

    /** Raw samples (stepSeconds null) or per-bucket averages of the given series in [from, to]. */
    points: async (seriesIds: number[], fromMs: number, toMs: number, stepSeconds: number | null, limit: number) => {
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const ids = sql.param(seriesIds);
      const query = stepSeconds
        ? sql`select series_id, (floor(extract(epoch from ts) / ${stepSeconds}) * ${stepSeconds} * 1000)::float8 as t, avg(value) as v
              from metric_samples where series_id = any(${ids}::bigint[]) and ts >= ${from}::timestamptz and ts <= ${to}::timestamptz
              group by 1, 2 order by 1, 2 limit ${limit}`
        : sql`select series_id, (extract(epoch from ts) * 1000)::float8 as t, value as v
              from metric_samples where series_id = any(${ids}::bigint[]) and ts >= ${from}::timestamptz and ts <= ${to}::timestamptz
              order by series_id, ts limit ${limit}`;
      return rowsOf<{ series_id: number | string; t: number; v: number }>(await db.execute(query)).map((r) => ({ seriesId: Number(r.series_id), ts: Number(r.t), value: Number(r.v) }));
    },

    hasSeries: async (): Promise<boolean> => (await db.select({ id: metricSeries.id }).from(metricSeries).limit(1)).length > 0,

    rollupState: async (): Promise<Map<string, number>> =>
      new Map((await db.select().from(metricRollupState)).map((r) => [r.resolution, r.doneUntil.getTime()])),

    /**
     * Folds the buckets in [fromMs, toMs) of one level from its source (raw samples or the finer
     * level) and moves the level's watermark to toMs, in one transaction. Idempotent: a bucket
     * folded again is replaced.
     */
    foldRollup: async (level: RollupLevel, fromMs: number, toMs: number) => {
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const step = level.stepSeconds;
      const target = sql.raw(level.table);
      const source = sql.raw(level.source);
      const select =
        level.source === 'metric_samples'
          ? sql`select series_id, to_timestamp((floor(extract(epoch from ts) / ${step}) * ${step})::float8) as bucket,
                       min(value), max(value), sum(value), count(*), (array_agg(value order by ts desc))[1]
                from metric_samples where ts >= ${from}::timestamptz and ts < ${to}::timestamptz group by 1, 2`
          : sql`select series_id, to_timestamp((floor(extract(epoch from bucket) / ${step}) * ${step})::float8) as bucket,
                       min(min), max(max), sum(sum), sum(count), (array_agg(last order by bucket desc))[1]
                from ${source} where bucket >= ${from}::timestamptz and bucket < ${to}::timestamptz group by 1, 2`;
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          insert into ${target} (series_id, bucket, min, max, sum, count, last) ${select}
          on conflict (series_id, bucket) do update set min = excluded.min, max = excluded.max, sum = excluded.sum, count = excluded.count, last = excluded.last`);
        await tx
          .insert(metricRollupState)
          .values({ resolution: level.resolution, doneUntil: new Date(toMs) })
          .onConflictDoUpdate({ target: metricRollupState.resolution, set: { doneUntil: new Date(toMs) } });
      });
    },

    /** Per-bucket averages (sum / count) of a rollup level in [fromMs, toMs); with a wider `stepSeconds`, its buckets merged per step. */
    rollupPoints: async (level: RollupLevel, seriesIds: number[], fromMs: number, toMs: number, limit: number, stepSeconds: number = level.stepSeconds) => {
      const range = sql`series_id = any(${sql.param(seriesIds)}::bigint[]) and bucket >= ${new Date(fromMs).toISOString()}::timestamptz and bucket < ${new Date(toMs).toISOString()}::timestamptz`;
      const rows = rowsOf<{ series_id: number | string; t: number; v: number }>(
        await db.execute(
          stepSeconds <= level.stepSeconds
            ? sql`select series_id, (extract(epoch from bucket) * 1000)::float8 as t, sum / count as v from ${sql.raw(level.table)}
                  where ${range} order by series_id, bucket limit ${limit}`
            : sql`select series_id, (floor(extract(epoch from bucket) / ${stepSeconds}) * ${stepSeconds} * 1000)::float8 as t, sum(sum) / sum(count) as v from ${sql.raw(level.table)}
                  where ${range} group by 1, 2 order by 1, 2 limit ${limit}`,
        ),
      );
      return rows.map((r) => ({ seriesId: Number(r.series_id), ts: Number(r.t), value: Number(r.v) }));
    },

    latest: async (facilityId: string, metric: string | undefined, limit: number) =>
      db
        .select({ metric: facilityMetricLatest.metric, labels: metricSeries.labels, ts: facilityMetricLatest.ts, value: facilityMetricLatest.value })
        .from(facilityMetricLatest)
        .innerJoin(metricSeries, eq(metricSeries.id, facilityMetricLatest.seriesId))
        .where(and(eq(facilityMetricLatest.facilityId, facilityId), metric ? eq(facilityMetricLatest.metric, metric) : undefined))
        .orderBy(asc(facilityMetricLatest.metric), asc(facilityMetricLatest.seriesId))
        .limit(limit),
  };
}

export type MonitoringStore = ReturnType<typeof monitoringStore>;
