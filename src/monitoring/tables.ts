import { bigint, bigserial, doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Per-facility ingestion tokens: a Prometheus (remote_write) or an agent authenticates with one.
 * Only the SHA-256 of the secret is kept; the secret is shown once, on creation.
 */
export const ingestTokens = pgTable(
  'ingest_tokens',
  {
    id: text('id').primaryKey(),
    facilityId: text('facility_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    name: text('name').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('ingest_tokens_hash_idx').on(t.tokenHash), index('ingest_tokens_facility_idx').on(t.facilityId, t.createdAt)],
);

/**
 * One row per time series (facility + metric + label set). Samples carry only the series id,
 * which keeps the partitioned `metric_samples` table (DDL in drizzle/0002_monitoring.sql) narrow.
 */
export const metricSeries = pgTable(
  'metric_series',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    facilityId: text('facility_id').notNull(),
    metric: text('metric').notNull(),
    /** The labels without `__name__`. */
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    /** SHA-256 of the canonical (sorted) label set, `__name__` included. */
    labelsHash: text('labels_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('metric_series_key_idx').on(t.facilityId, t.labelsHash), index('metric_series_metric_idx').on(t.facilityId, t.metric)],
);

/** The newest sample of every series, upserted on ingest: what the dashboards read. */
export const facilityMetricLatest = pgTable(
  'facility_metric_latest',
  {
    seriesId: bigint('series_id', { mode: 'number' }).primaryKey(),
    facilityId: text('facility_id').notNull(),
    metric: text('metric').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [index('facility_metric_latest_facility_idx').on(t.facilityId, t.metric)],
);

/** One rollup table per resolution: min, max, sum, count and the last value of each series per bucket. */
function rollupTable(name: string) {
  return pgTable(
    name,
    {
      seriesId: bigint('series_id', { mode: 'number' }).notNull(),
      bucket: timestamp('bucket', { withTimezone: true }).notNull(),
      min: doublePrecision('min').notNull(),
      max: doublePrecision('max').notNull(),
      sum: doublePrecision('sum').notNull(),
      count: bigint('count', { mode: 'number' }).notNull(),
      last: doublePrecision('last').notNull(),
    },
    // By bucket: the next level's fold and the retention job read and delete time ranges across all series.
    (t) => [primaryKey({ columns: [t.seriesId, t.bucket] }), index(`${name}_bucket_idx`).on(t.bucket)],
  );
}

export const metricRollups5m = rollupTable('metric_rollups_5m');
export const metricRollups1h = rollupTable('metric_rollups_1h');
export const metricRollups1d = rollupTable('metric_rollups_1d');

/** How far each resolution has been folded: every bucket that starts before `doneUntil` is final. */
export const metricRollupState = pgTable('metric_rollup_state', {
  resolution: text('resolution').primaryKey(),
  doneUntil: timestamp('done_until', { withTimezone: true }).notNull(),
});
