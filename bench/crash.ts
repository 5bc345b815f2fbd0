// npm run bench:crash — the crash test of test/integration/crash.test.ts at a larger size, on
// PostgreSQL and on PGlite: a real `suanli serve` SIGKILLed while a Prometheus-like client (shards,
// retry with back-off on connection errors and 5xx) remote-writes to it, restarted on the same data.
// Records samples, kills, retries, losses, duplicates and recovery times in docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type CrashReport, type CrashScenarioOptions, runCrashScenario } from './crash-scenario.ts';
import { freshPostgresDatabase, machine, percentile, recordBenchmark } from './record.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SIZE = {
  series: Number(process.env.BENCH_SERIES || 2_000),
  rounds: Number(process.env.BENCH_ROUNDS || 150),
  batch: Number(process.env.BENCH_BATCH || 2_000),
  shards: Number(process.env.BENCH_CONCURRENCY || 4),
  kills: Number(process.env.BENCH_KILLS || 5),
  seed: 20261126,
};

async function run(databaseUrl: string | null): Promise<CrashReport> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-bench-crash-'));
  try {
    const options: CrashScenarioOptions = { ...SIZE, databaseUrl, dataDir, log: (line) => console.error(`  ${line}`) };
    return await runCrashScenario(options);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const seconds = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${(percentile(sorted, 50) / 1000).toFixed(1)} / ${(sorted.at(-1)! / 1000).toFixed(1)}`;
};
const line = (name: string, r: CrashReport) =>
  `| ${name} | ${r.samplesAcked.toLocaleString('en')} in ${r.requestsAcked} | ${r.kills} (+1 after the last) | ${r.inFlightAtKill.join(', ')} | ${r.retries} (${r.requestsRetried} requests) | ${r.lost} | ${r.duplicateSamples} | ${seconds(r.startMs.slice(1))} | ${seconds(r.recoveryMs)} | ${r.seconds.toFixed(1)} s |`;
const check = (r: CrashReport) => {
  if (r.lost || r.duplicateSamples || r.duplicateSeries || r.unexpected || r.stored !== r.samplesAcked) throw new Error(`crash run failed its checks: ${JSON.stringify(r)}`);
};

const loadBefore = loadavg()[0];
console.error(`PostgreSQL: ${SIZE.series} series × ${SIZE.rounds} rounds, ${SIZE.kills} kills…`);
const fresh = await freshPostgresDatabase(BASE_URL, `suanli_bench_crash_${process.pid}`);
let onPostgres: CrashReport;
try {
  onPostgres = await run(fresh.url);
} finally {
  await fresh.drop();
}
check(onPostgres);
const pgLine = line('PostgreSQL 15 (local)', onPostgres);
console.log(pgLine);
console.error('PGlite…');
const onPglite = await run(null);
check(onPglite);
const pgliteLine = line('PGlite (data directory)', onPglite);
console.log(pgliteLine);

recordBenchmark(
  'crash',
  [
    '## Crash safety of ingestion (`npm run bench:crash`)',
    '',
    `A real \`suanli serve\` child process receives remote_write requests (snappy protobuf as Prometheus builds them) for ${SIZE.series.toLocaleString('en')} gauge series × ${SIZE.rounds} scrape rounds, ${SIZE.batch.toLocaleString('en')} samples per request, from ${SIZE.shards} shards that each send their next request only once the last was answered 2xx and retry the same request on a connection error, a timeout or a 5xx with back-off from 30 ms doubling to 500 ms (Prometheus' queue_config min_backoff / max_backoff). The server is SIGKILLed ${SIZE.kills} times at evenly spaced shares of the acknowledged requests, each time with requests in flight, and restarted at once on the same data; after the last acknowledgement it is SIGKILLed once more and the database is read directly. ${machine()}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the run (the machine's 2 cores are shared, so restart times vary).`,
    'Lost = acknowledged samples missing from `metric_samples` (or with another value); duplicated = (series, ts) pairs stored twice. Restart = spawn → listening (Node start, opening the database and its crash recovery, migrations check); recovery = SIGKILL → the first 2xx to a request sent to the restarted server. The same checks on a smaller run (400 series × 150 rounds, 3 kills) are `test/integration/crash.test.ts`, on PGlite in `npm test` and on PostgreSQL in `npm run test:pg`.',
    '',
    '| database | samples acknowledged in requests | kills | requests in flight at each kill | failed attempts retried | lost | duplicated | restart s p50 / max | recovery s p50 / max | run |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- | ---: |',
    pgLine,
    pgliteLine,
  ].join('\n'),
);
console.log('\nRecorded in docs/benchmarks.md');
