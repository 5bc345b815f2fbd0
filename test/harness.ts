import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Clock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { migrate, openDatabase } from '../src/db/client.ts';
import { createPlatform, type Platform } from '../src/platform.ts';

/** PostgreSQL when TEST_DATABASE_URL is set (CI runs the suite both ways), PGlite otherwise. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
export const databaseKind = TEST_DATABASE_URL ? 'postgres' : 'pglite';
export const TEST_DEMO_PASSWORD = 'Test-Demo-Pass-42';
/** The audit signing key (base64 seed) of every PostgreSQL test platform; on PGlite the data-directory key is used. */
export const TEST_AUDIT_SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');

let template: Promise<Blob> | undefined;
/** One migrated PGlite per test process, dumped and loaded by every test platform: skips initdb (≈ 5 s) each time. */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    try {
      await migrate(database);
      return await database.dump!();
    } finally {
      await database.close();
    }
  })();
  return template;
}

export interface TestPlatformOptions {
  demo?: 'small' | 'full' | false;
  clock?: Clock;
  env?: Record<string, string>;
}

export interface InjectOptions {
  token?: string;
  body?: unknown;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** A fresh database of its own: a new PGlite directory, or a new PostgreSQL database dropped on close. */
async function freshDatabase(): Promise<{ dataDir: string; databaseUrl: string | null; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-test-'));
  if (!TEST_DATABASE_URL) return { dataDir, databaseUrl: null, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `suanli_t_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface TestPlatform {
  platform: Platform;
  inject(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options?: InjectOptions): Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => any; body: string; rawPayload: Buffer }>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const { dataDir, databaseUrl, drop } = await freshDatabase();
  const config = loadConfig(
    {
      SUANLI_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
      SUANLI_ADMIN_PASSWORD: options.demo ? '' : 'Root-Test-Pass-1',
      ...(databaseUrl ? { SUANLI_AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY } : {}),
      ...options.env,
    },
    { dataDir, databaseUrl, port: 0, host: '127.0.0.1', logLevel: 'silent' },
  );
  const demo = options.demo === 'full' ? true : options.demo === 'small' ? { facilities: 240 } : false;
  const platform = await createPlatform(config, { demo, clock: options.clock, log: pino({ level: 'silent' }), pgliteTemplate: databaseUrl ? undefined : await pgliteTemplate() });
  const inject: TestPlatform['inject'] = async (method, url, injectOptions = {}) => {
    const headers: Record<string, string> = { ...(injectOptions.headers ?? {}) };
    if (injectOptions.token) headers.authorization = `Bearer ${injectOptions.token}`;
    const response = await platform.app.inject({
      method,
      url,
      headers,
      ...(injectOptions.body !== undefined ? { payload: injectOptions.body as object } : {}),
      ...(injectOptions.payload !== undefined ? { payload: injectOptions.payload } : {}),
    });
    return { statusCode: response.statusCode, headers: response.headers, json: () => response.json(), body: response.body, rawPayload: response.rawPayload };
  };
  return {
    platform,
    inject,
    login: async (username, password) => {
      const response = await inject('POST', '/api/v1/auth/login', { body: { username, password: password ?? (username === 'admin' && !options.demo ? 'Root-Test-Pass-1' : TEST_DEMO_PASSWORD) } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.body}`);
      return response.json().token as string;
    },
    close: async () => {
      await platform.close();
      await drop();
    },
  };
}

/** A real server listening on 127.0.0.1 (for browser tests), with the small demo dataset and the built web app. */
export async function startTestServer(options: { demo?: 'small' | 'full' } = {}) {
  const test = await createTestPlatform({ demo: options.demo ?? 'small' });
  const address = await test.platform.app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, demoPassword: TEST_DEMO_PASSWORD, close: test.close, test };
}

/** A TCP port free on 127.0.0.1 now (for a child process or a service a test starts). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
