import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';

/** Side effects a service may use; passed in so tests can replace the clock and skip the server. */
export interface Deps {
  database: Database;
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
}

/** Who and which request a change belongs to, for the change log. */
export interface RequestContext {
  requestId: string;
}
