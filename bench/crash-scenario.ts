// The crash scenario shared by test/integration/crash.test.ts (which asserts) and `npm run bench:crash`
// (which records the figures in docs/benchmarks.md): a real `suanli serve` child process takes
// remote_write requests from a client that retries like Prometheus, is SIGKILLed mid-stream several
// times and restarted on the same data; afterwards the database is read directly.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { createRandom } from '../src/demo/random.ts';
import { normaliseFacility } from '../src/ledger/rules.ts';
import { insertLedgerEntries } from '../src/ledger/service.ts';
import { encodeWriteRequest, type WireTimeSeries } from '../src/monitoring/remote-write.ts';
import { createPlatform } from '../src/platform.ts';
import { freePort } from '../test/harness.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/suanli.mjs');
const ADMIN_PASSWORD = 'Crash-Test-Pass-7';
/** Gauges only: none is copied onto the vocabulary, so the rows stored are exactly the samples sent. */
const GAUGES = ['node_load1', 'node_load5', 'node_memory_MemAvailable_bytes', 'node_filesystem_avail_bytes', 'node_hwmon_temp_celsius'];
const SCRAPE_MS = 15_000;

export interface CrashScenarioOptions {
  /** An empty PostgreSQL database, or null for PGlite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  series: number;
  /** Scrape rounds: every series gets one sample per round, 15 s apart. */
  rounds: number;
  /** Samples per request (Prometheus: max_samples_per_send). */
  batch: number;
  /** Requests in flight, one queue each (Prometheus: shards); a shard sends its next request only after the last one was acknowledged. */
  shards: number;
  /** SIGKILLs while requests are in flight, spread evenly over the run (a last one follows the final acknowledgement). */
  kills: number;
  seed: number;
  /** Retry back-off (Prometheus queue_config min_backoff / max_backoff). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  database: 'pglite' | 'postgres';
  series: number;
  requests: number;
  samplesSent: number;
  /** Requests and samples answered 2xx. Every request is retried until acknowledged, so all of them are in the end. */
  requestsAcked: number;
  samplesAcked: number;
  /** Attempts that failed and were retried (connection refused/reset, timeout, 5xx). */
  retries: number;
  /** Requests that needed more than one attempt. */
  requestsRetried: number;
  /** Requests in flight at each kill. */
  inFlightAtKill: number[];
  kills: number;
  /** Per restart: spawn → the server listening. */
  startMs: number[];
  /** Per kill: SIGKILL → the first 2xx to a request sent to the restarted server. */
  recoveryMs: number[];
  /** Rows of the facility in metric_samples after the final kill. */
  stored: number;
  /** Acknowledged samples absent (or with another value) in the database. */
  lost: number;
  /** (series, ts) pairs stored more than once, and series rows stored more than once. */
  duplicateSamples: number;
  duplicateSeries: number;
  /** Rows stored that were never sent. */
  unexpected: number;
  seconds: number;
}

export { freePort };

/** The `node` to run the CLI with: this one when it is Node ≥ 22.18 (type stripping), else the project's node@24. */
function nodeBinary(): string {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 18)) return process.execPath;
  return path.resolve(path.dirname(BIN), '../node_modules/.bin/node');
}

interface Request {
  body: Buffer;
  samples: number;
  acked: boolean;
  attempts: number;
}

/** Deterministic for a seed: series i is GAUGES[i % 5] of host ⌊i / 5⌋; values drawn in (round, series) order. */
function buildRequests(options: CrashScenarioOptions, startTs: number) {
  const random = createRandom(options.seed);
  const labelsOf = (i: number) => {
    const host = Math.floor(i / GAUGES.length);
    return [
      { name: '__name__', value: GAUGES[i % GAUGES.length] },
      { name: 'instance', value: `10.1.${Math.floor(host / 250)}.${host % 250}:9100` },
      { name: 'job', value: 'node' },
    ];
  };
  const expected = new Map<string, number>();
  const queues: Request[][] = Array.from({ length: options.shards }, () => []);
  // Like Prometheus' shards: a series always goes through the same shard, samples in time order.
  const pending: { i: number; ts: number; value: number }[][] = Array.from({ length: options.shards }, () => []);
  const flush = (shard: number) => {
    const bySeries = new Map<number, WireTimeSeries>();
    for (const p of pending[shard]) {
      let entry = bySeries.get(p.i);
      if (!entry) bySeries.set(p.i, (entry = { labels: labelsOf(p.i), samples: [] }));
      entry.samples.push({ value: p.value, timestamp: p.ts });
    }
    queues[shard].push({ body: encodeWriteRequest({ timeseries: [...bySeries.values()] }), samples: pending[shard].length, acked: false, attempts: 0 });
    pending[shard] = [];
  };
  for (let round = 0; round < options.rounds; round++) {
    const ts = startTs + round * SCRAPE_MS;
    for (let i = 0; i < options.series; i++) {
      const value = Math.round(random.float(0, 100_000)) / 100;
      const labels = labelsOf(i);
      expected.set(`${labels[0].value}|${labels[1].value}|${ts}`, value);
      const shard = i % options.shards;
      pending[shard].push({ i, ts, value });
      if (pending[shard].length === options.batch) flush(shard);
    }
  }
  for (let shard = 0; shard < options.shards; shard++) if (pending[shard].length) flush(shard);
  return { queues, expected };
}

