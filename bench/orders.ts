// npm run bench:orders — (c) of the matching issue: 1,000 order requests sent at once over HTTP against
// an offer of 100 cards, on PostgreSQL and on PGlite. Exactly 100 must be accepted, the rest refused
// 409 INSUFFICIENT_CAPACITY, and the database must hold exactly 100 cards reserved.
// BENCH_ORDERS (1000), BENCH_CAPACITY (100), BENCH_DATABASE_URL / TEST_DATABASE_URL for PostgreSQL;
// BENCH_ONLY=pglite|postgres runs one of them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createPlatform } from '../src/platform.ts';
import { freshPostgresDatabase, machine, percentile, recordBenchmark } from './record.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = Number(process.env.BENCH_ORDERS || 1000);
const CAPACITY = Number(process.env.BENCH_CAPACITY || 100);
const ONLY = process.env.BENCH_ONLY;
const ADMIN_PASSWORD = 'Root-Orders-Pass-1';
const PASSWORD = 'Load-Test-Pass-9x';
const WINDOW = { start: new Date(Date.now() + 24 * 3_600_000).toISOString(), end: new Date(Date.now() + 72 * 3_600_000).toISOString() };

interface Run {
  database: string;
  accepted: number;
  refused: number;
  other: number;
  reserved: number;
  wallMs: number;
  p50: number;
  p99: number;
  max: number;
  acceptedP50: number;
  refusedP50: number;
}

async function run(label: string, databaseUrl: string | null, dataDir: string): Promise<Run> {
  const config = loadConfig(
    { SUANLI_ADMIN_PASSWORD: ADMIN_PASSWORD, SUANLI_RATE_LIMIT_PER_MINUTE: '0', SUANLI_ROLLUP_INTERVAL_SECONDS: '0', SUANLI_ALERT_INTERVAL_SECONDS: '0', SUANLI_AUDIT_CHECKPOINT_MINUTES: '0' },
    { databaseUrl, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' },
  );
  const platform = await createPlatform(config, { log: pino({ level: 'silent' }) });
  try {
    const call = async (method: 'GET' | 'POST', url: string, token: string | null, payload?: object) => {
      const response = await platform.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const admin = (await call('POST', '/api/v1/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
    const user = async (name: string, roles: string[]) => {
      const org = await call('POST', '/api/v1/organizations', admin, { name, kind: 'enterprise', marketRoles: roles });
      const username = `bench-${roles[0]}`;
      await call('POST', '/api/v1/users', admin, { username, password: PASSWORD, orgId: org.id });
      const session = (await call('POST', '/api/v1/auth/login', null, { username, password: PASSWORD })).token as string;
      return (await call('POST', '/api/v1/auth/tokens', session, { name: 'bench' })).token as string;
    };
    const supplier = await user('压测供给方', ['supplier']);
    const buyer = await user('压测需求方', ['demander']);
    const registration = await call('POST', '/api/v1/registrations', supplier, {
      type: 'create',
      submit: true,
      data: { name: '压测智算中心', regionCode: '140213', status: 'in_operation', kind: 'intelligent', racksDesigned: 100, racksInUse: 50, accelerators: [{ model: 'H200', count: 512 }] },
    });
    const facilityId = (await call('POST', `/api/v1/registrations/${registration.id}/approve`, admin)).facilityId as string;
    const window = { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() + 30 * 24 * 3_600_000).toISOString() };
    const offer = await call('POST', '/api/v1/offers', supplier, { facilityId, product: 'gpu-h200-sxm', quantity: CAPACITY, window, pricePerUnit: 20 });
    // Node's default listen backlog (511) is below the connections that arrive at once.
    const address = await platform.app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
    console.error(`${label}: ${REQUESTS} concurrent orders against ${CAPACITY} cards…`);
    const client = new URL('./orders-client.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [client, address, buyer, offer.id, String(REQUESTS), WINDOW.start, WINDOW.end], { maxBuffer: 64 * 1024 * 1024 });
    const { wallMs, results } = JSON.parse(stdout) as { wallMs: number; results: { status: number; code: string | null; ms: number }[] };
    const reserved = (await platform.deps.database.query<{ n: number }>(`select coalesce(sum(quantity), 0)::int as n from market_orders where offer_id = $1 and state in ('reserved', 'active')`, [offer.id]))[0].n;
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const all = sorted(results.map((r) => r.ms));
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409 && r.code === 'INSUFFICIENT_CAPACITY');
    const others = results.filter((r) => r.status !== 201 && !(r.status === 409 && r.code === 'INSUFFICIENT_CAPACITY'));
    if (others.length) console.error(`${label}: unexpected answers`, others.slice(0, 5));
    return {
      database: label,
      accepted: accepted.length,
      refused: refused.length,
      other: others.length,
      reserved: Number(reserved),
      wallMs,
      p50: percentile(all, 50),
      p99: percentile(all, 99),
      max: all[all.length - 1],
      acceptedP50: percentile(sorted(accepted.map((r) => r.ms)), 50) ?? 0,
      refusedP50: percentile(sorted(refused.map((r) => r.ms)), 50) ?? 0,
    };
  } finally {
    await platform.close();
  }
}

const runs: Run[] = [];
if (ONLY !== 'pglite') {
  const database = await freshPostgresDatabase(BASE_URL, `suanli_bench_orders_${process.pid}`);
  try {
    runs.push(await run('PostgreSQL 15 (local, pool of 10)', database.url, mkdtempSync(path.join(tmpdir(), 'suanli-bench-orders-'))));
  } finally {
    await database.drop();
  }
}
if (ONLY !== 'postgres') {
  const dir = mkdtempSync(path.join(tmpdir(), 'suanli-bench-orders-'));
  try {
    runs.push(await run('PGlite (data directory)', null, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number) => x.toFixed(0);
const rows = runs.map((r) => `| ${r.database} | ${REQUESTS} | ${CAPACITY} | **${r.accepted}** | ${r.refused} | ${r.other} | **${r.reserved}** | ${fmt(r.p50)} / ${fmt(r.p99)} / ${fmt(r.max)} | ${fmt(r.acceptedP50)} | ${fmt(r.refusedP50)} | ${(r.wallMs / 1000).toFixed(2)} s |`);
for (const row of rows) console.log(row);
const ok = runs.every((r) => r.accepted === CAPACITY && r.reserved === CAPACITY && r.other === 0);
console.log(ok ? `OK: exactly ${CAPACITY} accepted on every database` : 'FAILED: see the table');
recordBenchmark(
  'orders',
  `## Orders under concurrency (\`npm run bench:orders\`)

(c) of the matching issue: ${REQUESTS} order requests for one card each, sent at once over HTTP (one connection each, from a separate process) to a server on 127.0.0.1, against an offer of ${CAPACITY} cards for the same window. Goal: exactly ${CAPACITY} accepted, the rest 409 INSUFFICIENT_CAPACITY, ${CAPACITY} cards reserved in the database. Each order locks its offer row (\`SELECT … FOR UPDATE\`) and checks the free capacity in the transaction that inserts it (docs/market.md). ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. Latency from the client, ms, includes queueing behind the offer's row lock: the orders of one offer are served one after another by design.

| database | requests | capacity | accepted | refused 409 | other | reserved in DB | latency p50 / p99 / max | accepted p50 | refused p50 | all answered in |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |
${rows.join('\n')}`,
);
if (!ok) process.exitCode = 1;
