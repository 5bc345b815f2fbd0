import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { runRollups, startRollupTimer } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { encoded, remoteWriteHeaders, supplierWithFacility } from './monitoring-fixtures.ts';

const NOW = '2026-11-26T11:00:00.000Z';
const at = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00Z`);

describe(`monitoring rollups (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock(NOW);
  let facility = { orgId: '', token: '', facilityId: '' };
  let ingestToken = '';
  const query = <T>(statement: string, params: unknown[] = []) => t.platform.deps.database.query<T>(statement, params);
  const write = (timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[]) =>
    t.inject('POST', '/api/v1/write', { payload: encoded({ timeseries }), headers: remoteWriteHeaders(ingestToken) });

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    facility = await supplierWithFacility(t, await t.login('admin', 'Root-Test-Pass-1'), 'rollup');
    ingestToken = (await t.inject('POST', `/api/v1/facilities/${facility.facilityId}/ingest-tokens`, { token: facility.token, body: {} })).json().token;
    // Two series, one sample a minute from 09:00 to 10:59; the value is the minute within the hour.
    const samples = Array.from({ length: 120 }, (_, i) => ({ value: i % 60, timestamp: at('09:00') + i * 60_000 }));
    const response = await write(['a', 'b'].map((host) => ({ labels: [{ name: '__name__', value: 'node_load1' }, { name: 'instance', value: host }], samples })));
    expect(response.statusCode, response.body).toBe(204);
  });
  afterAll(async () => t?.close());

  it('folds closed buckets: 5 min from raw samples, 1 h from complete 5 min ones', async () => {
    const covered = await runRollups(t.platform.deps);
    // 10:58 is the last moment late samples are still waited for: the 10:55 bucket stays open.
    expect(covered).toEqual({ '5m': '2026-11-26T10:55:00.000Z', '1h': '2026-11-26T10:00:00.000Z', '1d': '2026-11-26T00:00:00.000Z' });
    const fiveMinutes = await query<{ bucket: string; min: number; max: number; sum: number; count: number; last: number }>(
      `select to_char(bucket at time zone 'UTC', 'HH24:MI') as bucket, min, max, sum, count::int as count, last from metric_rollups_5m r join metric_series s on s.id = r.series_id where s.labels->>'instance' = 'a' order by r.bucket`,
    );
    expect(fiveMinutes).toHaveLength(23);
    expect(fiveMinutes[0]).toEqual({ bucket: '09:00', min: 0, max: 4, sum: 10, count: 5, last: 4 });
    expect(fiveMinutes.at(-1)!.bucket).toBe('10:50');
    const hours = await query<{ count: number; min: number; max: number; avg: number; last: number }>(
      `select count::int as count, min, max, sum / count as avg, last from metric_rollups_1h r join metric_series s on s.id = r.series_id where s.labels->>'instance' = 'a'`,
    );
    expect(hours).toEqual([{ count: 60, min: 0, max: 59, avg: 29.5, last: 59 }]);
  });

  it('is idempotent and folds only what closed since the last run', async () => {
    const count = async () => (await query<{ n: number }>('select count(*)::int as n from metric_rollups_5m'))[0].n;
    const before = await count();
    await runRollups(t.platform.deps);
    expect(await count()).toBe(before);
    clock.set('2026-11-26T11:03:00Z');
    await runRollups(t.platform.deps);
    expect(await count()).toBe(before + 2); // the 10:55 bucket of both series
  });

  it('answers a day-long range from the 5 min rollups, the open buckets from raw samples', async () => {
    const response = await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/series?metric=node_load1&from=2026-11-25T11:05:00Z&to=2026-11-26T11:03:00Z`, { token: facility.token });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ resolution: '5m', stepSeconds: 300, source: 'rollup+raw' });
    const a = body.series.find((s: { labels: Record<string, string> }) => s.labels.instance === 'a');
    expect(a.points).toHaveLength(24);
    expect(a.points[0]).toEqual({ ts: '2026-11-26T09:00:00.000Z', value: 2 });
    expect(a.points.at(-1)).toEqual({ ts: '2026-11-26T10:55:00.000Z', value: 57 });
  });

  it('runs on a timer that stops cleanly', async () => {
    await query('delete from metric_rollup_state');
    const timer = startRollupTimer(t.platform.deps, 20);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await query<{ n: number }>('select count(*)::int as n from metric_rollup_state'))[0].n < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await timer.stop();
    expect((await query<{ n: number }>('select count(*)::int as n from metric_rollup_state'))[0].n).toBe(3);
  });
});
