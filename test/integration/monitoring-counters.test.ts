// cpu_utilization and egress_gbps derived from node_exporter's counters by the rollup job
// (src/monitoring/derived.ts), with a manual clock: exact values, counter resets, gaps, idempotence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { runRollups } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { encoded, remoteWriteHeaders, supplierWithFacility } from './monitoring-fixtures.ts';

const NOW = '2026-11-26T11:00:00.000Z';
const START = Date.parse('2026-11-26T10:00:00Z');
const SCRAPES = 120; // every 15 s from 10:00:00 to 10:29:45
const tsOf = (k: number) => START + k * 15_000;

type Series = { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] };
const labelsOf = (metric: string, labels: Record<string, string>) => [{ name: '__name__', value: metric }, ...Object.entries(labels).map(([name, value]) => ({ name, value }))];
/** A counter growing by `increase` per scrape from `base`; with `resetAt`, the exporter restarted just before that scrape (counting from 0 again). */
const counter = (metric: string, labels: Record<string, string>, base: number, increase: number, resetAt?: number, scrapes = Array.from({ length: SCRAPES }, (_, k) => k)): Series => ({
  labels: labelsOf(metric, labels),
  samples: scrapes.map((k) => ({ timestamp: tsOf(k), value: resetAt !== undefined && k >= resetAt ? (k - resetAt + 1) * increase : base + k * increase })),
});
const cpu = (instance: string, cpuId: string, mode: string, base: number, increase: number, resetAt?: number, scrapes?: number[]) =>
  counter('node_cpu_seconds_total', { cpu: cpuId, instance, job: 'node', mode }, base, increase, resetAt, scrapes);
const tx = (instance: string, device: string, base: number, increase: number, resetAt?: number) => counter('node_network_transmit_bytes_total', { device, instance, job: 'node' }, base, increase, resetAt);

