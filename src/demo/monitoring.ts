/**
 * Demo telemetry (docs/monitoring.md §8): 90 days of seeded history for a subset of the demo
 * facilities in operation, written straight into the rollup tables (1 d for 90 days, 1 h for the last
 * 8 days, 5 min for the last day — what the 90 d, 7 d and 24 h views read), the last hours as raw samples through the normal write path (so the
 * latest-state table is filled as for any agent), and a live trickle of one sample per series a
 * minute afterwards. Values come from the pure model in monitoring-model.ts.
 *
 * Which facilities: every facility in operation of 大同 (1402xx) and of the demo supplier, plus a
 * seeded sample of DEFAULT_PER_PROVINCE per province — 87 of the ~1,900 in operation (≈ 370 series), which
 * keeps the demo's first start well under a minute on PGlite (all of them would write ~25 M rows).
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { identityStore } from '../identity/store.ts';
import { ingest } from '../monitoring/service.ts';
import type { IncomingSeries } from '../monitoring/rules.ts';
import { type DemoMetric, facilityModel, type FacilityModel, rollupRows, type RollupRow, valueAt } from './monitoring-model.ts';
import { demoOrganizations } from './organizations.ts';
import { createRandom } from './random.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;

export const DEFAULT_DEMO_SEED = 20251;
/** Facilities sampled per province besides 大同 and the demo supplier. */
export const DEFAULT_PER_PROVINCE = 1;
/** Days of rollup history. */
export const HISTORY_DAYS = 90;
/** The last hours before now are raw samples (one a minute) written through the normal write path. */
export const RAW_HOURS = 2;
/** Hourly rollups are written for the last 8 days (what a 7-day view reads), daily ones for all 90. */
export const HOURLY_DAYS = 8;
/** 5 min rollups are written for the last day before the raw window (what the 24 h view reads). */
export const FIVE_MINUTE_DAYS = 1;
/** Rows per multi-row insert. */
const INSERT_CHUNK = 20_000;

const DATONG_CITY_PREFIX = '1402';

export interface DemoTelemetryTarget {
  facilityId: string;
  model: FacilityModel;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * The demo facilities that report telemetry, with their models anchored at `anchorMs`. Deterministic
 * for a seed and a ledger: the same facilities on every start.
 */
export async function demoTelemetryTargets(deps: Deps, options: { seed?: number; perProvince?: number; anchorMs: number }): Promise<DemoTelemetryTarget[]> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const perProvince = options.perProvince ?? DEFAULT_PER_PROVINCE;
  const supplierName = demoOrganizations().find((o) => o.key === 'datong-supplier')?.name;
  const supplier = supplierName ? await identityStore(deps.db).findOrganizationByName(supplierName) : undefined;
  const rows = rowsOf<{
    id: string;
    name: string;
    region_code: string;
    kind: string;
    owner_org_id: string;
    racks_designed: number;
    racks_in_use: number;
    pue_measured: number | null;
    pue_design: number | null;
    cards: number | string | null;
  }>(
    await deps.db.execute(sql`
      select id, name, region_code, kind, owner_org_id, racks_designed, racks_in_use, pue_measured, pue_design,
             (select coalesce(sum((a->>'count')::float8), 0) from jsonb_array_elements(accelerators) a) as cards
      from facilities where status = 'in_operation' and racks_designed > 0 order by name`),
  );
  const chosen = new Set<string>();
  const byProvince = new Map<string, typeof rows>();
  for (const row of rows) {
    if (row.region_code.startsWith(DATONG_CITY_PREFIX) || (supplier && row.owner_org_id === supplier.id)) chosen.add(row.id);
    else byProvince.set(row.region_code.slice(0, 2), [...(byProvince.get(row.region_code.slice(0, 2)) ?? []), row]);
  }
  const random = createRandom(seed).fork('monitoring:sample');
  for (const province of [...byProvince.keys()].sort()) {
    for (const row of random.shuffle(byProvince.get(province)!).slice(0, perProvince)) chosen.add(row.id);
  }
  return rows
    .filter((row) => chosen.has(row.id))
    .map((row) => ({
      facilityId: row.id,
      model: facilityModel(
        seed,
        {
          key: row.name,
          kind: row.kind,
          racksDesigned: Number(row.racks_designed),
          racksInUse: Number(row.racks_in_use),
          pueMeasured: row.pue_measured === null ? null : Number(row.pue_measured),
          pueDesign: row.pue_design === null ? null : Number(row.pue_design),
          accelerators: Number(row.cards ?? 0),
        },
        options.anchorMs,
      ),
    }));
}

