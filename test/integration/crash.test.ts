// Crash safety of ingestion: a real `suanli serve` is SIGKILLed several times during sustained
// remote_write from a client that retries like Prometheus, and restarted on the same data (PGlite
// directory, or a fresh PostgreSQL database when TEST_DATABASE_URL is set). Every acknowledged sample
// must be stored, none twice. The figures of a larger run are in docs/benchmarks.md (`npm run bench:crash`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../bench/record.ts';
import { runCrashScenario } from '../../bench/crash-scenario.ts';
import { databaseKind, TEST_DATABASE_URL } from '../harness.ts';

describe(`ingestion survives SIGKILL of the server (${databaseKind})`, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suanli-crash-'));
  let drop: (() => Promise<void>) | null = null;
  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged sample exactly once across three kills and restarts', { timeout: 180_000 }, async () => {
    let databaseUrl: string | null = null;
    if (TEST_DATABASE_URL) {
      const fresh = await freshPostgresDatabase(TEST_DATABASE_URL, `suanli_crash_${process.pid}`);
      databaseUrl = fresh.url;
      drop = fresh.drop;
    }
    const lines: string[] = [];
    const report = await runCrashScenario({ databaseUrl, dataDir, series: 400, rounds: 150, batch: 500, shards: 4, kills: 3, seed: 20261126, log: (line) => lines.push(line) });
    const summary = `${lines.join('\n')}\n${JSON.stringify(report)}`;
    expect(report.kills, summary).toBe(3);
    // Each kill hit requests in flight, which the client had to send again.
    expect(report.inFlightAtKill.every((n) => n > 0), summary).toBe(true);
    expect(report.retries, summary).toBeGreaterThan(0);
    expect(report.recoveryMs, summary).toHaveLength(3);
    expect(report.requestsAcked, summary).toBe(report.requests);
    expect(report.samplesAcked, summary).toBe(400 * 150);
    expect(report.lost, summary).toBe(0);
    expect(report.unexpected, summary).toBe(0);
    expect(report.duplicateSamples, summary).toBe(0);
    expect(report.duplicateSeries, summary).toBe(0);
    expect(report.stored, summary).toBe(report.samplesAcked);
    console.log(`crash test (${databaseKind}): ${report.samplesAcked} samples acknowledged in ${report.requests} requests, ${report.retries} failed attempts retried (${report.requestsRetried} requests), ${report.kills} kills, lost 0, duplicated 0; recovery ${report.recoveryMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  });
});
