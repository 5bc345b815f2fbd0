// npm run bench:ingest — remote_write requests built like Prometheus's (2,000 samples each, over
// 10,000 series, 4 requests in flight like 4 shards) sent over loopback to Suanli; samples/s
// committed, side by side in the same run with a raw COPY of the same rows into the same table
// (PostgreSQL) — the limit — and the same on PGlite (reference there: one multi-row
// INSERT … SELECT FROM unnest per batch, PGlite's fastest bulk path without a COPY stream).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { sha256Hex } from '../src/ids.ts';
import { normaliseFacility } from '../src/ledger/rules.ts';
import { insertLedgerEntries } from '../src/ledger/service.ts';
import { encodeWriteRequest, type WireTimeSeries } from '../src/monitoring/remote-write.ts';
import { canonicalKey } from '../src/monitoring/rules.ts';
import { createPlatform, type Platform } from '../src/platform.ts';
import { freshPostgresDatabase, machine, percentile, recordBenchmark } from './record.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SERIES = Number(process.env.BENCH_SERIES || 10_000);
const BATCH = Number(process.env.BENCH_BATCH || 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 4);
const PG_ROUNDS = Number(process.env.BENCH_ROUNDS || 30);
const PGLITE_ROUNDS = Number(process.env.BENCH_PGLITE_ROUNDS || 6);
const ADMIN_PASSWORD = 'Bench-Ingest-Pass-7';
const METRICS = ['node_load1', 'node_load5', 'node_memory_MemAvailable_bytes', 'node_cpu_seconds_total', 'node_network_transmit_bytes_total', 'DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_POWER_USAGE', 'node_filesystem_avail_bytes', 'node_disk_io_time_seconds_total', 'up'];

interface Series {
  metric: string;
  labels: Record<string, string>;
}
/** 10,000 node_exporter/DCGM-like series: metrics × hosts × a device label. */
const series: Series[] = Array.from({ length: SERIES }, (_, i) => {
  const metric = METRICS[i % METRICS.length];
  const host = Math.floor(i / METRICS.length);
  return { metric, labels: { instance: `10.${Math.floor(host / 250)}.${host % 250}.1:9100`, job: metric.startsWith('DCGM') ? 'dcgm' : 'node', device: `d${host % 8}` } };
});
// Mapped gauges (DCGM_FI_DEV_GPU_UTIL, up) get a vocabulary copy: Suanli stores more rows than it is sent.
const storedPerRound = SERIES + series.filter((s) => s.metric === 'DCGM_FI_DEV_GPU_UTIL' || s.metric === 'up').length;

