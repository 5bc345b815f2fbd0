import type { Logger } from 'pino';

export interface PeriodicJob {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs`, never two runs at once (a tick during a run is skipped); a failed
 * run is logged and the next tick retries. The timer does not keep the process alive. Used by the
 * background jobs (rollups and retention, the network fold, alert evaluation, audit checkpoints).
 */
export function startPeriodic(log: Pick<Logger, 'warn'>, failure: string, intervalMs: number, work: (isStopped: () => boolean) => Promise<unknown>): PeriodicJob {
  let running: Promise<void> | null = null;
  let stopped = false;
  const isStopped = () => stopped;
  const tick = () => {
    if (running || stopped) return;
    running = work(isStopped)
      .then(() => undefined)
      .catch((error: unknown) => log.warn({ err: error }, failure))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}
