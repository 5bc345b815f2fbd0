/**
 * Network monitoring (网络监测) end to end: probe samples with a `peer` label pushed with an ingestion
 * token (JSON push and remote_write) are folded into the latency matrix and show in
 * /api/v1/network/latency and /api/v1/network/circles; bad inputs are 4xx and change nothing; the
 * demo's matrix fills the pages. The matrix reports round trips with the one-way figure beside them;
 * the circles are one-way (half the round trip).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { cityNodes, runNetworkFold } from '../../src/monitoring/network/service.ts';
import { estimateOneWayMs, estimateRttMs } from '../../src/network-model.ts';
import { regionIndex } from '../../src/regions/dataset.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { encoded, remoteWriteHeaders, supplierWithFacility } from './monitoring-fixtures.ts';

type Json = Record<string, any>;

const expectProblem = (response: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string) => {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe(code);
};

describe(`network monitoring: probes → latency matrix → circles (${databaseKind})`, () => {
  const clock = manualClock('2026-03-01T08:00:00Z');
  let t: TestPlatform;
  let admin = '';
  let user = '';
  let ingestToken = '';
  const fx = { datong: '', datongComputeId: '', taiyuan: '', taiyuanComputeId: '', beijing: '' };

  const get = async (url: string, token = user) => {
    const response = await t.inject('GET', url, { token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Json;
  };
  const push = async (samples: { metric: string; labels?: Record<string, string>; ts?: number; value: number }[]) => {
    const response = await t.inject('POST', '/api/v1/metrics', { token: ingestToken, body: { samples } });
    expect(response.statusCode, response.body).toBe(200);
  };
  const rows = async () => t.platform.deps.database.query<{ source: string; target: string; rtt_ms: number; samples: number; origin: string }>('select source, target, rtt_ms, samples, origin from network_latency order by source, target');
  const minutesAgo = (m: number) => clock.now().getTime() - m * 60_000;

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    admin = await t.login('admin', 'Root-Test-Pass-1');
    const a = await supplierWithFacility(t, admin, 'net-datong', '140213');
    const b = await supplierWithFacility(t, admin, 'net-taiyuan', '140105');
    const c = await supplierWithFacility(t, admin, 'net-beijing', '110105');
    user = b.token;
    fx.datong = a.facilityId;
    fx.taiyuan = b.facilityId;
    fx.beijing = c.facilityId;
    fx.datongComputeId = (await get(`/api/v1/facilities/${a.facilityId}`)).computeId;
    fx.taiyuanComputeId = (await get(`/api/v1/facilities/${b.facilityId}`)).computeId;
    const created = await t.inject('POST', `/api/v1/facilities/${a.facilityId}/ingest-tokens`, { token: a.token, body: { name: 'probe-agent' } });
    expect(created.statusCode, created.body).toBe(201);
    ingestToken = created.json().token;
  });
  afterAll(async () => t?.close());

  it('estimates everything from geography while nothing is measured', async () => {
    const circles = await get('/api/v1/network/circles?city=140200');
    expect(circles.city).toMatchObject({ code: '140200', name: '大同市' });
    // One-way bounds, and the radius the one-way model gives each.
    expect(circles.circles.map((c: Json) => [c.key, c.maxOneWayMs, c.radiusKm])).toEqual([
      ['city', 1, 53],
      ['province', 5, 587],
      ['hub', 20, 2587],
    ]);
    expect(circles.model).toEqual({ routeFactor: 1.5, fibreKmPerMs: 200, endpointMs: 0.3, method: 'docs/methods/latency.md' });
    const datong = circles.facilities.find((f: Json) => f.id === fx.datong);
    expect(datong).toMatchObject({ computeId: fx.datongComputeId, basis: 'estimated', origin: null, racksDesigned: 100 });
    expect(circles.facilities.every((f: Json) => f.basis === 'estimated')).toBe(true);
    // The estimate is the documented model from 大同's centroid to the facility's point (its county's).
    const county = regionIndex().get('140213')!;
    const pop = cityNodes().get('140200')!.point;
    expect(datong.rttMs).toBeCloseTo(estimateRttMs(pop, [county.lon!, county.lat!]), 3);
    expect(datong.oneWayMs).toBeCloseTo(estimateOneWayMs(pop, [county.lon!, county.lat!]), 3);
    expect(datong.circle).toBe('city');
    for (const f of circles.facilities) expect(f.oneWayMs).toBeCloseTo(f.rttMs / 2, 2);
    expect(circles.total).toBe(3);
    expect(circles.circles[2]).toMatchObject({ facilities: 3, racksDesigned: 300, racksInUse: 150, byBasis: { measured: 0, derived: 0, estimated: 3 } });

    const matrix = await get('/api/v1/network/latency');
    expect(matrix).toMatchObject({ level: 'hub', region: null, measuredRows: 0, newestMeasurement: null, worstLinks: [] });
    expect(matrix.nodes).toHaveLength(8);
    // Every pair of hubs, and the diagonal of those standing for more than one city (京津冀 stands for 北京 alone: its only city hosting a facility).
    expect(matrix.nodes.find((n: Json) => n.id === 'hub-jingjinji').cities).toBe(1);
    expect(matrix.pairs).toHaveLength(28 + matrix.nodes.filter((n: Json) => n.cities > 1).length);
    expect(matrix.pairs.every((p: Json) => p.basis === 'estimated' && p.rttMs === p.estimateRttMs && Math.abs(p.oneWayMs - p.rttMs / 2) < 0.001)).toBe(true);
  });

  it('folds probe_rtt_ms{peer} samples into the matrix: the median of the last 15 minutes per peer', async () => {
    const rtt = (peer: string, values: number[], extra: Record<string, string> = {}) =>
      values.map((value, i) => ({ metric: 'probe_rtt_ms', labels: { instance: 'agent-1', target: `${peer}.example:443`, peer, ...extra }, ts: minutesAgo(values.length - i), value }));
    await push([
      // Its own city's PoP, with a spike the median ignores.
      ...rtt('140200', [0.4, 0.5, 9, 0.45, 0.5]),
      // Another facility by its compute ID, from two agents (instances) of the facility.
      ...rtt(fx.taiyuanComputeId, [7, 7.2]),
      ...rtt(fx.taiyuanComputeId, [6.8], { instance: 'agent-2' }),
      // 太原's PoP, named by a county code of 太原 (it stands for its city).
      ...rtt('140105', [6]),
      // Not folded: an unknown code, a province, an unknown compute ID, the facility itself, no peer, probe_up.
      ...rtt('999999', [1]),
      ...rtt('140000', [1]),
      ...rtt('CN-999999-00001', [1]),
      ...rtt(fx.datongComputeId, [0.1]),
      { metric: 'probe_rtt_ms', labels: { target: 'plain.example:443' }, ts: minutesAgo(1), value: 3 },
      { metric: 'probe_up', labels: { target: 'x:1', peer: '110100' }, ts: minutesAgo(1), value: 1 },
    ]);
    // Folded by the timer (the rollups' interval); the test runs it by hand.
    expect(await rows()).toEqual([]);
    expect(await runNetworkFold(t.platform.deps)).toBe(3);
    expect((await rows()).map((r) => [r.source, r.target, Number(r.rtt_ms), Number(r.samples), r.origin])).toEqual(
      [
        [fx.datong, '140100', 6, 1, 'probe'],
        [fx.datong, '140200', 0.5, 5, 'probe'],
        [fx.datong, fx.taiyuan, 7, 3, 'probe'],
      ].sort((x, y) => (`${x[0]}${x[1]}` < `${y[0]}${y[1]}` ? -1 : 1)),
    );
    // Nothing pending: the next run writes nothing; a run over the same samples writes the same values.
    expect(await runNetworkFold(t.platform.deps)).toBe(0);
    expect(await runNetworkFold(t.platform.deps, [fx.datong])).toBe(3);
    expect((await rows()).map((r) => Number(r.rtt_ms)).sort()).toEqual([0.5, 6, 7]);
  });

  it('shows the measured links in the matrix (city level), in the worst links and the circles', async () => {
    const matrix = await get('/api/v1/network/latency?level=city&region=140000');
    expect(matrix.nodes.map((n: Json) => n.id)).toContain('140200');
    expect(matrix.nodes).toHaveLength(11);
    const pair = matrix.pairs.find((p: Json) => [p.a, p.b].sort().join() === '140100,140200');
    // Two facility rows between 大同 and 太原 (→ the PoP 6 ms, → the facility 7 ms): their median.
    expect(pair).toMatchObject({ rttMs: 6.5, oneWayMs: 3.25, minRttMs: 6.5, maxRttMs: 6.5, basis: 'measured', origin: 'probe', cityPairs: 1, measuredPairs: 1 });
    expect(matrix.pairs.filter((p: Json) => p.basis === 'measured')).toHaveLength(1);
    expect(matrix.measuredRows).toBe(3);
    expect(matrix.newestMeasurement).toBe(new Date(minutesAgo(1)).toISOString());

    const worst = matrix.worstLinks;
    expect(worst).toHaveLength(3);
    expect(worst[0]).toMatchObject({ source: { kind: 'facility', id: fx.datong, computeId: fx.datongComputeId, cityCode: '140200' }, origin: 'probe' });
    expect(worst.map((w: Json) => w.excessRttMs)).toEqual([...worst.map((w: Json) => w.excessRttMs)].sort((x: number, y: number) => y - x));
    for (const w of worst) expect(w.excessRttMs).toBeCloseTo(w.rttMs - w.estimateRttMs, 2);
    const toTaiyuan = worst.find((w: Json) => w.target.id === fx.taiyuan);
    expect(toTaiyuan).toMatchObject({ rttMs: 7, samples: 3, target: { kind: 'facility', computeId: fx.taiyuanComputeId, cityCode: '140100' } });

    // From 大同: its facility measured within 1 ms; 太原's derived from the measured 大同–太原 pair
    // (6.5 ms round trip and a little more for its access leg: ≈ 3.3 ms one way, the province circle).
    const datong = await get('/api/v1/network/circles?city=140200');
    expect(datong.facilities.find((f: Json) => f.id === fx.datong)).toMatchObject({ rttMs: 0.5, oneWayMs: 0.25, basis: 'measured', origin: 'probe', circle: 'city' });
    const taiyuan = datong.facilities.find((f: Json) => f.id === fx.taiyuan);
    expect(taiyuan).toMatchObject({ basis: 'derived', origin: 'probe', circle: 'province' });
    expect(taiyuan.rttMs).toBeGreaterThan(6.5);
    expect(taiyuan.oneWayMs).toBeCloseTo(taiyuan.rttMs / 2, 2);
    expect(taiyuan.oneWayMs).toBeLessThan(5);
    expect(datong.circles[0]).toMatchObject({ key: 'city', facilities: 1, byBasis: { measured: 1, derived: 0, estimated: 0 } });
    // From 太原: the 大同 facility's row to 太原's PoP (6 ms round trip, 3 ms one way) is a direct measurement.
    const fromTaiyuan = await get('/api/v1/network/circles?city=140100');
    expect(fromTaiyuan.facilities.find((f: Json) => f.id === fx.datong)).toMatchObject({ rttMs: 6, oneWayMs: 3, basis: 'measured', circle: 'province' });
    // A county code stands for its city.
    const county = await get('/api/v1/network/circles?city=140213&limit=1');
    expect(county).toMatchObject({ requested: '140213', city: { code: '140200' }, total: 3, truncated: true });
    expect(county.facilities).toHaveLength(1);
  });

  it('moves a row forward with newer samples, from remote_write as well', async () => {
    clock.advance(20 * 60_000);
    const body = encoded({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'probe_rtt_ms' },
            { name: 'instance', value: 'prometheus' },
            { name: 'peer', value: '140200' },
          ],
          samples: [0.9, 0.7, 0.8].map((value, i) => ({ value, timestamp: minutesAgo(3 - i) })),
        },
      ],
    });
    const written = await t.inject('POST', '/api/v1/write', { payload: body, headers: remoteWriteHeaders(ingestToken) });
    expect(written.statusCode, written.body).toBe(204);
    expect(await runNetworkFold(t.platform.deps)).toBe(1);
    const circles = await get('/api/v1/network/circles?city=140200');
    expect(circles.facilities.find((f: Json) => f.id === fx.datong)).toMatchObject({ rttMs: 0.8, oneWayMs: 0.4, basis: 'measured' });
    // The other rows keep their older measurements (nothing newer in the window).
    expect((await rows()).find((r) => r.target === fx.taiyuan)).toMatchObject({ samples: 3 });
  });

  it('answers the province and hub levels, with region filters by code or group', async () => {
    const provinces = await get('/api/v1/network/latency?level=province');
    expect(provinces.nodes).toHaveLength(31);
    // No diagonal for 北京, 天津, 上海: one city each.
    expect(provinces.nodes.filter((n: Json) => n.cities === 1).map((n: Json) => n.id)).toEqual(['110000', '120000', '310000']);
    expect(provinces.pairs).toHaveLength(28 + (31 * 30) / 2);
    // A province stands for its cities that host a facility: 山西 by 大同 and 太原.
    expect(provinces.nodes.find((n: Json) => n.id === '140000')).toMatchObject({ name: '山西省', cities: 2 });
    expect(provinces.pairs.find((p: Json) => p.a === '140000' && p.b === '140000')).toMatchObject({ rttMs: 6.5, oneWayMs: 3.25, basis: 'measured', cityPairs: 1 });
    const jingjinji = await get('/api/v1/network/latency?level=province&region=hub-jingjinji&worst=0');
    expect(jingjinji.nodes.map((n: Json) => n.id)).toEqual(['110000', '120000', '130000']);
    expect(jingjinji.worstLinks).toEqual([]);
    const hubs = await get('/api/v1/network/latency?level=hub&region=110000');
    expect(hubs.nodes.map((n: Json) => n.id)).toEqual(['hub-jingjinji']);
    expect(hubs.worstLinks).toEqual([]);
    const cluster = await get('/api/v1/network/latency?level=city&region=cluster-changsanjiao-demo');
    expect(cluster.nodes.map((n: Json) => n.id)).toEqual(['310100', '320500', '330400']);
    expect(cluster.pairs).toHaveLength(3);
  });

  it('refuses bad inputs with a 4xx and a stable code, changing nothing', async () => {
    const before = await rows();
    const cases: [string, number, string][] = [
      ['/api/v1/network/circles?city=999999', 404, 'UNKNOWN_CITY'],
      ['/api/v1/network/circles?city=140000', 422, 'NOT_A_CITY'],
      ['/api/v1/network/circles?city=abc', 400, 'INVALID_REQUEST'],
      ['/api/v1/network/circles', 400, 'INVALID_REQUEST'],
      ['/api/v1/network/circles?city=140200&limit=-1', 400, 'INVALID_REQUEST'],
      ['/api/v1/network/latency?level=city', 422, 'REGION_REQUIRED'],
      ['/api/v1/network/latency?level=city&region=000000', 422, 'REGION_REQUIRED'],
      ['/api/v1/network/latency?level=city&region=hub-changsanjiao', 200, ''],
      ['/api/v1/network/latency?level=planet', 400, 'INVALID_REQUEST'],
      ['/api/v1/network/latency?region=999999', 400, 'UNKNOWN_REGION'],
      ['/api/v1/network/latency?region=hub-nowhere', 400, 'UNKNOWN_REGION'],
      ['/api/v1/network/latency?region=14%27--', 400, 'INVALID_REQUEST'],
      ['/api/v1/network/latency?worst=101', 400, 'INVALID_REQUEST'],
    ];
    for (const [url, status, code] of cases) {
      const response = await t.inject('GET', url, { token: user });
      if (status === 200) {
        // 长三角 has 41 cities: within the limit of a city-level matrix.
        expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
        continue;
      }
      expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
      expectProblem(response, status, code);
    }
    expectProblem(await t.inject('GET', '/api/v1/network/latency'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.inject('GET', '/api/v1/network/circles?city=140200'), 401, 'UNAUTHENTICATED');
    // An ingestion token is no user token.
    expect((await t.inject('GET', '/api/v1/network/latency', { token: ingestToken })).statusCode).toBe(401);
    expect(await rows()).toEqual(before);
  });
});

describe(`network monitoring on the demo (${databaseKind})`, () => {
  let t: TestPlatform;
  let token = '';
  beforeAll(async () => {
    t = await createTestPlatform({ demo: 'small', env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    token = await t.login('demander');
  });
  afterAll(async () => t?.close());

  it('has a matrix generated from geography: city pairs and access legs, so every level has measured values', async () => {
    const network = t.platform.demo!.network!;
    expect(network.rows).toBeGreaterThan(network.cityPairs);
    expect(network.cityPairs).toBeGreaterThan(100);
    const hubs = (await t.inject('GET', '/api/v1/network/latency', { token })).json();
    expect(hubs.measuredRows).toBe(network.rows);
    expect(hubs.nodes).toHaveLength(8);
    for (const pair of hubs.pairs) {
      expect(pair.origin).toBe('demo');
      expect(pair.measuredPairs).toBeGreaterThan(0);
      expect(pair.rttMs).toBeGreaterThan(0);
    }
    // 京津冀 ↔ 成渝 is far more than 京津冀 within itself.
    const pairOf = (a: string, b: string) => hubs.pairs.find((p: Json) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
    expect(pairOf('hub-jingjinji', 'hub-chengyu').rttMs).toBeGreaterThan(pairOf('hub-jingjinji', 'hub-jingjinji').rttMs * 2);
    expect(hubs.worstLinks).toHaveLength(10);
    expect(hubs.worstLinks[0].excessRttMs).toBeGreaterThan(0);

    const circles = (await t.inject('GET', '/api/v1/network/circles?city=140200', { token })).json();
    const [city, province, hub] = circles.circles;
    expect(city.facilities).toBeGreaterThan(0);
    expect(province.facilities).toBeGreaterThanOrEqual(city.facilities);
    expect(hub.facilities).toBeGreaterThan(province.facilities);
    // 大同's own facilities are measured (their access legs); others derived through the city pairs.
    expect(city.byBasis.measured).toBe(city.facilities);
    expect(hub.byBasis.derived).toBeGreaterThan(0);
  });
});