/** One scrape round = every series once at `ts`, cut into requests of BATCH samples, as a shard queue does. */
function roundRequests(ts: number, round: number): { body: Buffer; samples: number }[] {
  const out = [];
  for (let offset = 0; offset < SERIES; offset += BATCH) {
    const timeseries: WireTimeSeries[] = series.slice(offset, offset + BATCH).map((s, j) => ({
      labels: [{ name: '__name__', value: s.metric }, ...Object.entries(s.labels).map(([name, value]) => ({ name, value }))],
      samples: [{ value: (round * 7 + offset + j) % 1000, timestamp: ts }],
    }));
    out.push({ body: encodeWriteRequest({ timeseries }), samples: timeseries.length });
  }
  return out;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function setUp(databaseUrl: string | null, dataDir: string) {
  const config = loadConfig({ SUANLI_ADMIN_PASSWORD: ADMIN_PASSWORD, SUANLI_ROLLUP_INTERVAL_SECONDS: '0' }, { databaseUrl, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' });
  const platform = await createPlatform(config, { log: pino({ level: 'silent' }) });
  const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const { value } = normaliseFacility({ name: '基准测试中心', regionCode: '140213', address: '', status: 'in_operation', kind: 'intelligent', racksDesigned: 10, racksInUse: 5, accelerators: [], storagePb: 0, greenPowerPct: 0, contacts: [] } as never);
  const [facilityId] = await insertLedgerEntries(platform.deps.db, [{ value: value!, ownerOrgId: 'org_platform' }], { actorId: null, actorName: 'bench', orgId: null, requestId: 'bench' }, 'import', new Date());
  const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  const created = await platform.app.inject({ method: 'POST', url: `/api/v1/facilities/${facilityId}/ingest-tokens`, headers: { authorization: `Bearer ${login.json().token}` }, payload: {} });
  return { platform, address, facilityId, token: created.json().token as string };
}

/** Sends the rounds; returns committed samples/s (as stored) and per-request latencies. */
async function runIngest(address: string, token: string, rounds: number, startTs: number) {
  const warmUp = roundRequests(startTs - 2000, 0); // creates the series and the day partition
  const timed = Array.from({ length: rounds }, (_, r) => roundRequests(startTs + r * 15_000 - rounds * 15_000, r + 1)).flat();
  const send = async (request: { body: Buffer }) => {
    const response = await fetch(`${address}/api/v1/write`, {
      method: 'POST',
      body: request.body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
    });
    if (response.status !== 204) throw new Error(`remote_write answered ${response.status}: ${await response.text()}`);
  };
  await inParallel(warmUp, CONCURRENCY, send);
  const latencies: number[] = [];
  const started = performance.now();
  await inParallel(timed, CONCURRENCY, async (request) => {
    const t0 = performance.now();
    await send(request);
    latencies.push(performance.now() - t0);
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rows: rounds * storedPerRound, seconds, rate: (rounds * storedPerRound) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: timed.length };
}

/** The rows the timed rounds stored, read back, to load them again through the reference path. */
async function storedRows(platform: Platform, startTs: number) {
  const rows = await platform.deps.database.query<{ series_id: number | string; t: number; value: number }>(
    `select series_id, (extract(epoch from ts) * 1000)::float8 as t, value from metric_samples where ts < $1::timestamptz - interval '1 second' order by ts, series_id`,
    [new Date(startTs - 2000).toISOString()],
  );
  return rows.map((r) => ({ seriesId: Number(r.series_id), ts: Number(r.t), value: Number(r.value) }));
}

const chunks = <T>(rows: T[], size: number) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

async function postgresRun() {
  const fresh = await freshPostgresDatabase(BASE_URL, `suanli_bench_ingest_${process.pid}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-bench-'));
  const { platform, address, token } = await setUp(fresh.url, dataDir);
  const startTs = Date.now() - 60_000;
  const ingest = await runIngest(address, token, PG_ROUNDS, startTs);
  const rows = await storedRows(platform, startTs);
  if (rows.length !== ingest.rows) throw new Error(`expected ${ingest.rows} stored rows, found ${rows.length}`);
  const database = platform.deps.database;
  await database.exec(`delete from metric_samples where ts < '${new Date(startTs - 3000).toISOString()}'`);
  await database.exec('vacuum metric_samples');
  // The limit: COPY of the same rows into the same table, in the same batches and concurrency.
  const pool = new pg.Pool({ connectionString: fresh.url, max: CONCURRENCY });
  const batches = chunks(rows, BATCH).map((batch) => batch.map((r) => `${r.seriesId}\t${new Date(r.ts).toISOString()}\t${r.value}\n`).join(''));
  const started = performance.now();
  await inParallel(batches, CONCURRENCY, async (text) => {
    const client = await pool.connect();
    try {
      await pipeline(Readable.from([text]), client.query(copyFrom('copy metric_samples (series_id, ts, value) from stdin')));
    } finally {
      client.release();
    }
  });
  const copySeconds = (performance.now() - started) / 1000;
  const copied = Number((await pool.query(`select count(*) as n from metric_samples where ts < '${new Date(startTs - 3000).toISOString()}'`)).rows[0].n);
  if (copied !== rows.length) throw new Error(`COPY stored ${copied} of ${rows.length} rows`);
  await pool.end();
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
  await fresh.drop();
  return { ingest, reference: { rate: rows.length / copySeconds, seconds: copySeconds } };
}

async function pgliteRun() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-bench-pglite-'));
  const { platform, address, token } = await setUp(null, dataDir);
  const startTs = Date.now() - 60_000;
  const ingest = await runIngest(address, token, PGLITE_ROUNDS, startTs);
  const rows = await storedRows(platform, startTs);
  if (rows.length !== ingest.rows) throw new Error(`expected ${ingest.rows} stored rows, found ${rows.length}`);
  const database = platform.deps.database;
  await database.exec(`delete from metric_samples where ts < '${new Date(startTs - 3000).toISOString()}'`);
  await database.exec('vacuum metric_samples');
  const started = performance.now();
  for (const batch of chunks(rows, BATCH)) {
    await database.query(
      `insert into metric_samples (series_id, ts, value) select s, timestamptz 'epoch' + t * interval '1 millisecond', v from unnest($1::bigint[], $2::bigint[], $3::float8[]) as x(s, t, v)`,
      // Array literals built with one join, as Suanli's own writer sends them: the fastest way in.
      [`{${batch.map((r) => r.seriesId).join(',')}}`, `{${batch.map((r) => r.ts).join(',')}}`, `{${batch.map((r) => r.value).join(',')}}`],
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { ingest, reference: { rate: rows.length / seconds, seconds } };
}

const line = (name: string, reference: string, run: Awaited<ReturnType<typeof postgresRun>>) =>
  `| ${name} | ${run.ingest.requests} × ${BATCH} | ${Math.round(run.ingest.rate).toLocaleString('en')} | ${run.ingest.p50.toFixed(1)} / ${run.ingest.p99.toFixed(1)} | ${reference} ${Math.round(run.reference.rate).toLocaleString('en')} | ${(run.ingest.rate / run.reference.rate).toFixed(2)}× |`;

const loadBefore = loadavg()[0];
console.error(`PostgreSQL: ${PG_ROUNDS} rounds of ${SERIES} series…`);
// The machine is shared: each database is measured REPEATS times (ingest then reference, fresh
// database each time) and the run with the median ratio is reported, beside every run's ratio.
const REPEATS = Number(process.env.BENCH_REPEATS || 3);
const medianRun = <T extends { ingest: { rate: number }; reference: { rate: number } }>(runs: T[]) =>
  [...runs].sort((a, b) => a.ingest.rate / a.reference.rate - b.ingest.rate / b.reference.rate)[Math.floor((runs.length - 1) / 2)];
const ratios = (runs: { ingest: { rate: number }; reference: { rate: number } }[]) => runs.map((r) => `${(r.ingest.rate / r.reference.rate).toFixed(2)}×`).join(', ');
const pgRuns = [];
for (let i = 0; i < REPEATS; i++) pgRuns.push(await postgresRun());
const onPostgres = medianRun(pgRuns);
const pgLine = line('PostgreSQL 15 (local)', 'COPY', onPostgres);
console.log(pgLine);
if (process.env.BENCH_ONLY === 'postgres') process.exit(0);
console.error(`PGlite: ${PGLITE_ROUNDS} rounds…`);
const pgliteRuns = [];
for (let i = 0; i < REPEATS; i++) pgliteRuns.push(await pgliteRun());
const onPglite = medianRun(pgliteRuns);
const pgliteLine = line('PGlite (in process)', 'INSERT … unnest', onPglite);
console.log(pgliteLine);

recordBenchmark(
  'ingest',
  [
    '## Ingest: Prometheus remote_write (`npm run bench:ingest`)',
    '',
    `${SERIES.toLocaleString('en')} series (node_exporter- and DCGM-like labels); requests of ${BATCH.toLocaleString('en')} samples, snappy-compressed protobuf as Prometheus builds them, ${CONCURRENCY} in flight (like 4 shards) over loopback; one warm-up round creates the series, then the timed rounds (every series once per round). Samples/s counts rows committed, including the vocabulary copies of mapped gauges (${storedPerRound.toLocaleString('en')} rows per round of ${SERIES.toLocaleString('en')} samples sent); each request also upserts the latest value of every vocabulary series, and of a raw series at most once a minute (rounds are 15 s apart in sample time; docs/monitoring.md, Storage). ${machine()}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the run (other work shares the machine's 2 cores, so figures vary by ±50 % between runs; the ratio, measured in the same run, varies less).`,
    `Reference, same run, same rows into the same partitioned table after deleting them: on PostgreSQL a \`COPY … FROM STDIN\` (pg-copy-streams) per ${BATCH.toLocaleString('en')}-row batch, ${CONCURRENCY} connections in parallel — the limit; on PGlite (no COPY stream through the driver) one multi-row \`INSERT … SELECT FROM unnest\` per batch without ON CONFLICT. Goal: ≥ 0.5× of COPY.`,
    '',
    '| database | requests | Suanli samples/s | request latency ms p50 / p99 | reference rows/s | ratio |',
    '| --- | ---: | ---: | --- | ---: | ---: |',
    pgLine,
    pgliteLine,
    '',
    `Each database was measured ${REPEATS} times in a row (fresh database each time); the table shows the run with the median ratio. Ratios of all runs: PostgreSQL ${ratios(pgRuns)}; PGlite ${ratios(pgliteRuns)}.`,
  ].join('\n'),
);
console.log('\nRecorded in docs/benchmarks.md');
