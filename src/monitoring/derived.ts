import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { sha256Hex } from '../ids.ts';
import { VIRTUAL_INTERFACE } from './agent/proc.ts';
import { canonicalKey } from './rules.ts';
import { monitoringStore } from './store.ts';
import { RATE_MAPPINGS } from './vocabulary.ts';

/**
 * Vocabulary series derived from exporter counters (vocabulary.ts RATE_MAPPINGS): cpu_utilization
 * from node_cpu_seconds_total, egress_gbps from node_network_transmit_bytes_total. Run by the
 * rollup job on each span of raw samples just before that span is folded into 5 min buckets, so the
 * derived samples are in metric_samples (raw queries, the latest API) and in every rollup level.
 *
 * One derived sample per scrape: at each timestamp of a counter sample, the increase since the
 * series' previous sample (a decrease is a counter reset: the increase is then the new value, as in
 * Prometheus), summed over the labels named in `sumOver` (CPUs and modes, devices), which the
 * derived series does not have.
 */

const DAY_MS = 86_400_000;
/** A counter's previous sample older than this gives no rate (Prometheus looks back 5 min by default; allow slow scrapes). */
export const MAX_RATE_GAP_MS = 10 * 60_000;
const CHUNK = 50_000;

/** Busy share from the CPU seconds elapsed over all modes and those idle (idle + iowait): within [0, 1], null without elapsed time. */
export function cpuUtilization(totalSeconds: number, idleSeconds: number): number | null {
  if (!(totalSeconds > 0)) return null;
  return Math.min(1, Math.max(0, 1 - idleSeconds / totalSeconds));
}

