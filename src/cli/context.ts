import pino from 'pino';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { migrate, openDatabase } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { ensureBootstrap } from '../identity/service.ts';

/** Opens the configured database for a one-shot command, runs `work`, closes it. */
export async function withDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const deps: Deps = { database, db: database.db, clock: systemClock, config, log: pino({ level: 'warn' }) };
    await ensureBootstrap(deps);
    return await work(deps);
  } finally {
    await database.close();
  }
}
