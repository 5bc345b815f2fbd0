// A stock Prometheus remote-writes node_exporter's samples to a running Suanli (issue 3, "Real parts").
// Needs Debian's `prometheus` and `prometheus-node-exporter` (.ci/run installs them); both run on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_INTERFACE } from '../../src/monitoring/agent/proc.ts';
import { deriveCounterRates } from '../../src/monitoring/derived.ts';
import { createTestPlatform, databaseKind, freePort, type TestPlatform } from '../harness.ts';
import { supplierWithFacility } from '../integration/monitoring-fixtures.ts';


describe(`a stock Prometheus remote-writes to Suanli (${databaseKind})`, () => {
  let t: TestPlatform;
  let dir = '';
  const children: ChildProcess[] = [];
  let facility = { orgId: '', token: '', facilityId: '' };

  const start = (name: string, command: string, args: string[]) => {
    const log = openSync(path.join(dir, `${name}.log`), 'a');
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    children.push(child);
    return child;
  };
  const tail = (name: string) => {
    try {
      return readFileSync(path.join(dir, `${name}.log`), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'suanli-prom-'));
    t = await createTestPlatform();
    const address = await t.platform.app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await t.login('admin', 'Root-Test-Pass-1');
    facility = await supplierWithFacility(t, admin, 'prom');
    const created = await t.inject('POST', `/api/v1/facilities/${facility.facilityId}/ingest-tokens`, { token: facility.token, body: { name: 'prometheus' } });
    expect(created.statusCode, created.body).toBe(201);
    const ingestToken = created.json().token as string;

    const exporterPort = await freePort();
    const prometheusPort = await freePort();
    writeFileSync(
      path.join(dir, 'prom.yml'),
      [
        'global: {scrape_interval: 2s, evaluation_interval: 2s}',
        `scrape_configs: [{job_name: node, static_configs: [{targets: ['127.0.0.1:${exporterPort}']}]}]`,
        'remote_write:',
        `  - url: '${address}/api/v1/write'`,
        `    authorization: {credentials: '${ingestToken}'}`,
        '    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 2s}',
        '',
      ].join('\n'),
    );
    start('node-exporter', 'prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${exporterPort}`, '--collector.disable-defaults', '--collector.loadavg', '--collector.cpu', '--collector.meminfo', '--collector.netdev']);
    start('prometheus', 'prometheus', [`--config.file=${path.join(dir, 'prom.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`]);
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers node_exporter samples under the facility, visible in the series API', async () => {
    const deadline = Date.now() + 60_000;
    let series: { labels: Record<string, string>; points: { ts: string; value: number }[] }[] = [];
    while (Date.now() < deadline) {
      for (const child of children) if (child.exitCode !== null) throw new Error(`a child exited early (${child.spawnfile}):\n${tail('prometheus')}\n${tail('node-exporter')}`);
      const response = await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/series?metric=node_load1&from=${new Date(Date.now() - 600_000).toISOString()}`, { token: facility.token });
      expect(response.statusCode, response.body).toBe(200);
      series = response.json().series;
      if (series.some((s) => s.points.length >= 2)) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(series.length, `no node_load1 samples within 60 s; prometheus log:\n${tail('prometheus')}`).toBeGreaterThan(0);
    expect(series[0].labels).toMatchObject({ job: 'node' });
    expect(series[0].points.length).toBeGreaterThanOrEqual(2);
    // `up` was mapped onto the vocabulary's availability, and the latest state is kept.
    const latest = (await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/metrics/latest?metric=availability`, { token: facility.token })).json();
    expect(latest.items).toEqual([expect.objectContaining({ metric: 'availability', value: 1, labels: expect.objectContaining({ job: 'node' }) })]);
    // Nothing was refused: Prometheus logs dropped samples on 4xx.
    expect(tail('prometheus')).not.toMatch(/non-recoverable error/);
  });

  it("derives cpu_utilization and egress_gbps from node_exporter's counters", async () => {
    type Series = { labels: Record<string, string>; points: { ts: string; value: number }[] };
    const read = async (metric: string, from: number): Promise<Series[]> => {
      const response = await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/series?metric=${metric}&from=${new Date(from).toISOString()}`, { token: facility.token });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().series;
    };
    const since = Date.now() - 600_000;
    // The rollup job derives them when it folds a span of raw samples; here over the minutes just written.
    const deadline = Date.now() + 30_000;
    let cpu: Series[] = [];
    while (Date.now() < deadline) {
      await deriveCounterRates(t.platform.deps, since, Date.now() + 1000);
      cpu = await read('cpu_utilization', since);
      if (cpu.some((s) => s.points.length >= 1)) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(cpu.length, `no cpu_utilization derived; prometheus log:\n${tail('prometheus')}`).toBe(1);
    // One series per scraped instance: the counter's labels without cpu and mode.
    expect(Object.keys(cpu[0].labels).sort()).toEqual(['instance', 'job']);
    for (const p of cpu[0].points) {
      expect(p.value).toBeGreaterThanOrEqual(0);
      expect(p.value).toBeLessThanOrEqual(1);
    }
    const devices = (await read('node_network_transmit_bytes_total', since)).map((s) => s.labels.device);
    expect(devices.length).toBeGreaterThan(0);
    const egress = await read('egress_gbps', since);
    if (devices.some((d) => !VIRTUAL_INTERFACE.test(d))) {
      expect(egress).toHaveLength(1);
      expect(Object.keys(egress[0].labels).sort()).toEqual(['instance', 'job']);
      for (const p of egress[0].points) expect(p.value).toBeGreaterThanOrEqual(0);
    } else {
      expect(egress).toEqual([]); // only virtual interfaces (ifb…) on this host
    }
  });
});
