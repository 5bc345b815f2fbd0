// npx node bench/demo-network.ts on|off — times the start of the full demo (PGlite, fresh data
// directory) with or without the demo latency matrix (src/demo/network.ts), and with it, the
// network API's answers on it (first read after the load, then cached). Run both, one process each,
// on a quiet machine: the difference is the matrix's share of the demo start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createPlatform } from '../src/platform.ts';

const withNetwork = process.argv[2] !== 'off';
const PASSWORD = 'Bench-Demo-Pass-42';
const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-demo-network-'));
const config = loadConfig({ SUANLI_DEMO_PASSWORD: PASSWORD, SUANLI_ROLLUP_INTERVAL_SECONDS: '0' }, { dataDir, databaseUrl: null, port: 0, host: '127.0.0.1', logLevel: 'silent' });
try {
  const started = performance.now();
  const platform = await createPlatform(config, { demo: { network: withNetwork }, demoTrickleIntervalMs: 0, log: pino({ level: 'silent' }) });
  console.log(JSON.stringify({ network: withNetwork, demoStartMs: Math.round(performance.now() - started), matrix: platform.demo?.network ?? null }));
  if (withNetwork) {
    const token = (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gov-national', password: PASSWORD } })).json().token as string;
    for (const url of [
      '/api/v1/network/latency',
      '/api/v1/network/latency',
      '/api/v1/network/latency?level=province',
      '/api/v1/network/latency?level=province',
      '/api/v1/network/latency?level=city&region=140000',
      '/api/v1/network/circles?city=140200',
      '/api/v1/network/circles?city=110100&limit=5000',
    ]) {
      const t0 = performance.now();
      const response = await platform.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      console.log(`${url}: ${response.statusCode} in ${Math.round(performance.now() - t0)} ms, ${response.body.length} bytes`);
    }
  }
  await platform.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
