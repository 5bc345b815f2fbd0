// npm run bench:api — facility list and detail throughput and p95 latency at 10,000 facilities on
// PostgreSQL, side by side with a bare Fastify route returning the same JSON from memory.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createPlatform } from '../src/platform.ts';
import { freshPostgresDatabase, machine, recordBenchmark } from './record.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const FACILITIES = Number(process.env.BENCH_FACILITIES || 10_000);
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = 10;
const PASSWORD = 'Bench-Demo-Pass-1';

const database = await freshPostgresDatabase(BASE_URL, `suanli_bench_api_${process.pid}`);

console.error(`Loading ${FACILITIES} facilities into PostgreSQL…`);
const config = loadConfig({ SUANLI_DEMO_PASSWORD: PASSWORD, SUANLI_RATE_LIMIT_PER_MINUTE: '0' }, { databaseUrl: database.url, port: 0, host: '127.0.0.1', logLevel: 'silent' });
const platform = await createPlatform(config, { demo: { facilities: FACILITIES }, log: pino({ level: 'silent' }) });
const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });
const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gov-national', password: PASSWORD } });
const token = login.json().token as string;
const headers = { authorization: `Bearer ${token}` };
const listPath = '/api/v1/facilities?limit=50&region=140000&sort=-racksDesigned';
const listBody = (await platform.app.inject({ method: 'GET', url: listPath, headers })).body;
const firstId = JSON.parse(listBody).items[0].id as string;
const detailPath = `/api/v1/facilities/${firstId}`;
const detailBody = (await platform.app.inject({ method: 'GET', url: detailPath, headers })).body;

// The reference: the same JSON from memory, no database, no auth.
const bare = Fastify();
bare.get('/list', async (_req, reply) => reply.type('application/json').send(listBody));
bare.get('/detail', async (_req, reply) => reply.type('application/json').send(detailBody));
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

// The load generator runs in its own process so it does not share the server's event loop.
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
async function load(target: string, hdrs: Record<string, string> = {}) {
  const args = [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(DURATION), ...Object.entries(hdrs).flatMap(([k, v]) => ['-H', `${k}=${v}`]), target];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; latency: Record<string, number>; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p95: result.latency.p97_5 ?? result.latency.p99, p50: result.latency.p50, p99: result.latency.p99 };
}

const rows: string[] = [];
for (const [name, path, barePath] of [
  ['list (50 of a province, sorted)', listPath, '/list'],
  ['detail', detailPath, '/detail'],
] as const) {
  const suanli = await load(`${address}${path}`, headers);
  const reference = await load(`${bareAddress}${barePath}`);
  const line = `| ${name} | ${suanli.rps.toFixed(0)} | ${suanli.p50} / ${suanli.p95} / ${suanli.p99} | ${reference.rps.toFixed(0)} | ${reference.p50} / ${reference.p95} / ${reference.p99} | ${(suanli.rps / reference.rps).toFixed(3)} |`;
  console.log(line);
  rows.push(line);
}

await bare.close();
await platform.close();
await database.drop();

const table = [
  `## API: facility list and detail (\`npm run bench:api\`)`,
  '',
  `${FACILITIES} facilities on PostgreSQL 15 (local), ${CONNECTIONS} connections for ${DURATION} s each over loopback with autocannon in a separate process; ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. The machine has 2 cores shared by server, database and load generator, so absolute figures are modest; the ratio is the point.`,
  'Reference: a bare Fastify route returning the same JSON bytes from memory (no database, no authentication). Latency in ms (p50 / p97.5 / p99; autocannon reports p97.5, the nearest to p95).',
  '',
  '| request | Suanli req/s | Suanli latency ms | bare req/s | bare latency ms | ratio (Suanli / bare) |',
  '| --- | ---: | --- | ---: | --- | ---: |',
  ...rows,
].join('\n');
recordBenchmark('api', table);
console.log('\nRecorded in docs/benchmarks.md');
