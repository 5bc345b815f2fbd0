import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { demoTelemetryTargets, startDemoTrickle } from '../../src/demo/monitoring.ts';
import { runRollups } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

const NOW = '2026-11-26T10:30:00.000Z';
const HOUR = 3600_000;
const DAY = 86_400_000;

describe(`demo telemetry history and trickle (${databaseKind})`, () => {
  let t: TestPlatform;
  let admin = '';
  let facility = { id: '', name: '', racks_designed: 0, racks_in_use: 0 };
  const clock = manualClock(NOW);
  const series = (id: string, metric: string, fromMs: number, toMs: number, token = admin) =>
    t.inject('GET', `/api/v1/facilities/${id}/series?metric=${metric}&from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`, { token });

  beforeAll(async () => {
    t = await createTestPlatform({ demo: 'small', clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    admin = await t.login('admin');
    // A 大同 facility in operation that reports telemetry.
    facility = (
      await t.platform.deps.database.query<typeof facility>(
        `select f.id, f.name, f.racks_designed, f.racks_in_use from facilities f where f.region_code like '1402%' and f.status = 'in_operation'
           and exists (select 1 from metric_series s where s.facility_id = f.id) order by f.name limit 1`,
      )
    )[0]!;
    expect(facility).toBeDefined();
  }, 180_000);
  afterAll(async () => t?.close());

  it('writes 90 days of daily, 8 of hourly and a day of 5 min history, and the last hours raw', async () => {
    expect(t.platform.demo?.monitoring?.facilities).toBeGreaterThan(10);
    const now = clock.now().getTime();
    const ninety = (await series(facility.id, 'rack_utilization', now - 90 * DAY - HOUR, now)).json();
    expect(ninety.resolution).toBe('1d');
    expect(ninety.source).toBe('rollup+raw');
    const days = ninety.series[0].points as { ts: string; value: number }[];
    expect(days.length).toBeGreaterThanOrEqual(90);
    const ratio = facility.racks_in_use / facility.racks_designed;
    for (const p of days) expect(Math.abs(p.value - ratio)).toBeLessThan(0.1);

    const week = (await series(facility.id, 'it_power_kw', now - 7 * DAY - HOUR, now)).json();
    expect(week.resolution).toBe('1h');
    expect(week.series[0].points.length).toBeGreaterThanOrEqual(168);
    const power = week.series[0].points.map((p: { value: number }) => p.value);
    expect(Math.min(...power)).toBeGreaterThan(0);
    expect(Math.max(...power)).toBeLessThan(facility.racks_in_use * 2.5 * 1.2);

    const day = (await series(facility.id, 'pue', now - DAY, now)).json();
    expect(day.resolution).toBe('5m');
    expect(day.series[0].points.length).toBeGreaterThanOrEqual(287);

    const latest = (await t.inject('GET', `/api/v1/facilities/${facility.id}/metrics/latest`, { token: admin })).json();
    const metrics = latest.items.map((i: { metric: string }) => i.metric);
    expect(metrics).toEqual(expect.arrayContaining(['rack_utilization', 'it_power_kw', 'pue', 'availability']));
    expect(latest.items.find((i: { metric: string }) => i.metric === 'availability').ts).toBe(NOW);

    // Visible only to the owner, the region's government and administrators.
    const demander = await t.login('demander');
    expect((await series(facility.id, 'pue', now - DAY, now, demander)).statusCode).toBe(403);
    expect((await series(facility.id, 'pue', now - DAY, now, await t.login('gov-shanxi'))).statusCode).toBe(200);
  });

  it('is the same for the same seed', async () => {
    const other = await createTestPlatform({ demo: 'small', clock: manualClock(NOW), env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    try {
      const twin = (await other.platform.deps.database.query<{ id: string }>(`select id from facilities where name = $1`, [facility.name]))[0]!;
      const otherAdmin = await other.login('admin');
      const now = Date.parse(NOW);
      for (const [metric, range] of [
        ['pue', 90 * DAY + HOUR],
        ['it_power_kw', DAY],
      ] as const) {
        const mine = (await series(facility.id, metric, now - range, now)).json();
        const theirs = (
          await other.inject('GET', `/api/v1/facilities/${twin.id}/series?metric=${metric}&from=${new Date(now - range).toISOString()}&to=${NOW}`, { token: otherAdmin })
        ).json();
        expect(theirs.series[0].points.length).toBeGreaterThan(80);
        // Before any rollup run on either side, so both answers come from the same rows.
        expect(theirs.series).toEqual(mine.series);
      }
    } finally {
      await other.close();
    }
  }, 180_000);

  it('leaves the written range to the rollup job, which carries on from the raw hours', async () => {
    const state = await t.platform.deps.database.query<{ resolution: string; done_until: string }>(
      `select resolution, to_char(done_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as done_until from metric_rollup_state order by resolution`,
    );
    expect(state).toEqual([
      { resolution: '1d', done_until: '2026-11-26T00:00' },
      { resolution: '1h', done_until: '2026-11-26T08:00' },
      { resolution: '5m', done_until: '2026-11-26T08:00' },
    ]);
    const covered = await runRollups(t.platform.deps);
    expect(covered['1h']).toBe('2026-11-26T10:00:00.000Z');
    const hours = await t.platform.deps.database.query<{ n: number }>(
      `select count(*)::int as n from metric_rollups_1h r join metric_series s on s.id = r.series_id where s.facility_id = $1 and s.metric = 'pue' and r.bucket >= '2026-11-26T08:00Z'`,
      [facility.id],
    );
    expect(hours[0]!.n).toBe(2); // 08:00 and 09:00, folded by the job from the raw samples
  });

  it('trickles one sample per series a minute through the write path', async () => {
    const trickle = t.platform.demoTrickle!;
    expect(trickle).not.toBeNull();
    const count = async () =>
      (await t.platform.deps.database.query<{ n: number }>(`select count(*)::int as n from metric_samples m join metric_series s on s.id = m.series_id where s.facility_id = $1`, [facility.id]))[0]!.n;
    const before = await count();
    clock.advance(60_000);
    const inserted = await trickle.tick();
    const seriesCount = t.platform.demo!.monitoring!.series;
    expect(inserted).toBe(seriesCount);
    expect(await trickle.tick()).toBe(0); // same minute: nothing twice
    expect((await count()) - before).toBeGreaterThanOrEqual(4);
    const latest = (await t.inject('GET', `/api/v1/facilities/${facility.id}/metrics/latest?metric=pue`, { token: admin })).json();
    expect(latest.items[0].ts).toBe('2026-11-26T10:31:00.000Z');

    // The timer itself, with the manual clock: a tick per interval writes the clock's minute.
    const targets = await demoTelemetryTargets(t.platform.deps, { anchorMs: clock.now().getTime() });
    clock.advance(60_000);
    const timer = startDemoTrickle(t.platform.deps, targets, 20);
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const now = (await t.inject('GET', `/api/v1/facilities/${facility.id}/metrics/latest?metric=pue`, { token: admin })).json();
        if (now.items[0].ts === '2026-11-26T10:32:00.000Z') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await timer.stop();
    }
    const after = (await t.inject('GET', `/api/v1/facilities/${facility.id}/metrics/latest?metric=pue`, { token: admin })).json();
    expect(after.items[0].ts).toBe('2026-11-26T10:32:00.000Z');
  }, 60_000);
});