/** The samples of every demo metric of one facility at the given minutes, in the write path's input shape. */
function samplesAt(model: FacilityModel, minutes: number[]): IncomingSeries[] {
  return model.metrics.map((metric) => ({
    labels: [{ name: '__name__', value: metric }],
    samples: minutes.map((timestamp) => ({ timestamp, value: valueAt(model, metric, timestamp) })),
  }));
}

async function insertRollups(deps: Deps, table: 'metric_rollups_5m' | 'metric_rollups_1h' | 'metric_rollups_1d', seriesIds: number[], rows: RollupRow[]) {
  if (rows.length === 0) return;
  await deps.db.execute(sql`
    insert into ${sql.raw(table)} (series_id, bucket, min, max, sum, count, last)
    select x.s, timestamptz 'epoch' + x.b * interval '1 millisecond', x.mn, x.mx, x.sm, x.c, x.l
    from unnest(${sql.param(seriesIds)}::bigint[], ${sql.param(rows.map((r) => r.bucket))}::bigint[], ${sql.param(rows.map((r) => r.min))}::float8[],
                ${sql.param(rows.map((r) => r.max))}::float8[], ${sql.param(rows.map((r) => r.sum))}::float8[], ${sql.param(rows.map((r) => r.count))}::bigint[],
                ${sql.param(rows.map((r) => r.last))}::float8[]) as x(s, b, mn, mx, sm, c, l)
    on conflict (series_id, bucket) do nothing`);
}

/** Buffers rows of one rollup table and writes them in multi-row inserts of INSERT_CHUNK. */
function rollupWriter(deps: Deps, table: 'metric_rollups_5m' | 'metric_rollups_1h' | 'metric_rollups_1d') {
  let ids: number[] = [];
  let rows: RollupRow[] = [];
  let written = 0;
  const flush = async () => {
    const [i, r] = [ids, rows];
    ids = [];
    rows = [];
    await insertRollups(deps, table, i, r);
    written += r.length;
  };
  return {
    add: async (seriesId: number, more: RollupRow[]) => {
      for (const row of more) {
        ids.push(seriesId);
        rows.push(row);
      }
      if (rows.length >= INSERT_CHUNK) await flush();
    },
    flush,
    written: () => written,
  };
}

export interface DemoMonitoringResult {
  facilities: number;
  series: number;
  rawSamples: number;
  rollupRows: { '5m': number; '1h': number; '1d': number };
  targets: DemoTelemetryTarget[];
}

/**
 * Writes the demo's telemetry history for the chosen facilities, as of the platform clock. Meant for
 * a freshly loaded demo (loadDemo calls it once); running it again skips the rows already stored.
 */
