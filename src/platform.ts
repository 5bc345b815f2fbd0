import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { migrate, openDatabase } from './db/client.ts';
import type { Deps } from './deps.ts';
import { DEMO_USERS, type DemoResult, loadDemo } from './demo/load.ts';
import { type DemoTrickle, demoTelemetryTargets, startDemoTrickle } from './demo/monitoring.ts';
import type { App } from './http/types.ts';
import { ensureBootstrap } from './identity/service.ts';
import { startRollupTimer } from './monitoring/rollups.ts';
import { startNetworkFoldTimer } from './monitoring/network/service.ts';
import { ensureDemoAlertRules } from './monitoring/alerts/demo.ts';
import { evaluateAlerts, startAlertTimer } from './monitoring/alerts/evaluate.ts';
import { startCheckpointTimer } from './audit/service.ts';

export interface PlatformOptions {
  demo?: boolean | { facilities?: number; seed?: number; monitoring?: { perProvince?: number } | false; network?: boolean };
  /** Demo mode: how often the live telemetry trickle writes a sample per demo series (default 60 s; 0 off). */
  demoTrickleIntervalMs?: number;
  clock?: Clock;
  log?: Logger;
  onDemoProgress?: (done: number, total: number) => void;
  /** Fastify's request logging (off in tests). */
  requestLogging?: boolean;
  /** PGlite only: a migrated data directory dump to start from (tests: skips initdb). */
  pgliteTemplate?: Blob;
}

export interface Platform {
  app: App;
  deps: Deps;
  demo: DemoResult | null;
  /** Demo mode: the live telemetry trickle (tick() writes one sample per series now). */
  demoTrickle: DemoTrickle | null;
  adminCreated: boolean;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, bootstraps identity, optionally loads demo data, builds the app. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgliteTemplate: options.pgliteTemplate });
  try {
    await migrate(database);
    const deps: Deps = { database, db: database.db, clock: options.clock ?? systemClock, config, log };
    const { adminCreated } = await ensureBootstrap(deps);
    let demo: DemoResult | null = null;
    if (options.demo) {
      const demoOptions = typeof options.demo === 'object' ? options.demo : {};
      demo = await loadDemo(deps, { ...demoOptions, password: config.demoPassword, onProgress: options.onDemoProgress });
    }
    const app = await buildApp(deps, {
      demo: demo ? { users: [...DEMO_USERS] } : undefined,
      logger: options.requestLogging ? { level: config.logLevel } : false,
    });
    await app.ready();
    const rollups = config.rollupIntervalSeconds > 0 ? startRollupTimer(deps, config.rollupIntervalSeconds * 1000) : null;
    // Peer probes fold into the latency matrix at the rollups' pace (docs/monitoring.md, network monitoring).
    const networkFold = config.rollupIntervalSeconds > 0 ? startNetworkFoldTimer(deps, config.rollupIntervalSeconds * 1000) : null;
    const checkpoints = config.auditCheckpointMinutes > 0 ? startCheckpointTimer(deps, config.auditCheckpointMinutes) : null;
    const demoSettings = typeof options.demo === 'object' ? options.demo : {};
    const demoTrickle =
      demo && demoSettings.monitoring !== false
        ? startDemoTrickle(
            deps,
            await demoTelemetryTargets(deps, { seed: demoSettings.seed, ...demoSettings.monitoring, anchorMs: deps.clock.now().getTime() }),
            options.demoTrickleIntervalMs ?? 60_000,
          )
        : null;
    if (demo) {
      // The demo's alert rules, evaluated once now so that its alert list has entries on first start
      // (a restarted demo first writes a fresh sample, or every facility would look silent).
      try {
        await ensureDemoAlertRules(deps);
        if (!demo.loaded) await demoTrickle?.tick();
        await evaluateAlerts(deps);
      } catch (error) {
        log.warn({ err: error }, 'demo alert evaluation failed; the alert timer retries');
      }
    }
    const alerts = config.alertIntervalSeconds > 0 ? startAlertTimer(deps, config.alertIntervalSeconds * 1000) : null;
    return {
      app,
      deps,
      demo,
      demoTrickle,
      adminCreated,
      listen: async () => {
        const address = await app.listen({ port: config.port, host: config.host });
        return address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
      },
      close: async () => {
        await demoTrickle?.stop();
        await rollups?.stop();
        await networkFold?.stop();
        await alerts?.stop();
        await checkpoints?.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
