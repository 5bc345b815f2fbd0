import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndex } from '../../src/analytics/index-service.ts';
import { DIMENSIONS, INDEX_METHOD_DOCUMENT, INDICATOR_IDS } from '../../src/analytics/index-method.ts';
import { formatIndex } from '../../src/cli/index-command.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

describe(`comprehensive computing power index (${databaseKind})`, () => {
  let t: TestPlatform;
  let token = '';

  beforeAll(async () => {
    t = await createTestPlatform({ demo: 'small' });
    token = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('ranks the 31 provinces with every dimension and sub-indicator', async () => {
    const response = await t.inject('GET', '/api/v1/index?level=province', { token });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ level: 'province', year: null, method: INDEX_METHOD_DOCUMENT });
    expect(body.regions).toHaveLength(31);
    expect(body.regions.map((r: { rank: number }) => r.rank)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    const scores = body.regions.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(Object.keys(body.weights.indicators)).toEqual([...INDICATOR_IDS]);
    for (const region of body.regions) {
      expect(Object.keys(region.dimensions)).toEqual([...DIMENSIONS]);
      expect(region.score).toBeGreaterThanOrEqual(0);
      expect(region.score).toBeLessThanOrEqual(100);
    }
    // Model capability has no source yet: neutral for every region.
    expect(new Set(body.regions.map((r: { dimensions: { model: { score: number } } }) => r.dimensions.model.score))).toEqual(new Set([50]));
    const top = body.regions[0];
    expect(top.dimensions.compute.indicators['compute.fp32Equivalent'].value).toBeGreaterThan(0);
  });

  it('scores cities, takes weights per run and answers the sensitivity view', async () => {
    const cities = await t.inject('GET', '/api/v1/index?level=city', { token });
    expect(cities.statusCode).toBe(200);
    expect(cities.json().regions.length).toBeGreaterThan(300);

    const weighted = await t.inject('GET', `/api/v1/index?weights=${encodeURIComponent('compute:1,storage:0,network:0,model:0,environment:0')}`, { token });
    expect(weighted.statusCode, weighted.body).toBe(200);
    const body = weighted.json();
    expect(body.weights.dimensions).toEqual({ compute: 1, storage: 0, network: 0, model: 0, environment: 0 });
    for (const region of body.regions) expect(region.score).toBe(region.dimensions.compute.score);

    const sensitivity = await t.inject('GET', '/api/v1/index/sensitivity?level=province', { token });
    expect(sensitivity.statusCode, sensitivity.body).toBe(200);
    const view = sensitivity.json();
    expect(view.scenarios).toHaveLength(10);
    expect(view.regions).toHaveLength(31);
    expect(view.scenarios[0]).toMatchObject({ dimension: 'compute', change: -0.2 });
    expect(view.scenarios[0].ranks).toHaveLength(31);
  });

  it('answers bad weights, years and missing sign-in with a problem and a hint', async () => {
    for (const weights of ['compute:-1', 'latency:1', '{"compute":0,"storage":0,"network":0,"model":0,"environment":0}', 'compute']) {
      const response = await t.inject('GET', `/api/v1/index?weights=${encodeURIComponent(weights)}`, { token });
      expect(response.statusCode, weights).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe('INVALID_WEIGHTS');
      expect(problem.detail).toContain('Valid ids:');
      expect(problem.validIds).toContain('environment.pue');
    }
    const sensitivity = await t.inject('GET', '/api/v1/index/sensitivity?weights=storage:x', { token });
    expect(sensitivity.json().code).toBe('INVALID_WEIGHTS');

    const nextYear = new Date().getUTCFullYear() + 1;
    const future = await t.inject('GET', `/api/v1/index?year=${nextYear}`, { token });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('INVALID_YEAR');

    expect((await t.inject('GET', '/api/v1/index')).statusCode).toBe(401);
    expect((await t.inject('GET', '/api/v1/index?level=county', { token })).statusCode).toBe(400);
  });

  it('echoes the year and selects facilities entered in the ledger by its end', async () => {
    const year = new Date().getUTCFullYear();
    const current = await t.inject('GET', `/api/v1/index?year=${year}`, { token });
    const body = current.json();
    expect(body.year).toBe(year);
    expect(body.selection.enteredLedgerBefore).toBe(`${year + 1}-01-01T00:00:00.000Z`);
    const plain = (await t.inject('GET', '/api/v1/index', { token })).json();
    expect(JSON.stringify(body.regions)).toBe(JSON.stringify(plain.regions));
    // The demo ledger was entered today: before this year nothing was in it, so nothing is compared.
    const early = (await t.inject('GET', '/api/v1/index?year=2000', { token })).json();
    expect(early.regions.every((r: { dimensions: { compute: { indicators: Record<string, { value: number | null }> } } }) => r.dimensions.compute.indicators['compute.fp32Equivalent'].value === 0)).toBe(true);
  });

  it('is reproducible bit for bit: twice from one database, and from a second database with the same demo seed', async () => {
    const first = formatIndex(await computeIndex(t.platform.deps, { level: 'province' }), 'json');
    const again = formatIndex(await computeIndex(t.platform.deps, { level: 'province' }), 'json');
    expect(again).toBe(first);
    const api = (await t.inject('GET', '/api/v1/index?level=province', { token })).body;
    expect(JSON.stringify(JSON.parse(api), null, 2) + '\n').toBe(first);

    const other = await createTestPlatform({ demo: 'small' });
    try {
      expect(formatIndex(await computeIndex(other.platform.deps, { level: 'province' }), 'json')).toBe(first);
      const cityHere = formatIndex(await computeIndex(t.platform.deps, { level: 'city' }), 'json');
      expect(formatIndex(await computeIndex(other.platform.deps, { level: 'city' }), 'json')).toBe(cityHere);
    } finally {
      await other.close();
    }
  });
});
