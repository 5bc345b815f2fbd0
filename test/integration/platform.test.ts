import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

describe(`platform basics (${databaseKind})`, () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(async () => t?.close());

  it('answers health and readiness', async () => {
    expect((await t.inject('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.inject('GET', '/readyz')).json()).toEqual({ status: 'ready', database: databaseKind });
    const metrics = await t.inject('GET', '/metrics');
    expect(metrics.body).toContain('suanli_http_requests_total');
  });

  it('serves an OpenAPI 3.1 document that matches the committed one', async () => {
    const response = await t.inject('GET', '/api/v1/openapi.json');
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/facilities', '/api/v1/facilities/{id}', '/api/v1/registrations/{id}/approve', '/api/v1/regions']));
    // Generated artefacts are committed and checked for drift: run `npm run openapi` after changing a route.
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(document).toEqual(committed);
  });

  it('serves regions from the GB/T 2260 dataset and the national hubs', async () => {
    const provinces = (await t.inject('GET', '/api/v1/regions')).json();
    expect(provinces.total).toBe(31);
    const shanxiCities = (await t.inject('GET', '/api/v1/regions?parent=140000')).json();
    expect(shanxiCities.items.map((r: { name: string }) => r.name)).toContain('大同市');
    const datong = (await t.inject('GET', '/api/v1/regions/140200')).json();
    expect(datong.path.map((r: { code: string }) => r.code)).toEqual(['140000', '140200']);
    const country = (await t.inject('GET', '/api/v1/regions/000000')).json();
    expect(country).toMatchObject({ region: { code: '000000', level: 'country' }, path: [], children: 31 });
    expect((await t.inject('GET', '/api/v1/regions/999999')).statusCode).toBe(404);
    const groups = (await t.inject('GET', '/api/v1/regions/groups')).json();
    expect(groups.items.filter((g: { kind: string }) => g.kind === 'hub')).toHaveLength(8);
    expect(groups.items.filter((g: { kind: string }) => g.kind === 'cluster')).toHaveLength(10);
  });

  it('creates the first admin from SUANLI_ADMIN_PASSWORD and rejects weak passwords for new users', async () => {
    const admin = await t.login('admin', 'Root-Test-Pass-1');
    const me = (await t.inject('GET', '/api/v1/auth/me', { token: admin })).json();
    expect(me).toMatchObject({ username: 'admin', isAdmin: true });
    const orgs = (await t.inject('GET', '/api/v1/organizations', { token: admin })).json();
    const weak = await t.inject('POST', '/api/v1/users', { token: admin, body: { username: 'weakling', password: 'password', orgId: orgs.items[0].id } });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors.some((e: { path: string }) => e.path === '/password')).toBe(true);
  });
});