/** Gbps from bytes per second summed over devices. */
export function egressGbps(bytesPerSecond: number): number {
  return (bytesPerSecond * 8) / 1e9;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

interface DerivedRow {
  facility_id: string;
  key: Record<string, string>;
  t: number | string;
  a: number | string;
  b: number | string | null;
}

/**
 * The increases of one counter per (facility, series without `sumOver`, timestamp) in [fromMs, toMs):
 * `a` = Σ increase, `b` = Σ increase of the rows matching `bFilter` (CPU), or `a` = Σ increase / Δt (egress).
 */
function increasesSql(counter: string, sumOver: readonly string[], fromMs: number, toMs: number, options: { perSecond: boolean; bFilter?: SQL; where?: SQL }): SQL {
  const from = new Date(fromMs).toISOString();
  const lookback = new Date(fromMs - MAX_RATE_GAP_MS).toISOString();
  const to = new Date(toMs).toISOString();
  let key = sql`s.labels`;
  for (const name of sumOver) key = sql`${key} - ${name}::text`;
  const increase = sql`(case when value >= prev_value then value - prev_value else value end)`;
  const a = options.perSecond ? sql`sum(${increase} / extract(epoch from ts - prev_ts))` : sql`sum(${increase})`;
  const b = options.bFilter ? sql`coalesce(sum(${increase}) filter (where b), 0)` : sql`null::float8`;
  return sql`
    with counters as (
      select s.facility_id, ${key} as key, ${options.bFilter ?? sql`false`} as b, x.ts, x.value,
             lag(x.value) over w as prev_value, lag(x.ts) over w as prev_ts
      from metric_series s join metric_samples x on x.series_id = s.id
      where s.metric = ${counter} ${options.where ? sql`and ${options.where}` : sql``}
        and x.ts >= ${lookback}::timestamptz and x.ts < ${to}::timestamptz
      window w as (partition by x.series_id order by x.ts)
    )
    select facility_id, key, (extract(epoch from ts) * 1000)::float8 as t, ${a} as a, ${b} as b
    from counters
    where prev_ts is not null and ts >= ${from}::timestamptz and ts > prev_ts and ts - prev_ts <= ${`${MAX_RATE_GAP_MS} milliseconds`}::interval
    group by 1, 2, 3`;
}

export interface DerivedResult {
  /** Derived samples computed (a span derived again stores none twice). */
  samples: number;
  inserted: number;
}

/** Derives the vocabulary samples of the counter samples in [fromMs, toMs) and stores them like ingested ones. */
export async function deriveCounterRates(deps: Deps, fromMs: number, toMs: number): Promise<DerivedResult> {
  const cpu = RATE_MAPPINGS.node_cpu_seconds_total;
  const net = RATE_MAPPINGS.node_network_transmit_bytes_total;
  const derived: { facilityId: string; metric: string; labels: Record<string, string>; ts: number; value: number }[] = [];
  const cpuRows = rowsOf<DerivedRow>(
    await deps.db.execute(increasesSql('node_cpu_seconds_total', cpu.sumOver, fromMs, toMs, { perSecond: false, bFilter: sql`(s.labels->>'mode') in ('idle', 'iowait')` })),
  );
  for (const row of cpuRows) {
    const value = cpuUtilization(Number(row.a), Number(row.b));
    if (value !== null) derived.push({ facilityId: row.facility_id, metric: cpu.metric, labels: row.key, ts: Number(row.t), value });
  }
  const netRows = rowsOf<DerivedRow>(
    await deps.db.execute(
      increasesSql('node_network_transmit_bytes_total', net.sumOver, fromMs, toMs, { perSecond: true, where: sql`coalesce(s.labels->>'device', '') !~ ${VIRTUAL_INTERFACE.source}` }),
    ),
  );
  for (const row of netRows) {
    const value = egressGbps(Number(row.a));
    if (Number.isFinite(value)) derived.push({ facilityId: row.facility_id, metric: net.metric, labels: row.key, ts: Number(row.t), value });
  }
  if (derived.length === 0) return { samples: 0, inserted: 0 };
  return { samples: derived.length, inserted: await store(deps, derived) };
}

/** Stores derived samples per facility: series resolved idempotently, samples skipped when already stored, latest values moved forward. */
async function store(deps: Deps, derived: { facilityId: string; metric: string; labels: Record<string, string>; ts: number; value: number }[]): Promise<number> {
  const monitoring = monitoringStore(deps.db);
  for (const day of new Set(derived.map((d) => Math.floor(d.ts / DAY_MS) * DAY_MS))) await monitoring.ensureDayPartition(day);
  const byFacility = new Map<string, typeof derived>();
  for (const d of derived) {
    const list = byFacility.get(d.facilityId);
    if (list) list.push(d);
    else byFacility.set(d.facilityId, [d]);
  }
  let inserted = 0;
  for (const [facilityId, rows] of byFacility) {
    const series = new Map<string, { metric: string; labels: Record<string, string>; hash: string }>();
    const hashOf = rows.map((r) => {
      const hash = sha256Hex(canonicalKey(r.metric, r.labels));
      if (!series.has(hash)) series.set(hash, { metric: r.metric, labels: r.labels, hash });
      return hash;
    });
    const ids = await monitoring.resolveSeries(facilityId, [...series.values()]);
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const samples = { seriesIds: [] as number[], timestamps: [] as number[], values: [] as number[] };
      const newest = new Map<number, { metric: string; ts: number; value: number }>();
      for (let i = offset; i < Math.min(rows.length, offset + CHUNK); i++) {
        const id = ids.get(hashOf[i]);
        if (id === undefined) throw new Error(`derived series ${rows[i].metric} was not stored`);
        samples.seriesIds.push(id);
        samples.timestamps.push(rows[i].ts);
        samples.values.push(rows[i].value);
        const seen = newest.get(id);
        if (!seen || rows[i].ts >= seen.ts) newest.set(id, { metric: rows[i].metric, ts: rows[i].ts, value: rows[i].value });
      }
      const sorted = [...newest.keys()].sort((a, b) => a - b);
      const latest = { seriesIds: sorted, metrics: sorted.map((id) => newest.get(id)!.metric), timestamps: sorted.map((id) => newest.get(id)!.ts), values: sorted.map((id) => newest.get(id)!.value) };
      inserted += await monitoring.writeSamples(facilityId, samples, latest);
    }
  }
  return inserted;
}
