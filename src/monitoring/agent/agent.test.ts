import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../clock.ts';
import { AgentUnauthorizedError, createAgent, runAgent, type AgentDeps } from './agent.ts';
import { createBuffer } from './buffer.ts';
import type { ProcFiles } from './proc.ts';
import type { AgentSample } from './sample.ts';

const PROC: ProcFiles = {
  stat: 'cpu  100 0 100 800 0 0 0 0 0 0\n',
  meminfo: 'MemTotal: 1000 kB\nMemAvailable: 500 kB\n',
  loadavg: '0.50 0.40 0.30 1/100 123\n',
  netDev: 'h1\nh2\n  eth0: 0 0 0 0 0 0 0 0 1000 0 0 0 0 0 0 0\n',
  uptime: '100.0 50.0\n',
};
const absent = async () => {
  throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
};

/** A platform stand-in: answers each POST with the next scripted status (200 when the script runs out). */
function fakePlatform(script: (number | 'refused' | { status: number; retryAfter: string })[] = []) {
  const received: AgentSample[][] = [];
  const fetchFn = (async (_url: URL, init: RequestInit) => {
    const next = script.shift() ?? 200;
    if (next === 'refused') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const status = typeof next === 'number' ? next : next.status;
    const headers = typeof next === 'number' ? {} : { 'retry-after': next.retryAfter };
    if (status === 200) received.push((JSON.parse(init.body as string) as { samples: AgentSample[] }).samples);
    return new Response(JSON.stringify(status === 200 ? { inserted: 1 } : { code: `E${status}` }), { status, headers });
  }) as unknown as typeof fetch;
  return { fetchFn, received, calls: () => received.length };
}

describe('the agent loop', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const setup = (fetchFn: typeof fetch, overrides: Partial<AgentDeps> = {}) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'suanli-agent-'));
    dirs.push(dir);
    const clock = manualClock('2026-11-26T10:00:00Z');
    const logs: string[] = [];
    const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
    const buffer = createBuffer({ dir, maxBytes: 1024 * 1024, warn: log.warn });
    const deps: AgentDeps = { clock, fetch: fetchFn, readProc: async () => PROC, exec: absent, probe: async () => null, buffer, random: () => 1, log, ...overrides };
    const agent = createAgent(deps, { url: 'http://platform:8080', token: 'sli_t', probes: [], instance: 'node-1' });
    return { agent, clock, logs, buffer };
  };

  it('skips GPUs when nvidia-smi is absent, and asks only once', async () => {
    let execCalls = 0;
    const platform = fakePlatform();
    const { agent, logs } = setup(platform.fetchFn, {
      exec: async () => {
        execCalls += 1;
        return absent();
      },
    });
    await agent.tick();
    await agent.tick();
    expect(execCalls).toBe(1);
    expect(logs.filter((l) => l.includes('nvidia-smi is not installed'))).toHaveLength(1);
    const metrics = platform.received.flat().map((s) => s.metric);
    expect(metrics).toContain('node_load1');
    expect(metrics.some((m) => m.startsWith('accelerator'))).toBe(false);
    expect(platform.received.flat().every((s) => s.labels.instance === 'node-1')).toBe(true);
  });

  it('sends GPU metrics when nvidia-smi answers', async () => {
    const platform = fakePlatform();
    const { agent } = setup(platform.fetchFn, { exec: async () => '0, NVIDIA H100 80GB HBM3, 50, 1, 81559, 300.5, 40\n' });
    await agent.tick();
    const samples = platform.received.flat();
    expect(samples.find((s) => s.metric === 'accelerator_utilization')).toMatchObject({ labels: { instance: 'node-1', gpu: '0', model: 'NVIDIA H100 80GB HBM3' }, value: 0.5 });
    expect(samples.find((s) => s.metric === 'accelerators_healthy')?.value).toBe(1);
  });

  it('buffers through an outage, backs off, and then delivers oldest first before new samples', async () => {
    const platform = fakePlatform(['refused', 'refused']);
    const { agent, clock, buffer } = setup(platform.fetchFn);
    const first = await agent.tick();
    expect(first).toMatchObject({ sent: 0, buffered: true, nextAttemptAt: clock.now().getTime() + 1000 });
    clock.advance(500);
    // Inside the back-off window: buffered without trying.
    expect(await agent.tick()).toMatchObject({ sent: 0, buffered: true });
    clock.advance(1000);
    // Tries again, fails again: the back-off doubles.
    const third = await agent.tick();
    expect(third.nextAttemptAt).toBe(clock.now().getTime() + 2000);
    expect(await buffer.pending()).toBe(3);
    clock.advance(2000);
    const fourth = await agent.tick();
    expect(fourth).toMatchObject({ sent: 4, buffered: false, nextAttemptAt: 0 });
    expect(await buffer.pending()).toBe(0);
    // The four collections arrive in order, in one merged request, each once.
    expect(platform.calls()).toBe(1);
    const times = [...new Set(platform.received.flat().map((sample) => sample.ts))];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times).toHaveLength(4);
  });

  it('honours Retry-After on 429 and 503', async () => {
    const platform = fakePlatform([{ status: 429, retryAfter: '7' }]);
    const { agent, clock } = setup(platform.fetchFn);
    const report = await agent.tick();
    expect(report.nextAttemptAt).toBe(clock.now().getTime() + 7000);
    expect(report.buffered).toBe(true);
  });

  it('drops a batch refused with 400, logging why, and keeps going', async () => {
    const platform = fakePlatform([400]);
    const { agent, logs, buffer } = setup(platform.fetchFn);
    expect(await agent.tick()).toMatchObject({ rejected: 1, buffered: false });
    expect(await buffer.pending()).toBe(0);
    expect(logs.some((l) => l.startsWith('error') && l.includes('HTTP 400'))).toBe(true);
    expect(await agent.tick()).toMatchObject({ sent: 1 });
  });

  it('stops with a clear message on 401', async () => {
    const platform = fakePlatform([401]);
    const { agent } = setup(platform.fetchFn);
    await expect(agent.tick()).rejects.toThrow(AgentUnauthorizedError);
    await expect(setup(fakePlatform([401]).fetchFn).agent.tick()).rejects.toThrow(/create a new one/);
  });

  it('ticks on the interval, measured from the start of each tick', async () => {
    const platform = fakePlatform();
    const { agent, clock } = setup(platform.fetchFn);
    const sleeps: number[] = [];
    await runAgent(agent, clock, async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    }, 15_000, undefined, 3);
    expect(platform.calls()).toBe(3);
    expect(sleeps).toEqual([15_000, 15_000]);
    expect(platform.received.map((b) => b[0].ts - platform.received[0][0].ts)).toEqual([0, 15_000, 30_000]);
  });
});
