// Retention per resolution (src/monitoring/retention.ts) with a manual clock: raw day partitions
// dropped once past SUANLI_RETENTION_RAW_DAYS and folded, rollup rows deleted once past their level's
// retention and folded into the next, and the series API answering old ranges from what is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { runRetention } from '../../src/monitoring/retention.ts';
import { runRollups } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { encoded, remoteWriteHeaders, SUPPLIER_PASSWORD, supplierWithFacility } from './monitoring-fixtures.ts';

describe(`monitoring retention (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock('2026-10-01T12:00:00Z');
  let facility = { orgId: '', token: '', facilityId: '' };
  let ingestToken = '';
  const query = <T>(statement: string, params: unknown[] = []) => t.platform.deps.database.query<T>(statement, params);
  const partitions = async () =>
    (await query<{ name: string }>(`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'metric_samples'::regclass order by 1`)).map((r) => r.name);
  const rows = async (table: string) => (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n;
  const write = async (samples: { value: number; timestamp: number }[]) => {
    const response = await t.inject('POST', '/api/v1/write', {
      payload: encoded({ timeseries: [{ labels: [{ name: '__name__', value: 'node_load1' }, { name: 'instance', value: 'a' }], samples }] }),
      headers: remoteWriteHeaders(ingestToken),
    });
    expect(response.statusCode, response.body).toBe(204);
  };
  const series = async (from: string, to: string, step?: number) => {
    // A session lasts 12 hours of the manual clock, which jumps by weeks: sign in again.
    const token = await t.login('mon-retention', SUPPLIER_PASSWORD);
    const response = await t.inject('GET', `/api/v1/facilities/${facility.facilityId}/series?metric=node_load1&from=${from}&to=${to}${step ? `&step=${step}` : ''}`, { token });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    return { resolution: body.resolution, source: body.source, points: body.series[0]?.points ?? [] };
  };

  beforeAll(async () => {
    // Shorter rollup retention than the defaults (5 min 90 d, 1 h 2 years), so that the test walks every level in 52 days.
    t = await createTestPlatform({ clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0', SUANLI_RETENTION_RAW_DAYS: '31', SUANLI_RETENTION_5M_DAYS: '40', SUANLI_RETENTION_1H_DAYS: '50' } });
    facility = await supplierWithFacility(t, await t.login('admin', 'Root-Test-Pass-1'), 'retention');
    ingestToken = (await t.inject('POST', `/api/v1/facilities/${facility.facilityId}/ingest-tokens`, { token: facility.token, body: {} })).json().token;
    // 1 October, 10:00–11:59, one sample a minute; the value is the minute within the hour.
    await write(Array.from({ length: 120 }, (_, i) => ({ value: i % 60, timestamp: Date.parse('2026-10-01T10:00:00Z') + i * 60_000 })));
    await runRollups(t.platform.deps);
    // 2 October: one sample at 06:00, folded into the 5 min level only up to 11:55 of that day.
    clock.set('2026-10-02T12:00:00Z');
    await write([{ value: 7, timestamp: Date.parse('2026-10-02T06:00:00Z') }]);
    await runRollups(t.platform.deps);
  });
  afterAll(async () => t?.close());

  it('keeps raw days within the retention', async () => {
    expect(await runRetention(t.platform.deps)).toEqual({ droppedPartitions: [], deleted: { metric_samples_default: 0, metric_rollups_5m: 0, metric_rollups_1h: 0 } });
    expect(await partitions()).toEqual(['metric_samples_20261001', 'metric_samples_20261002', 'metric_samples_default']);
  });

  it('drops a whole day partition past the raw retention only once the day is folded into 5 min buckets', async () => {
    clock.set('2026-11-05T12:00:00Z'); // 35 days later; the rollup job has not run since 2 October
    const first = await runRetention(t.platform.deps);
    // 2 October is folded only up to 11:55: its partition stays until the rollups have caught up.
    expect(first.droppedPartitions).toEqual(['metric_samples_20261001']);
    expect(await partitions()).toEqual(['metric_samples_20261002', 'metric_samples_default']);
    await runRollups(t.platform.deps);
    expect((await runRetention(t.platform.deps)).droppedPartitions).toEqual(['metric_samples_20261002']);
    expect(await rows('metric_samples')).toBe(0);
    expect(await rows('metric_rollups_5m')).toBe(25);
  });

  it('answers a range past the raw retention from the 5 min rollups, also with an explicit step', async () => {
    const twoHours = await series('2026-10-01T10:00:00Z', '2026-10-01T12:00:00Z');
    expect(twoHours).toMatchObject({ resolution: '5m', source: 'rollup' });
    expect(twoHours.points).toHaveLength(24);
    expect(twoHours.points[0]).toEqual({ ts: '2026-10-01T10:00:00.000Z', value: 2 });
    // step=1800: 5 min buckets merged per half hour (minutes 0–29 average 14.5, 30–59 average 44.5).
    const stepped = await series('2026-10-01T10:00:00Z', '2026-10-01T12:00:00Z', 1800);
    expect(stepped).toMatchObject({ resolution: '1800s', source: 'rollup' });
    expect(stepped.points.map((p: { value: number }) => p.value)).toEqual([14.5, 44.5, 14.5, 44.5]);
    // A step finer than the rollup's is widened to it: raw samples of that day are gone.
    expect(await series('2026-10-01T10:00:00Z', '2026-10-01T10:30:00Z', 60)).toMatchObject({ resolution: '300s', source: 'rollup' });
  });

  it('deletes 5 min buckets past their retention once folded into hours, then answers from the hourly rollups', async () => {
    clock.set('2026-11-12T12:00:00Z'); // 42 days after 1 October
    await runRollups(t.platform.deps);
    const result = await runRetention(t.platform.deps);
    expect(result.deleted.metric_rollups_5m).toBe(25);
    const twoHours = await series('2026-10-01T10:00:00Z', '2026-10-01T12:00:00Z');
    expect(twoHours).toMatchObject({ resolution: '1h', source: 'rollup' });
    expect(twoHours.points).toEqual([
      { ts: '2026-10-01T10:00:00.000Z', value: 29.5 },
      { ts: '2026-10-01T11:00:00.000Z', value: 29.5 },
    ]);
  });

  it('deletes hourly buckets past their retention, then answers from the daily rollups, kept forever by default', async () => {
    clock.set('2026-11-22T12:00:00Z'); // 52 days after 1 October
    await runRollups(t.platform.deps);
    expect((await runRetention(t.platform.deps)).deleted.metric_rollups_1h).toBe(3);
    expect(await rows('metric_rollups_1h')).toBe(0);
    expect(await rows('metric_rollups_1d')).toBe(2);
    const twoDays = await series('2026-10-01T00:00:00Z', '2026-10-02T23:00:00Z');
    expect(twoDays).toMatchObject({ resolution: '1d', source: 'rollup' });
    expect(twoDays.points).toEqual([
      { ts: '2026-10-01T00:00:00.000Z', value: 29.5 },
      { ts: '2026-10-02T00:00:00.000Z', value: 7 },
    ]);
    // Running again changes nothing.
    expect(await runRetention(t.platform.deps)).toEqual({ droppedPartitions: [], deleted: { metric_samples_default: 0, metric_rollups_5m: 0, metric_rollups_1h: 0 } });
  });
});