export async function loadDemoMonitoring(deps: Deps, options: { seed?: number; perProvince?: number } = {}): Promise<DemoMonitoringResult> {
  const now = deps.clock.now().getTime();
  const targets = await demoTelemetryTargets(deps, { ...options, anchorMs: now });
  // Raw from rawStart (hour-aligned) to now; rollups before it. The rollup job carries on from rawStart.
  const rawStart = Math.floor(now / HOUR_MS) * HOUR_MS - RAW_HOURS * HOUR_MS;
  const historyStart = Math.floor(rawStart / DAY_MS) * DAY_MS - HISTORY_DAYS * DAY_MS;
  const hourlyStart = rawStart - HOURLY_DAYS * DAY_MS;
  const fiveMinuteStart = rawStart - FIVE_MINUTE_DAYS * DAY_MS;
  const minutes: number[] = [];
  for (let t = rawStart; t <= now; t += MINUTE_MS) minutes.push(t);

  // 1. The last hours through the write path: creates the series (as any agent would), the day
  //    partitions and the latest state.
  const started = Date.now();
  let rawSamples = 0;
  for (const target of targets) rawSamples += (await ingest(deps, target.facilityId, samplesAt(target.model, minutes))).inserted;

  const rawDone = Date.now();
  // 2. The series ids the write path created.
  const ids = targets.map((t) => t.facilityId);
  const seriesRows = rowsOf<{ id: number | string; facility_id: string; metric: string }>(
    await deps.db.execute(sql`select id, facility_id, metric from metric_series where facility_id = any(${sql.param(ids)}::text[]) and labels = '{}'::jsonb`),
  );
  const seriesId = new Map(seriesRows.map((r) => [`${r.facility_id}\u0001${r.metric}`, Number(r.id)]));

  // 3. The rollups before rawStart, in multi-row inserts.
  const writers = { '5m': rollupWriter(deps, 'metric_rollups_5m'), '1h': rollupWriter(deps, 'metric_rollups_1h'), '1d': rollupWriter(deps, 'metric_rollups_1d') };
  for (const target of targets) {
    for (const metric of target.model.metrics as DemoMetric[]) {
      const id = seriesId.get(`${target.facilityId}\u0001${metric}`);
      if (id === undefined) throw new Error(`demo series ${metric} of ${target.facilityId} was not created`);
      const rows = rollupRows(target.model, metric, historyStart, rawStart, hourlyStart, fiveMinuteStart);
      await writers['5m'].add(id, rows.fiveMinutes);
      await writers['1h'].add(id, rows.hours);
      await writers['1d'].add(id, rows.days);
    }
  }
  for (const writer of Object.values(writers)) await writer.flush();
  deps.log.info({ facilities: targets.length, rawMs: rawDone - started, rollupMs: Date.now() - rawDone }, 'demo telemetry history written');

  // 4. The watermarks: the rollup job starts at rawStart (5 min, 1 h) and at its day (1 d, folded from
  //    the written hours plus the ones it folds itself), and never recomputes the written range.
  const marks: [string, number][] = [
    ['5m', rawStart],
    ['1h', rawStart],
    ['1d', Math.floor(rawStart / DAY_MS) * DAY_MS],
  ];
  for (const [resolution, until] of marks) {
    await deps.db.execute(sql`
      insert into metric_rollup_state (resolution, done_until) values (${resolution}, ${new Date(until).toISOString()}::timestamptz)
      on conflict (resolution) do update set done_until = greatest(metric_rollup_state.done_until, excluded.done_until)`);
  }
  return {
    facilities: targets.length,
    series: seriesRows.length,
    rawSamples,
    rollupRows: { '5m': writers['5m'].written(), '1h': writers['1h'].written(), '1d': writers['1d'].written() },
    targets,
  };
}

export interface DemoTrickle {
  /** Writes one sample per series at the current minute of the clock; returns the samples inserted. */
  tick(): Promise<number>;
  /** Stops the timer, waiting for a tick in progress. */
  stop(): Promise<void>;
}

/**
 * The live trickle: every `intervalMs` one new sample per demo series at the clock's current minute,
 * through the normal write path. A tick never overlaps the previous one; failures are logged and the
 * next tick carries on. `intervalMs` 0: no timer (tick() by hand, as the tests do).
 */
export function startDemoTrickle(deps: Deps, targets: DemoTelemetryTarget[], intervalMs: number): DemoTrickle {
  let running: Promise<number> | null = null;
  let stopped = false;
  const tick = async (): Promise<number> => {
    const minute = Math.floor(deps.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
    let inserted = 0;
    for (const target of targets) {
      if (stopped) break;
      inserted += (await ingest(deps, target.facilityId, samplesAt(target.model, [minute]))).inserted;
    }
    return inserted;
  };
  const run = () => {
    if (running || stopped) return running ?? Promise.resolve(0);
    running = tick()
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, 'demo telemetry trickle failed; the next tick retries');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = intervalMs > 0 ? setInterval(run, intervalMs) : null;
  timer?.unref();
  return {
    tick: async () => {
      if (running) await running;
      return run();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running;
    },
  };
}
