import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { LIMITS } from './rules.ts';
import { monitoringStore, ROLLUP_LEVELS } from './store.ts';

const DAY_MS = 86_400_000;

export type Resolution = 'raw' | '5m' | '1h' | '1d';

/** How long each resolution is kept, in milliseconds; Infinity keeps it forever (a setting of 0 days). */
export function retentionMs(config: Pick<Config, 'retentionRawDays' | 'retention5mDays' | 'retention1hDays' | 'retention1dDays'>): Record<Resolution, number> {
  const ms = (days: number) => (days === 0 ? Number.POSITIVE_INFINITY : days * DAY_MS);
  return { raw: ms(config.retentionRawDays), '5m': ms(config.retention5mDays), '1h': ms(config.retention1hDays), '1d': ms(config.retention1dDays) };
}

const PARTITION = /^metric_samples_(\d{4})(\d{2})(\d{2})$/;

/** The UTC day a `metric_samples_YYYYMMDD` partition holds (its start in ms), or null for another name. */
export function partitionDay(name: string): number | null {
  const match = PARTITION.exec(name);
  if (!match) return null;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(day) ? day : null;
}

/**
 * The day partitions to drop: those whose whole day lies before both the raw retention cutoff and
 * the 5 min watermark (every sample in them is folded). Sorted oldest first.
 */
export function expiredPartitions(names: string[], nowMs: number, keepMs: number, foldedUntilMs: number): string[] {
  const limit = Math.min(nowMs - keepMs, foldedUntilMs);
  return names
    .map((name) => ({ name, day: partitionDay(name) }))
    .filter((p): p is { name: string; day: number } => p.day !== null && p.day + DAY_MS <= limit)
    .sort((a, b) => a.day - b.day)
    .map((p) => p.name);
}

/** Before this instant a level's buckets may be deleted: older than its retention and folded into the next level. */
export function rollupDeleteLimit(nowMs: number, keepMs: number, nextFoldedUntilMs: number): number {
  return Math.min(nowMs - keepMs, nextFoldedUntilMs);
}

export interface RetentionResult {
  /** Day partitions of raw samples dropped. */
  droppedPartitions: string[];
  /** Rows deleted per table (the default partition of metric_samples and each rollup level). */
  deleted: Record<string, number>;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const affected = (result: unknown): number => Number((result as { rowCount?: number | null }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** Lock of the day partitions' catalogue: the same as store.ensureDayPartition's. */
const PARTITION_LOCK = 4242002;

/** The partitions of metric_samples (day partitions and the default one). */
export async function samplePartitions(db: Db): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'metric_samples'::regclass`),
  );
  return rows.map((r) => r.name);
}

/** The start of the oldest day that has a partition of raw samples, or null when there is none. */
export async function oldestSampleDay(db: Db): Promise<number | null> {
  const days = (await samplePartitions(db)).map(partitionDay).filter((d): d is number => d !== null);
  return days.length ? Math.min(...days) : null;
}

/** Deletes rows before `limitMs` one day at a time (short transactions, even when a long backlog expires at once). */
async function deleteBefore(db: Db, table: string, column: string, limitMs: number): Promise<number> {
  const oldest = rowsOf<{ t: number | string | null }>(await db.execute(sql.raw(`select (extract(epoch from min(${column})) * 1000)::float8 as t from ${table}`)))[0]?.t;
  if (oldest === null || oldest === undefined) return 0;
  let deleted = 0;
  for (let until = Math.floor(Number(oldest) / DAY_MS) * DAY_MS + DAY_MS; ; until += DAY_MS) {
    const bound = Math.min(until, limitMs);
    deleted += affected(await db.execute(sql`delete from ${sql.raw(table)} where ${sql.raw(column)} < ${iso(bound)}::timestamptz`));
    if (bound >= limitMs) return deleted;
  }
}

/**
 * Applies the retention of every resolution (config SUANLI_RETENTION_*_DAYS): drops whole day
 * partitions of raw samples, deletes old rows of the rollup tables. Nothing that is not folded into
 * the next coarser level is deleted: raw days only below the 5 min watermark, 5 min buckets only
 * below the 1 h one, 1 h buckets only below the 1 d one. Idempotent; run after the rollups.
 */
export async function runRetention(deps: Deps): Promise<RetentionResult> {
  const keep = retentionMs(deps.config);
  const now = deps.clock.now().getTime();
  const folded = await monitoringStore(deps.db).rollupState();
  const foldedUntil = (resolution: string) => folded.get(resolution) ?? Number.NEGATIVE_INFINITY;
  const result: RetentionResult = { droppedPartitions: [], deleted: {} };

  if (Number.isFinite(keep.raw)) {
    const limit = Math.min(now - keep.raw, foldedUntil('5m'));
    for (const name of expiredPartitions(await samplePartitions(deps.db), now, keep.raw, foldedUntil('5m'))) {
      try {
        await deps.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
          // Dropping a partition locks metric_samples briefly; never queue writers behind a long reader.
          await tx.execute(sql`set local lock_timeout = '5s'`);
          await tx.execute(sql.raw(`drop table if exists ${name}`));
        });
        result.droppedPartitions.push(name);
      } catch (error) {
        deps.log.warn({ err: error, partition: name }, 'could not drop an expired partition now; the next run retries');
        break;
      }
    }
    // The default partition is a safety net: rows that landed there expire like the others.
    if (Number.isFinite(limit)) result.deleted.metric_samples_default = await deleteBefore(deps.db, 'metric_samples_default', 'ts', limit);
  }

  for (const [i, level] of ROLLUP_LEVELS.entries()) {
    const keepMs = keep[level.resolution];
    if (!Number.isFinite(keepMs)) continue;
    const next = ROLLUP_LEVELS[i + 1];
    const limit = rollupDeleteLimit(now, keepMs, next ? foldedUntil(next.resolution) : Number.POSITIVE_INFINITY);
    if (Number.isFinite(limit)) result.deleted[level.table] = await deleteBefore(deps.db, level.table, 'bucket', limit);
  }
  return result;
}

/**
 * The finest resolution that can answer a range starting `ageMs` ago: one whose retention reaches
 * back that far. Used by the series API so that old ranges are read from the coarser rollups.
 */
export function keptResolutions(config: Pick<Config, 'retentionRawDays' | 'retention5mDays' | 'retention1hDays' | 'retention1dDays'>, ageMs: number): Set<Resolution> {
  const keep = retentionMs(config);
  return new Set((Object.keys(keep) as Resolution[]).filter((r) => ageMs <= keep[r]));
}

/** How old an incoming sample may be: 31 days (rules.ts LIMITS.pastMs), or the raw retention when shorter — older samples would be dropped at once. */
export function acceptedAgeMs(config: Pick<Config, 'retentionRawDays' | 'retention5mDays' | 'retention1hDays' | 'retention1dDays'>): number {
  return Math.min(LIMITS.pastMs, retentionMs(config).raw);
}
