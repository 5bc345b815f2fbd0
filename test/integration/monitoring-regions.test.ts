/**
 * GET /api/v1/monitoring/regions/{code}: the live figures of the country, a province, a city and a
 * county from samples pushed with ingestion tokens, checked to the digit; silent facilities; the
 * trend from rollups and raw samples; what is withheld from whom; bad parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { runRollups } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { supplierWithFacility } from './monitoring-fixtures.ts';

const NOW = '2026-11-26T12:00:00.000Z';
const at = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00Z`);
const PASSWORD = 'Regions-Test-9x';

type Sample = { metric: string; value: number; labels?: Record<string, string>; ts: number };
const now = (metric: string, value: number, labels?: Record<string, string>): Sample => ({ metric, value, ...(labels ? { labels } : {}), ts: at('11:59') });

describe(`monitoring region aggregates (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock(NOW);
  let admin = '';
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let supplierA = '';

  const get = (path: string, token: string | undefined = admin) => t.inject('GET', `/api/v1/monitoring/regions/${path}`, { token });
  const ok = async (path: string, token: string | undefined = admin) => {
    const response = await get(path, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const push = async (key: string, samples: Sample[]) => {
    const response = await t.inject('POST', '/api/v1/metrics', { token: tokens[key], body: { samples } });
    expect(response.statusCode, response.body).toBe(200);
  };
  const user = async (username: string, org: object) => {
    const created = await t.inject('POST', '/api/v1/organizations', { token: admin, body: org });
    expect(created.statusCode, created.body).toBe(201);
    const response = await t.inject('POST', '/api/v1/users', { token: admin, body: { username, password: PASSWORD, orgId: created.json().id } });
    expect(response.statusCode, response.body).toBe(201);
    return t.login(username, PASSWORD);
  };

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0', SUANLI_RATE_LIMIT_PER_MINUTE: '100000' } });
    admin = await t.login('admin', 'Root-Test-Pass-1');
    // A, B and E in 大同 (A and E in 平城区, B in 新荣区), C in 太原, D in 南京; each owned by its own supplier.
    for (const [key, region] of [
      ['a', '140213'],
      ['b', '140212'],
      ['c', '140105'],
      ['d', '320102'],
      ['e', '140213'],
    ] as const) {
      const f = await supplierWithFacility(t, admin, `region-${key}`, region);
      ids[key] = f.facilityId;
      if (key === 'a') supplierA = f.token;
      const created = await t.inject('POST', `/api/v1/facilities/${f.facilityId}/ingest-tokens`, { token: f.token, body: {} });
      expect(created.statusCode, created.body).toBe(201);
      tokens[key] = created.json().token;
    }
    // Racks designed are 100 each, B's 300 (the weighted utilisation).
    await t.platform.deps.database.query('update facilities set racks_designed = 300 where id = $1', [ids.b]);

    // An hour ago: power only. Now (11:59): every figure; A has two halls and two GPUs.
    await push('a', [{ metric: 'it_power_kw', value: 300, labels: { hall: '1' }, ts: at('11:00') }, { metric: 'it_power_kw', value: 200, labels: { hall: '2' }, ts: at('11:00') }]);
    await push('b', [{ metric: 'it_power_kw', value: 1500, ts: at('11:00') }]);
    await push('c', [{ metric: 'it_power_kw', value: 250, ts: at('11:00') }]);
    await push('d', [{ metric: 'it_power_kw', value: 1000, ts: at('11:00') }]);
    await push('a', [
      now('rack_utilization', 0.5),
      now('it_power_kw', 600, { hall: '1' }),
      now('it_power_kw', 400, { hall: '2' }),
      now('pue', 1.2),
      now('availability', 1),
      now('accelerator_utilization', 0.6, { gpu: '0' }),
      now('accelerator_utilization', 0.8, { gpu: '1' }),
      now('accelerators_total', 8),
      now('accelerators_healthy', 7),
    ]);
    await push('b', [now('rack_utilization', 0.8), now('it_power_kw', 3000), now('pue', 1.6), now('availability', 0.5)]);
    await push('c', [now('rack_utilization', 0.2), now('it_power_kw', 500), now('pue', 1.4), now('availability', 1)]);
    await push('d', [now('rack_utilization', 0.9), now('it_power_kw', 2000), now('pue', 1.3), now('availability', 1)]);
    // E last reported half an hour ago: silent.
    await push('e', [
      { metric: 'rack_utilization', value: 0.1, ts: at('11:30') },
      { metric: 'it_power_kw', value: 100, ts: at('11:30') },
    ]);
  });
  afterAll(async () => t?.close());

  it('answers the country: reporting and silent facilities, the figures, and the provinces', async () => {
    const body = await ok('000000');
    expect(body.region).toEqual({ code: '000000', name: '全国', shortName: '全国', level: 'country' });
    expect(body).toMatchObject({ at: NOW, silentAfterSeconds: 600, minHiddenFacilities: 3, childLevel: 'province', facilities: [], hiddenFacilities: 0 });
    expect(body.totals).toEqual({
      facilities: { registered: 5, inOperation: 5, connected: 5, reporting: 4, silent: 1 },
      rackUtilization: { average: 0.6, weighted: 0.666667 }, // (0.5·100 + 0.8·300 + 0.2·100 + 0.9·100) / 600
      itPowerKw: 6500,
      pue: 1.430769, // (1.2·1000 + 1.6·3000 + 1.4·500 + 1.3·2000) / 6500
      acceleratorUtilization: 0.7,
      accelerators: { healthy: 7, total: 8 },
      availability: 0.875,
      contributors: { rackUtilization: 4, itPowerKw: 4, pue: 4, acceleratorUtilization: 1, accelerators: 1, availability: 4 },
      withheld: [],
    });
    expect(body.children).toHaveLength(31);
    const shanxi = body.children.find((c: { code: string }) => c.code === '140000');
    expect(shanxi).toMatchObject({
      name: '山西省',
      facilities: { registered: 4, inOperation: 4, connected: 4, reporting: 3, silent: 1 },
      rackUtilization: { average: 0.5, weighted: 0.62 },
      itPowerKw: 4500,
      pue: 1.488889,
      availability: 0.833333,
      withheld: [],
    });
    expect(body.children.find((c: { code: string }) => c.code === '320000')).toMatchObject({ itPowerKw: 2000, pue: 1.3, rackUtilization: { average: 0.9, weighted: 0.9 } });
    const beijing = body.children.find((c: { code: string }) => c.code === '110000');
    expect(beijing).toMatchObject({ facilities: { registered: 0, connected: 0, reporting: 0, silent: 0 }, itPowerKw: null, pue: null, withheld: [] });
  });

  it('answers a province by city, and a city and a county by facility', async () => {
    const shanxi = await ok('140000');
    expect(shanxi.region).toMatchObject({ code: '140000', level: 'province' });
    expect(shanxi.childLevel).toBe('city');
    const datong = shanxi.children.find((c: { code: string }) => c.code === '140200');
    expect(datong).toMatchObject({ facilities: { connected: 3, reporting: 2, silent: 1 }, itPowerKw: 4000, pue: 1.5, rackUtilization: { average: 0.65, weighted: 0.725 } });
    expect(shanxi.children.find((c: { code: string }) => c.code === '140100')).toMatchObject({ itPowerKw: 500, pue: 1.4 });

    const city = await ok('140200');
    expect(city.childLevel).toBe('facility');
    expect(city.children).toEqual([]);
    expect(city.totals).toMatchObject({ itPowerKw: 4000, pue: 1.5, facilities: { registered: 3, connected: 3, reporting: 2, silent: 1 } });
    const rows = new Map(city.facilities.map((f: { id: string }) => [f.id, f]));
    expect([...rows.keys()].sort()).toEqual([ids.a, ids.b, ids.e].sort());
    expect(rows.get(ids.a)).toMatchObject({
      status: 'reporting',
      lastSampleAt: new Date(at('11:59')).toISOString(),
      racksDesigned: 100,
      itPowerKw: 1000,
      pue: 1.2,
      acceleratorUtilization: 0.7,
      accelerators: { healthy: 7, total: 8 },
      rackUtilization: { average: 0.5, weighted: 0.5 },
    });
    expect(rows.get(ids.e)).toMatchObject({ status: 'silent', lastSampleAt: new Date(at('11:30')).toISOString(), itPowerKw: null, rackUtilization: { average: null, weighted: null } });

    const county = await ok('140213');
    expect(county.region.level).toBe('county');
    expect(county.facilities.map((f: { id: string }) => f.id).sort()).toEqual([ids.a, ids.e].sort());
    expect(county.totals).toMatchObject({ itPowerKw: 1000, facilities: { connected: 2, reporting: 1, silent: 1 } });
  });

  it('draws the trend from the rollups and, after their watermark, from raw samples', async () => {
    await runRollups(t.platform.deps); // folds 5 min buckets up to 11:55
    const body = await ok('000000');
    expect(body.trend).toMatchObject({ from: '2026-11-25T12:00:00.000Z', to: NOW, resolution: '5m', stepSeconds: 300, source: 'rollup+raw' });
    const points = new Map(body.trend.points.map((p: { ts: string }) => [p.ts.slice(11, 16), p]));
    expect([...points.keys()]).toEqual(['11:00', '11:30', '11:55']);
    expect(points.get('11:00')).toMatchObject({ facilities: 4, itPowerKw: 3250, pue: null, rackUtilization: { average: null, weighted: null } });
    expect(points.get('11:30')).toMatchObject({ facilities: 1, itPowerKw: 100, rackUtilization: { average: 0.1, weighted: 0.1 } });
    // The open bucket (raw) agrees with the live figures.
    const { facilities: _f, contributors: _c, ...live } = body.totals;
    const { ts: _ts, facilities, contributors: _pc, ...last } = points.get('11:55') as Record<string, unknown>;
    expect(facilities).toBe(4);
    expect(last).toEqual(live);

    const week = await ok('140000?range=7d');
    expect(week.trend).toMatchObject({ resolution: '1h', stepSeconds: 3600, from: '2026-11-19T12:00:00.000Z' });
    expect(week.trend.points.map((p: { ts: string; itPowerKw: number }) => [p.ts.slice(11, 16), p.itPowerKw])).toEqual([['11:00', 3475]]); // the open hour from raw samples: A (300+600)/2 + (200+400)/2, B 2250, C 375, E 100
    expect((await ok('000000?range=30d')).trend).toMatchObject({ resolution: '1h', from: '2026-10-27T12:00:00.000Z' });
    expect((await ok(`000000?from=2026-11-26T06:00:00Z&to=2026-11-26T12:00:00Z`)).trend).toMatchObject({ resolution: '5m', from: '2026-11-26T06:00:00.000Z' });
    expect((await ok(`000000?from=${at('00:00') / 1000 - 20 * 86_400}&to=${at('00:00') / 1000}`)).trend).toMatchObject({ resolution: '1h', points: [] });
    expect((await ok('000000?from=2026-01-01T00:00:00Z&to=2026-11-26T00:00:00Z')).trend.resolution).toBe('1d');
    // A client polling the live figures leaves the trend out.
    const polled = await ok('000000?trend=false');
    expect(polled.trend).toBeNull();
    expect(polled.totals).toEqual(body.totals);
  });

  it('withholds figures resting on 1–2 facilities the caller may not see, also by difference', async () => {
    const demander = await user('regions-demander', { name: '态势测试需求方', kind: 'enterprise', marketRoles: ['demander'] });
    const country = await ok('000000', demander);
    // Four facilities it may not see: the totals are published, but not the accelerators (A's alone).
    expect(country.totals).toMatchObject({ itPowerKw: 6500, pue: 1.430769, acceleratorUtilization: null, accelerators: { healthy: null, total: null }, withheld: ['acceleratorUtilization', 'accelerators'] });
    // 江苏 rests on D alone; 山西 goes too, else the country minus 山西 would be D.
    for (const code of ['140000', '320000']) {
      expect(country.children.find((c: { code: string }) => c.code === code)).toMatchObject({ itPowerKw: null, pue: null, rackUtilization: { average: null, weighted: null } });
    }
    // The province's own answer agrees with its row in the country's.
    expect((await ok('140000', demander)).totals).toMatchObject({ itPowerKw: null, withheld: ['rackUtilization', 'itPowerKw', 'pue', 'acceleratorUtilization', 'accelerators', 'availability'] });
    const city = await ok('140200', demander);
    expect(city).toMatchObject({ facilities: [], hiddenFacilities: 3 });
    expect(city.totals).toMatchObject({ itPowerKw: null, facilities: { connected: 3, reporting: 2, silent: 1 } });
    // No trend point of the withheld figures either; the counts stay.
    expect((await ok('140200', demander)).trend.points.every((p: { itPowerKw: unknown }) => p.itPowerKw === null)).toBe(true);
    // E alone in the 11:30 bucket of the country's trend: withheld there.
    const trend = new Map((country.trend.points as { ts: string; itPowerKw: number | null; facilities: number }[]).map((p) => [p.ts.slice(11, 16), p]));
    expect(trend.get('11:30')).toMatchObject({ facilities: 1, itPowerKw: null });
    expect(trend.get('11:00')).toMatchObject({ itPowerKw: 3250 });
  });

  it('shows an owner its own facility, and nothing it could subtract it from', async () => {
    const country = await ok('000000', supplierA);
    // B, C, D hidden: the total rests on three of them.
    expect(country.totals).toMatchObject({ itPowerKw: 6500, acceleratorUtilization: 0.7, withheld: [] });
    expect(country.children.find((c: { code: string }) => c.code === '140000').itPowerKw).toBeNull(); // A + B + C: B and C hidden
    const city = await ok('140200', supplierA);
    expect(city.facilities.map((f: { id: string }) => f.id)).toEqual([ids.a]);
    expect(city.hiddenFacilities).toBe(2);
    expect(city.facilities[0]).toMatchObject({ itPowerKw: 1000, pue: 1.2 });
    expect(city.totals.itPowerKw).toBeNull(); // A + B: minus its own A would give B
  });

  it('shows a provincial body its province in full, and not the country it would subtract it from', async () => {
    const gov = await user('regions-gov-sx', { name: '山西省数据局(态势)', kind: 'government', jurisdictionCode: '140000' });
    const country = await ok('000000', gov);
    expect(country.totals.itPowerKw).toBeNull(); // the country minus 山西 would be D
    expect(country.totals.acceleratorUtilization).toBe(0.7); // rests on A only, which it may see
    expect(country.children.find((c: { code: string }) => c.code === '140000')).toMatchObject({ itPowerKw: 4500, withheld: [] });
    expect(country.children.find((c: { code: string }) => c.code === '320000').itPowerKw).toBeNull();
    const city = await ok('140200', gov);
    expect(city.facilities).toHaveLength(3);
    expect(city.totals).toMatchObject({ itPowerKw: 4000, withheld: [] });
  });

  it('answers 404 for an unknown region and a clear 400 for bad parameters', async () => {
    const problem = async (path: string, status: number, code: string) => {
      const response = await get(path);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe(code);
    };
    await problem('999999', 404, 'NOT_FOUND');
    await problem('14021', 400, 'INVALID_REGION_CODE');
    await problem('abcdef', 400, 'INVALID_REGION_CODE');
    await problem('000000?range=1y', 400, 'INVALID_REQUEST');
    await problem('000000?range=24h&from=2026-11-26T00:00:00Z', 400, 'CONFLICTING_PARAMETERS');
    await problem('000000?from=yesterday', 400, 'INVALID_TIME');
    await problem('000000?from=2026-11-26T12:00:00Z&to=2026-11-26T11:00:00Z', 400, 'INVALID_RANGE');
    await problem('000000?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 400, 'RANGE_TOO_LONG');
    expect((await get('000000', '')).statusCode).toBe(401);
  });
});
