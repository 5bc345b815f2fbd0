// npx node bench/regions.ts — request times of GET /api/v1/monitoring/regions/{code} on the full demo
// (2,400 facilities, 87 with telemetry) on PGlite, as the national reviewer (nothing withheld) and as a
// demander (the disclosure rule at work). Prints a Markdown table; records nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { runRollups } from '../src/monitoring/rollups.ts';
import { createPlatform } from '../src/platform.ts';
import { machine, percentile } from './record.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 20);
const PASSWORD = 'Bench-Demo-Pass-1';
const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-bench-regions-'));
const config = loadConfig({ SUANLI_DEMO_PASSWORD: PASSWORD, SUANLI_RATE_LIMIT_PER_MINUTE: '0', SUANLI_ROLLUP_INTERVAL_SECONDS: '0' }, { dataDir, databaseUrl: null, port: 0, host: '127.0.0.1', logLevel: 'silent' });
console.error('Loading the full demo…');
const started = Date.now();
const platform = await createPlatform(config, { demo: true, demoTrickleIntervalMs: 0, log: pino({ level: 'silent' }) });
console.error(`…in ${((Date.now() - started) / 1000).toFixed(1)} s`);
// As the platform's rollup timer does every minute: the 5 min buckets up to a few minutes ago are folded.
await runRollups(platform.deps);
try {
  const token = async (username: string) => (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } })).json().token as string;
  const rows: string[] = [];
  for (const username of ['gov-national', 'demander']) {
    const headers = { authorization: `Bearer ${await token(username)}` };
    for (const query of ['000000?trend=false', '140200?trend=false', '000000', '140000', '140200', '000000?range=7d', '000000?range=30d']) {
      const url = `/api/v1/monitoring/regions/${query}`;
      const first = await platform.app.inject({ method: 'GET', url, headers });
      if (first.statusCode !== 200) throw new Error(`${url}: ${first.statusCode} ${first.body}`);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        const response = await platform.app.inject({ method: 'GET', url, headers });
        times.push(performance.now() - t0);
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
      }
      times.sort((a, b) => a - b);
      const body = first.json();
      rows.push(`| ${username} | \`${query}\` | ${body.totals.facilities.reporting} / ${body.trend?.points.length ?? '–'} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} |`);
      console.error(rows.at(-1));
    }
  }
  console.log(`${machine()}, PGlite, ${ROUNDS} requests each (in-process inject)\n`);
  console.log('| as | region | reporting / trend points | p50 ms | p95 ms |\n| --- | --- | --- | --- | --- |');
  console.log(rows.join('\n'));
} finally {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
}
