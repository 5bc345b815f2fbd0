import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { createAgent, type AgentLog } from '../../src/monitoring/agent/agent.ts';
import { createBuffer } from '../../src/monitoring/agent/buffer.ts';
import { parseProbeTargets, tcpConnectRtt } from '../../src/monitoring/agent/probe.ts';
import { runNetworkFold } from '../../src/monitoring/network/service.ts';
import { execProgram, readProcFiles } from '../../src/monitoring/agent/system.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { supplierWithFacility } from './monitoring-fixtures.ts';

/** A loopback port nothing listens on: the platform, down. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(`suanli agent against a live platform (${databaseKind})`, () => {
  let t: TestPlatform;
  let url = '';
  let livePort = 0;
  let downPort = 0;
  let supplier = { orgId: '', token: '', facilityId: '' };
  let ingestToken = '';
  const bufferDir = mkdtempSync(path.join(tmpdir(), 'suanli-agent-it-'));
  // Samples are stamped by the agent's clock: start in the recent past so every tick stays behind the platform's now.
  const clock = manualClock(new Date(Date.now() - 10 * 60_000));
  const logs: string[] = [];
  const log: AgentLog = { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) };
  let collectedTotal = 0;

  const agentFor = (target: string) =>
    createAgent(
      {
        clock,
        fetch: globalThis.fetch,
        readProc: () => readProcFiles(),
        // The real thing: nvidia-smi is not installed on the test machines, so GPUs are skipped.
        exec: (file, args) => execProgram(file, args),
        probe: (probeTarget) => tcpConnectRtt(probeTarget, 2000),
        buffer: createBuffer({ dir: bufferDir, maxBytes: 10 * 1024 * 1024, warn: log.warn }),
        random: () => 0.5,
        log,
      },
      { url: target, token: ingestToken, probes: parseProbeTargets(`140100=127.0.0.1:${livePort},127.0.0.1:${downPort}`), instance: 'agent-it' },
    );
  const storedSamples = async () => (await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from metric_samples'))[0].n;
  const load1Points = async () => {
    const from = new Date(clock.now().getTime() - 3_600_000).toISOString();
    const to = new Date(clock.now().getTime() + 60_000).toISOString();
    const response = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=node_load1&from=${from}&to=${to}`, { token: supplier.token });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().series as { points: { ts: string }[] }[]).flatMap((s) => s.points.map((p) => p.ts));
  };

  beforeAll(async () => {
    t = await createTestPlatform({ env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    const admin = await t.login('admin', 'Root-Test-Pass-1');
    supplier = await supplierWithFacility(t, admin, 'agent');
    const created = await t.inject('POST', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: supplier.token, body: { name: 'agent-it' } });
    expect(created.statusCode, created.body).toBe(201);
    ingestToken = created.json().token;
    url = await t.platform.app.listen({ port: 0, host: '127.0.0.1' });
    livePort = Number(new URL(url).port);
    downPort = await deadPort();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(bufferDir, { recursive: true, force: true });
  });

  it('collects from the real /proc and the samples arrive under the facility', async () => {
    const agent = agentFor(url);
    for (let i = 0; i < 3; i++) {
      const report = await agent.tick();
      expect(report, JSON.stringify(logs)).toMatchObject({ sent: 1, rejected: 0, buffered: false });
      collectedTotal += report.collected;
      clock.advance(15_000);
    }
    expect(await load1Points()).toHaveLength(3);
    const latest = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/metrics/latest`, { token: supplier.token });
    const items = latest.json().items as { metric: string; labels: Record<string, string>; value: number }[];
    const find = (metric: string, target?: string) => items.find((i) => i.metric === metric && (!target || i.labels.target === target));
    expect(find('availability')).toMatchObject({ labels: { instance: 'agent-it' }, value: 1 });
    expect(find('node_memory_MemTotal_bytes')!.value).toBeGreaterThan(0);
    expect(find('probe_up', `127.0.0.1:${livePort}`)!.value).toBe(1);
    expect(find('probe_rtt_ms', `127.0.0.1:${livePort}`)!.value).toBeLessThan(2000);
    expect(find('probe_up', `127.0.0.1:${downPort}`)!.value).toBe(0);
    expect(find('probe_rtt_ms', `127.0.0.1:${downPort}`)).toBeUndefined();
    // The live target was given as 140100=host:port: a probe of 太原's PoP, folded into the latency matrix.
    expect(find('probe_rtt_ms', `127.0.0.1:${livePort}`)!.labels).toMatchObject({ peer: '140100', target: `127.0.0.1:${livePort}` });
    expect(find('probe_up', `127.0.0.1:${downPort}`)!.labels.peer).toBeUndefined();
    expect(await runNetworkFold(t.platform.deps)).toBe(1);
    const circles = await t.inject('GET', '/api/v1/network/circles?city=140100', { token: supplier.token });
    expect(circles.json().facilities.find((f: { id: string }) => f.id === supplier.facilityId)).toMatchObject({ basis: 'measured', origin: 'probe' });
    expect(items.some((i) => i.metric.startsWith('accelerator'))).toBe(false);
    expect(logs).toContain('info nvidia-smi is not installed: no GPU metrics');
    expect(await storedSamples()).toBe(collectedTotal);
  });

  it('buffers while the platform is down and delivers everything once, oldest first, when it is back', async () => {
    const down = agentFor(`http://127.0.0.1:${downPort}`);
    for (let i = 0; i < 2; i++) {
      const report = await down.tick();
      expect(report).toMatchObject({ sent: 0, buffered: true });
      collectedTotal += report.collected;
      clock.advance(15_000);
    }
    expect(logs.some((l) => l.includes('ECONNREFUSED'))).toBe(true);
    expect(await load1Points()).toHaveLength(3);

    // Keep a copy of the buffer as it is now, to replay it as a crash between send and removal would.
    const segments = readdirSync(bufferDir);
    expect(segments.length).toBeGreaterThan(0);
    const saved = mkdtempSync(path.join(tmpdir(), 'suanli-agent-saved-'));
    for (const name of segments) copyFileSync(path.join(bufferDir, name), path.join(saved, name));

    // A restarted agent on the same buffer directory, the platform reachable again.
    const back = agentFor(url);
    const report = await back.tick();
    collectedTotal += report.collected;
    expect(report).toMatchObject({ sent: 3, rejected: 0, buffered: false });
    expect(readdirSync(bufferDir)).toEqual([]);
    const points = await load1Points();
    expect(points).toHaveLength(6);
    expect(new Set(points).size).toBe(6);
    expect(await storedSamples()).toBe(collectedTotal);

    // Replaying the already delivered batches stores nothing twice: samples carry their own timestamps.
    for (const name of segments) copyFileSync(path.join(saved, name), path.join(bufferDir, name));
    rmSync(saved, { recursive: true, force: true });
    clock.advance(15_000);
    const replay = await agentFor(url).tick();
    collectedTotal += replay.collected;
    expect(replay).toMatchObject({ sent: 3, buffered: false });
    expect(await load1Points()).toHaveLength(7);
    expect(await storedSamples()).toBe(collectedTotal);
  });
});
