import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** Either driver's database: PGlite (embedded) and node-postgres share the pg-core query builder. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs raw multi-statement SQL without parameters (maintenance, tests). */
  exec(statement: string): Promise<void>;
  /** PGlite only: the data directory as a tarball, to start other instances from (tests). */
  dump?: () => Promise<Blob>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(statement: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** PGlite only: start a new data directory from this dump (PGlite `dumpDataDir`) instead of running initdb. */
  pgliteTemplate?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.pgliteTemplate);
}

async function openPglite(dataDir: string, template?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const memory = dataDir === 'memory://';
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(memory ? undefined : dataDir, template ? { loadDataDir: template } : {});
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    dump: async () => (await client.dumpDataDir('none')) as Blob,
    exec: async (statement) => {
      await client.exec(statement);
    },
    query: async <T>(statement: string, params: unknown[] = []) => (await client.query<T>(statement, params)).rows,
    close: () => client.close(),
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // Return int8/numeric as JS numbers where they fit: counts and sums are reported as numbers.
  pg.default.types.setTypeParser(20, (value: string) => Number(value));
  pg.default.types.setTypeParser(1700, (value: string) => Number(value));
  const pool = new pg.default.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    exec: async (statement) => {
      await pool.query(statement);
    },
    query: async <T>(statement: string, params: unknown[] = []) =>
      (await pool.query(statement, params)).rows as T[],
    close: () => pool.end(),
  };
}

/** Applies the committed migrations; on PostgreSQL under an advisory lock so replicas can start together. */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { migrate: migratePg } = await import('drizzle-orm/node-postgres/migrator');
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
    await migratePg(tx as never, { migrationsFolder: MIGRATIONS_FOLDER });
  });
}

/** True when the database answers and every committed migration is applied. */
export async function isReady(database: Database): Promise<boolean> {
  try {
    const rows = await database.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return rows.length === 1 && rows[0].n > 0;
  } catch {
    return false;
  }
}