describe(`vocabulary from counters (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock(NOW);
  let facility = { orgId: '', token: '', facilityId: '' };
  const query = <T>(statement: string, params: unknown[] = []) => t.platform.deps.database.query<T>(statement, params);
  const series = async (metric: string, from: string, to: string) => {
    const response = await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/series?metric=${metric}&from=${from}&to=${to}`, { token: facility.token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { resolution: string; source: string; series: { labels: Record<string, string>; points: { ts: string; value: number }[] }[] };
  };
  const of = (body: Awaited<ReturnType<typeof series>>, instance: string) => body.series.find((s) => s.labels.instance === instance)!;
  const derivedCount = async () =>
    (await query<{ n: number }>(`select count(*)::int as n from metric_samples x join metric_series s on s.id = x.series_id where s.metric in ('cpu_utilization', 'egress_gbps')`))[0].n;

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    facility = await supplierWithFacility(t, await t.login('admin', 'Root-Test-Pass-1'), 'counters');
    const ingestToken = (await t.inject('POST', `/api/v1/facilities/${facility.facilityId}/ingest-tokens`, { token: facility.token, body: {} })).json().token;
    const timeseries: Series[] = [
      // a: two CPUs; per 15 s scrape 30 CPU-seconds, 22 of them idle or iowait → 8/30 busy.
      cpu('a', '0', 'idle', 1000, 9),
      cpu('a', '0', 'iowait', 50, 1),
      cpu('a', '0', 'user', 300, 3),
      cpu('a', '0', 'system', 200, 2),
      cpu('a', '1', 'idle', 2000, 12),
      cpu('a', '1', 'iowait', 10, 0),
      cpu('a', '1', 'user', 400, 2),
      cpu('a', '1', 'system', 100, 1),
      // a: 1 Gbps on eth0 + 0.5 Gbps on eth1; loopback and a container's veth do not count.
      tx('a', 'eth0', 5e9, 1.875e9),
      tx('a', 'eth1', 0, 0.9375e9),
      tx('a', 'lo', 0, 1e12),
      tx('a', 'veth9', 0, 1e10),
      // b: rebooted before the scrape at 10:15 (counters from 0 again): still 1/3 busy and 0.2 Gbps throughout.
      cpu('b', '0', 'idle', 1e6, 10, 60),
      cpu('b', '0', 'user', 5e5, 5, 60),
      tx('b', 'eth0', 7e12, 3.75e8, 60),
      // c: scraped at 10:00, 10:00:15, then not for 20 minutes (10:20, 10:20:15): no rate across the gap.
      cpu('c', '0', 'idle', 0, 12, undefined, [0, 1, 80, 81]),
      cpu('c', '0', 'user', 0, 3, undefined, [0, 1, 80, 81]),
    ];
    const response = await t.inject('POST', '/api/v1/write', { payload: encoded({ timeseries }), headers: remoteWriteHeaders(ingestToken) });
    expect(response.statusCode, response.body).toBe(204);
    await runRollups(t.platform.deps);
  });
  afterAll(async () => t?.close());

  it('derives one cpu_utilization sample per scrape and instance, across a counter reset', async () => {
    const body = await series('cpu_utilization', '2026-11-26T10:00:00Z', '2026-11-26T10:30:00Z');
    expect(body.resolution).toBe('raw');
    expect(body.series.map((s) => s.labels).sort((x, y) => x.instance.localeCompare(y.instance))).toEqual([
      { instance: 'a', job: 'node' },
      { instance: 'b', job: 'node' },
      { instance: 'c', job: 'node' },
    ]);
    const a = of(body, 'a');
    // The first scrape has no previous sample.
    expect(a.points).toHaveLength(SCRAPES - 1);
    expect(a.points[0].ts).toBe('2026-11-26T10:00:15.000Z');
    for (const p of a.points) expect(p.value).toBeCloseTo(8 / 30, 12);
    const b = of(body, 'b');
    expect(b.points).toHaveLength(SCRAPES - 1);
    for (const p of b.points) expect(p.value).toBeCloseTo(1 / 3, 12);
    const c = of(body, 'c').points;
    expect(c.map((p) => p.ts)).toEqual(['2026-11-26T10:00:15.000Z', '2026-11-26T10:20:15.000Z']);
    for (const p of c) expect(p.value).toBeCloseTo(0.2, 12);
  });

  it('derives egress_gbps summed over the uplink devices, across a counter reset', async () => {
    const body = await series('egress_gbps', '2026-11-26T10:00:00Z', '2026-11-26T10:30:00Z');
    expect(body.series.map((s) => s.labels.instance).sort()).toEqual(['a', 'b']);
    expect(of(body, 'a').labels).toEqual({ instance: 'a', job: 'node' });
    expect(of(body, 'a').points).toHaveLength(SCRAPES - 1);
    for (const p of of(body, 'a').points) expect(p.value).toBeCloseTo(1.5, 9);
    for (const p of of(body, 'b').points) expect(p.value).toBeCloseTo(0.2, 9);
  });

  it('moves the latest values, and folds the derived series into the rollups', async () => {
    const latest = (await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/metrics/latest?metric=egress_gbps`, { token: facility.token })).json();
    expect(latest.items.find((i: { labels: Record<string, string> }) => i.labels.instance === 'a')).toMatchObject({ ts: '2026-11-26T10:29:45.000Z' });
    const day = await series('cpu_utilization', '2026-11-25T12:00:00Z', '2026-11-26T10:55:00Z');
    expect(day).toMatchObject({ resolution: '5m', source: 'rollup+raw' });
    const a = of(day, 'a');
    expect(a.points.map((p) => p.ts.slice(11, 16))).toEqual(['10:00', '10:05', '10:10', '10:15', '10:20', '10:25']);
    for (const p of a.points) expect(p.value).toBeCloseTo(8 / 30, 12);
    // The raw counters are kept as they came.
    const raw = await query<{ n: number }>(`select count(*)::int as n from metric_samples x join metric_series s on s.id = x.series_id where s.metric = 'node_cpu_seconds_total'`);
    expect(raw[0].n).toBe(10 * SCRAPES + 2 * 4);
  });

  it('stores nothing twice when the rollup job derives the same span again (a run interrupted before its commit)', async () => {
    const before = await derivedCount();
    // cpu_utilization of a and b, two of c; egress_gbps of a and b.
    expect(before).toBe(2 * (SCRAPES - 1) + 2 + 2 * (SCRAPES - 1));
    await query('delete from metric_rollup_state');
    await runRollups(t.platform.deps);
    expect(await derivedCount()).toBe(before);
    const duplicates = await query<{ n: number }>('select count(*)::int as n from (select facility_id, labels_hash from metric_series group by 1, 2 having count(*) > 1) d');
    expect(duplicates[0].n).toBe(0);
  });
});
