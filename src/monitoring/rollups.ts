import type { Deps } from '../deps.ts';
import { deriveCounterRates } from './derived.ts';
import { oldestSampleDay, runRetention } from './retention.ts';
import { monitoringStore, ROLLUP_LEVELS } from './store.ts';
import { startPeriodic } from '../periodic.ts';

/** Samples may arrive this late (Prometheus' send queue, a retried request) and still count in the 5 min rollup. */
export const ROLLUP_LATENESS_MS = 2 * 60_000;
/** On a first run, how far back the 5 min level starts when there are no day partitions: the oldest samples accepted. */
const INITIAL_LOOKBACK_MS = 31 * 86_400_000;
/** The most one statement folds, so that catching up (first run, after an outage) goes in short transactions. */
const MAX_SPAN_MS: Record<string, number> = { '5m': 6 * 3600_000, '1h': 2 * 86_400_000, '1d': 30 * 86_400_000 };

const floorTo = (ms: number, stepMs: number) => Math.floor(ms / stepMs) * stepMs;

/**
 * Folds every closed bucket not folded yet: 5 min buckets from raw samples once they are older than
 * the lateness allowance, 1 h buckets from complete 5 min ones, 1 d from complete 1 h ones. Returns
 * what each level covers now. Safe to run concurrently with ingestion and again after a crash.
 * Before a span of raw samples is folded, the vocabulary series derived from exporter counters
 * (cpu_utilization, egress_gbps: derived.ts) are written for it, so they are folded with it.
 */
export async function runRollups(deps: Deps): Promise<Record<string, string>> {
  const store = monitoringStore(deps.db);
  const state = await store.rollupState();
  // Nothing ingested yet: no 31-day catch-up over empty partitions on every fresh instance.
  if (state.size === 0 && !(await store.hasSeries())) return {};
  const now = deps.clock.now().getTime();
  let sourceDone = now - ROLLUP_LATENESS_MS;
  // A level without a watermark (the first run) starts at the oldest day of raw samples: none is left
  // unfolded (the retention job drops only folded days), even after a long time without rollups.
  const firstStart = ROLLUP_LEVELS.every((l) => state.has(l.resolution)) ? now : ((await oldestSampleDay(deps.db)) ?? now - INITIAL_LOOKBACK_MS);
  const covered: Record<string, string> = {};
  for (const level of ROLLUP_LEVELS) {
    const stepMs = level.stepSeconds * 1000;
    const closed = floorTo(sourceDone, stepMs);
    const start = state.get(level.resolution) ?? floorTo(firstStart, stepMs);
    let done = start;
    while (done < closed) {
      const until = Math.min(closed, done + MAX_SPAN_MS[level.resolution]);
      if (level.source === 'metric_samples') await deriveCounterRates(deps, done, until);
      await store.foldRollup(level, done, until);
      done = until;
    }
    // Nothing closed yet on a first run: record where the level starts (an empty fold sets its watermark).
    if (!state.has(level.resolution) && done === start) await store.foldRollup(level, start, start);
    covered[level.resolution] = new Date(done).toISOString();
    sourceDone = done;
  }
  return covered;
}

export interface RollupTimer {
  stop(): Promise<void>;
}

/** Runs the rollups, then the retention job, every `intervalMs` (never two at once); stop() waits for a run in progress. */
export function startRollupTimer(deps: Deps, intervalMs: number): RollupTimer {
  return startPeriodic(deps.log, 'rollup run failed; the next run retries', intervalMs, async () => {
    await runRollups(deps);
    await runRetention(deps);
  });
}