/** A facility, and an ingestion token created through the API, in the database the server will use. */
async function setUp(options: CrashScenarioOptions): Promise<{ facilityId: string; token: string }> {
  const config = loadConfig(
    { SUANLI_ADMIN_PASSWORD: ADMIN_PASSWORD, SUANLI_ROLLUP_INTERVAL_SECONDS: '0', SUANLI_AUDIT_CHECKPOINT_MINUTES: '0' },
    { databaseUrl: options.databaseUrl, dataDir: options.dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' },
  );
  const platform = await createPlatform(config, { log: pino({ level: 'silent' }) });
  try {
    const { value } = normaliseFacility({ name: '崩溃测试中心', regionCode: '140213', address: '', status: 'in_operation', kind: 'general', racksDesigned: 10, racksInUse: 5, accelerators: [], storagePb: 0, greenPowerPct: 0, contacts: [] } as never);
    const [facilityId] = await insertLedgerEntries(platform.deps.db, [{ value: value!, ownerOrgId: 'org_platform' }], { actorId: null, actorName: 'crash-test', orgId: null, requestId: 'crash-test' }, 'import', new Date());
    const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login: ${login.body}`);
    const created = await platform.app.inject({ method: 'POST', url: `/api/v1/facilities/${facilityId}/ingest-tokens`, headers: { authorization: `Bearer ${login.json().token}` }, payload: { name: 'crash-test' } });
    if (created.statusCode !== 201) throw new Error(`ingest token: ${created.body}`);
    return { facilityId, token: created.json().token as string };
  } finally {
    await platform.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const minBackoff = options.minBackoffMs ?? 30;
  const maxBackoff = options.maxBackoffMs ?? 500;
  const { facilityId, token } = await setUp(options);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/v1/write`;
  // Timestamps relative to the run (the server refuses samples older than 31 days), aligned to the scrape interval.
  const startTs = Math.floor((Date.now() - options.rounds * SCRAPE_MS - 60_000) / SCRAPE_MS) * SCRAPE_MS;
  const { queues, expected } = buildRequests(options, startTs);
  const all = queues.flat();
  const report: CrashReport = {
    database: options.databaseUrl ? 'postgres' : 'pglite',
    series: options.series,
    requests: all.length,
    samplesSent: all.reduce((sum, r) => sum + r.samples, 0),
    requestsAcked: 0,
    samplesAcked: 0,
    retries: 0,
    requestsRetried: 0,
    inFlightAtKill: [],
    kills: 0,
    startMs: [],
    recoveryMs: [],
    stored: 0,
    lost: 0,
    duplicateSamples: 0,
    duplicateSeries: 0,
    unexpected: 0,
    seconds: 0,
  };

  // ------------------------------------------------------------ the server process
  let child: ChildProcess | null = null;
  let output = '';
  /** When the current server was spawned, and the kill waiting for its first acknowledgement. */
  let spawnedAt = 0;
  let awaitingRecovery: { killedAt: number } | null = null;
  const start = async () => {
    const started = performance.now();
    spawnedAt = started;
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATABASE_URL: options.databaseUrl ?? '',
      SUANLI_ADMIN_PASSWORD: '',
      SUANLI_ROLLUP_INTERVAL_SECONDS: '0',
      SUANLI_AUDIT_CHECKPOINT_MINUTES: '0',
      LOG_LEVEL: 'warn',
    };
    const server = spawn(nodeBinary(), [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', options.dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    const listening = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (output.includes('is running at')) resolve();
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)));
    });
    await listening;
    output = '';
    report.startMs.push(performance.now() - started);
  };
  const kill = async () => {
    const server = child!;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    child = null;
  };

  // ------------------------------------------------------------ the client (one queue per shard)
  let inFlight = 0;
  let fatal: Error | null = null;
  const send = async (request: Request) => {
    let backoff = minBackoff;
    for (;;) {
      if (fatal) throw fatal;
      request.attempts += 1;
      const sentAt = performance.now();
      let status = 0;
      let body = '';
      inFlight += 1;
      try {
        const response = await fetch(url, {
          method: 'POST',
          body: request.body,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
          signal: AbortSignal.timeout(20_000),
        });
        status = response.status;
        body = await response.text();
      } catch {
        status = 0; // connection refused or reset, timeout: retried like a 5xx
      } finally {
        inFlight -= 1;
      }
      if (status >= 200 && status < 300) {
        request.acked = true;
        report.requestsAcked += 1;
        report.samplesAcked += request.samples;
        if (request.attempts > 1) report.requestsRetried += 1;
        if (awaitingRecovery && sentAt >= spawnedAt) {
          report.recoveryMs.push(performance.now() - awaitingRecovery.killedAt);
          awaitingRecovery = null;
        }
        return;
      }
      if (status >= 400 && status < 500) throw (fatal = new Error(`remote_write answered ${status}, which Prometheus would drop: ${body}`));
      report.retries += 1;
      await sleep(backoff);
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  };

  const began = performance.now();
  await start();
  log(`server listening on ${port} after ${report.startMs[0].toFixed(0)} ms; ${report.requests} requests of ≤ ${options.batch} samples in ${options.shards} shards`);

  // Kills at evenly spaced shares of the acknowledged requests, each while the shards have requests in flight.
  const thresholds = Array.from({ length: options.kills }, (_, k) => Math.floor((all.length * (k + 1)) / (options.kills + 1)));
  let killing: Promise<void> = Promise.resolve();
  let nextKill = 0;
  let finished = false;
  const maybeKill = () => {
    if (nextKill >= thresholds.length || report.requestsAcked < thresholds[nextKill] || !child || awaitingRecovery) return;
    nextKill += 1;
    killing = killing.then(async () => {
      // Kill with requests in flight (not while every shard happens to be between two requests).
      while (inFlight === 0 && !finished) await sleep(1);
      if (finished) return;
      report.inFlightAtKill.push(inFlight);
      const killedAt = performance.now();
      await kill();
      report.kills += 1;
      awaitingRecovery = { killedAt };
      log(`kill ${report.kills}: SIGKILL with ${report.inFlightAtKill.at(-1)} requests in flight, ${report.requestsAcked}/${all.length} acknowledged`);
      await start();
      log(`  restarted: listening after ${report.startMs.at(-1)!.toFixed(0)} ms`);
    });
  };

  try {
    await Promise.all(
      queues.map(async (queue) => {
        for (const request of queue) {
          await send(request);
          maybeKill();
        }
      }),
    );
    finished = true;
    await killing;
  } finally {
    finished = true;
    await killing.catch(() => {});
    // The last kill comes right after the final acknowledgement: what was acknowledged last must survive too.
    if (child) await kill();
  }
  report.seconds = (performance.now() - began) / 1000;
  log(`all ${report.requestsAcked} requests acknowledged after ${report.retries} failed attempts; reading the database`);

  // ------------------------------------------------------------ the database, read directly after the last kill
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    const rows = await database.query<{ metric: string; instance: string; t: number; value: number }>(
      `select s.metric, s.labels->>'instance' as instance, (extract(epoch from x.ts) * 1000)::float8 as t, x.value
       from metric_samples x join metric_series s on s.id = x.series_id where s.facility_id = $1`,
      [facilityId],
    );
    report.stored = rows.length;
    const seen = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.metric}|${row.instance}|${Number(row.t)}`;
      seen.set(key, Number(row.value));
      if (!expected.has(key)) report.unexpected += 1;
    }
    // Every request ended acknowledged, so every expected sample was acknowledged.
    for (const [key, value] of expected) if (seen.get(key) !== value) report.lost += 1;
    report.duplicateSamples = Number(
      (await database.query<{ n: number }>('select count(*)::int as n from (select series_id, ts from metric_samples group by 1, 2 having count(*) > 1) d'))[0].n,
    );
    report.duplicateSeries = Number(
      (await database.query<{ n: number }>('select count(*)::int as n from (select facility_id, metric, labels from metric_series group by 1, 2, 3 having count(*) > 1) d'))[0].n,
    );
  } finally {
    await database.close();
  }
  return report;
}
