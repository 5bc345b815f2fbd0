import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

const PASSWORD = 'Ledger-Test-9x';

const facility = (overrides: Record<string, unknown> = {}) => ({
  name: '大同云数智算中心一期',
  regionCode: '140213',
  address: '山西省大同市平城区',
  status: 'in_operation',
  kind: 'intelligent',
  racksDesigned: 2000,
  racksInUse: 1800,
  accelerators: [{ model: 'H200', count: 512 }],
  storagePb: 20,
  pueDesign: 1.2,
  greenPowerPct: 45,
  contacts: [{ name: '王工', phone: '0352-0000000' }],
  ...overrides,
});

describe(`ledger and registration workflow (${databaseKind})`, () => {
  let t: TestPlatform;
  const tokens: Record<string, string> = {};
  const orgs: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestPlatform();
    const admin = await t.login('admin', 'Root-Test-Pass-1');
    tokens.admin = admin;
    const makeOrg = async (key: string, body: object) => {
      const response = await t.inject('POST', '/api/v1/organizations', { token: admin, body });
      expect(response.statusCode).toBe(201);
      orgs[key] = response.json().id;
    };
    await makeOrg('supplierA', { name: '大同云数科技', kind: 'enterprise', marketRoles: ['supplier'] });
    await makeOrg('supplierB', { name: '苏州算力公司', kind: 'enterprise', marketRoles: ['supplier', 'provider'] });
    await makeOrg('demander', { name: '某需求方', kind: 'enterprise', marketRoles: ['demander'] });
    await makeOrg('shanxi', { name: '山西省数据局', kind: 'government', jurisdictionCode: '140000' });
    await makeOrg('jiangsu', { name: '江苏省数据局', kind: 'government', jurisdictionCode: '320000' });
    await makeOrg('datongCity', { name: '大同市数据局', kind: 'government', jurisdictionCode: '140200' });
    for (const [username, org] of [
      ['supplier-a', 'supplierA'],
      ['supplier-b', 'supplierB'],
      ['buyer', 'demander'],
      ['gov-sx', 'shanxi'],
      ['gov-js', 'jiangsu'],
      ['gov-dt', 'datongCity'],
    ] as const) {
      const response = await t.inject('POST', '/api/v1/users', { token: admin, body: { username, password: PASSWORD, orgId: orgs[org] } });
      expect(response.statusCode, response.body).toBe(201);
      tokens[username] = await t.login(username, PASSWORD);
    }
  });
  afterAll(async () => t?.close());

  let registrationId = '';
  let facilityId = '';

  it('lets a supplier submit a facility and a reviewer of its region approve it', async () => {
    const created = await t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility(), submit: true } });
    expect(created.statusCode, created.body).toBe(201);
    const registration = created.json();
    registrationId = registration.id;
    expect(registration.status).toBe('submitted');
    expect(registration.regionName).toBe('平城区');

    // Not in the ledger before approval.
    const before = await t.inject('GET', '/api/v1/facilities?q=大同云数智算中心一期', { token: tokens['supplier-a'] });
    expect(before.json().total).toBe(0);

    // The Jiangsu reviewer neither sees it in the queue nor may decide it.
    const jsQueue = await t.inject('GET', '/api/v1/registrations?status=submitted', { token: tokens['gov-js'] });
    expect(jsQueue.json().items.map((r: { id: string }) => r.id)).not.toContain(registrationId);
    const jsApprove = await t.inject('POST', `/api/v1/registrations/${registrationId}/approve`, { token: tokens['gov-js'] });
    expect(jsApprove.statusCode).toBe(403);
    expect(jsApprove.headers['content-type']).toContain('application/problem+json');
    expect(jsApprove.json().code).toBe('OUT_OF_JURISDICTION');

    // The Shanxi reviewer sees it and approves.
    const sxQueue = await t.inject('GET', '/api/v1/registrations?status=submitted', { token: tokens['gov-sx'] });
    expect(sxQueue.json().items.map((r: { id: string }) => r.id)).toContain(registrationId);
    const approved = await t.inject('POST', `/api/v1/registrations/${registrationId}/approve`, { token: tokens['gov-sx'] });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    facilityId = approved.json().facilityId;

    const detail = await t.inject('GET', `/api/v1/facilities/${facilityId}`, { token: tokens.buyer });
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.computeId).toBe('CN-140213-00001');
    expect(body.rackUtilization).toBeCloseTo(0.9, 6);
    expect(body.designedPowerKw).toBe(5000);
    expect(body.accelerators[0]).toMatchObject({ model: 'H200', vendor: 'NVIDIA', count: 512, domestic: false });
    expect(body.compute.fp16).toBeGreaterThan(500_000); // 512 × ~989 TFLOPS dense FP16
    expect(body.fp32Equivalent).toBeCloseTo(Math.max(body.compute.fp64 * 2, body.compute.fp32, body.compute.fp16 * 0.5, body.compute.int8 * 0.25), 3);
    expect(detail.headers.etag).toBe('"1"');
  });

  it('finds the facility by region prefix, status and search, and shows it in the overview', async () => {
    for (const region of ['140000', '140200', '140213']) {
      const list = await t.inject('GET', `/api/v1/facilities?region=${region}`, { token: tokens.buyer });
      expect(list.json().items.map((f: { id: string }) => f.id)).toContain(facilityId);
    }
    const other = await t.inject('GET', '/api/v1/facilities?region=320000', { token: tokens.buyer });
    expect(other.json().total).toBe(0);
    const overview = await t.inject('GET', '/api/v1/analytics/overview', { token: tokens.buyer });
    const shanxi = overview.json().children.find((c: { code: string }) => c.code === '140000');
    expect(shanxi).toMatchObject({ shortName: '山西', facilities: 1, racksDesigned: 2000, racksInUse: 1800 });
    expect(overview.json().children).toHaveLength(31);
    const province = await t.inject('GET', '/api/v1/analytics/overview?region=140000', { token: tokens.buyer });
    expect(province.json().children.find((c: { code: string }) => c.code === '140200').facilities).toBe(1);
  });

  it('keeps a change pending until approved and records before and after', async () => {
    const stale = await t.inject('POST', '/api/v1/registrations', {
      token: tokens['supplier-a'],
      headers: { 'if-match': '"7"' },
      body: { type: 'change', facilityId, data: facility({ racksInUse: 1900 }), submit: true },
    });
    expect(stale.statusCode).toBe(412);
    const missing = await t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'change', facilityId, data: facility({ racksInUse: 1900 }), submit: true } });
    expect(missing.statusCode).toBe(428);
    const notOwner = await t.inject('POST', '/api/v1/registrations', {
      token: tokens['supplier-b'],
      headers: { 'if-match': '"1"' },
      body: { type: 'change', facilityId, data: facility({ racksInUse: 1900 }), submit: true },
    });
    expect(notOwner.statusCode).toBe(403);
    expect(notOwner.json().code).toBe('NOT_OWNER');

    const change = await t.inject('POST', '/api/v1/registrations', {
      token: tokens['supplier-a'],
      headers: { 'if-match': '"1"' },
      body: { type: 'change', facilityId, data: facility({ racksInUse: 1900 }), submit: true },
    });
    expect(change.statusCode, change.body).toBe(201);
    const unchanged = await t.inject('GET', `/api/v1/facilities/${facilityId}`, { token: tokens.buyer });
    expect(unchanged.json().racksInUse).toBe(1800);

    // A city reviewer of 大同 covers the county.
    const approved = await t.inject('POST', `/api/v1/registrations/${change.json().id}/approve`, { token: tokens['gov-dt'] });
    expect(approved.statusCode, approved.body).toBe(200);
    const changed = await t.inject('GET', `/api/v1/facilities/${facilityId}`, { token: tokens.buyer });
    expect(changed.json()).toMatchObject({ racksInUse: 1900, version: 2 });

    const history = await t.inject('GET', `/api/v1/facilities/${facilityId}/history`, { token: tokens.buyer });
    const items = history.json().items;
    expect(items.map((h: { action: string }) => h.action)).toEqual(['created', 'changed']);
    expect(items[1]).toMatchObject({ version: 2, before: { racksInUse: 1800 }, after: { racksInUse: 1900 }, actorName: 'gov-dt', registrationId: change.json().id });
    expect(items[1].requestId).toBeTruthy();
  });

  it('keeps null as null for optional numbers (no coercion to 0)', async () => {
    const created = await t.inject('POST', '/api/v1/registrations', {
      token: tokens['supplier-a'],
      body: { type: 'create', data: facility({ name: '大同测试中心（空值）', pueMeasured: null, lon: null, lat: null }) },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().data.pueMeasured).toBeNull();
  });

  it('rejects with a reason and refuses a second decision', async () => {
    const created = await t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ name: '大同边缘节点', kind: 'edge', racksDesigned: 40, racksInUse: 10, accelerators: [] }), submit: true } });
    const id = created.json().id;
    const noReason = await t.inject('POST', `/api/v1/registrations/${id}/reject`, { token: tokens['gov-sx'], body: { reason: '   ' } });
    expect(noReason.statusCode).toBe(422);
    const rejected = await t.inject('POST', `/api/v1/registrations/${id}/reject`, { token: tokens['gov-sx'], body: { reason: '缺少能评批复' } });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '缺少能评批复' });
    const again = await t.inject('POST', `/api/v1/registrations/${id}/approve`, { token: tokens['gov-sx'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('NOT_SUBMITTED');
  });

  it('edits drafts with If-Match and submits them', async () => {
    const draft = await t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-b'], body: { type: 'create', data: facility({ name: '苏州智算中心', regionCode: '320500', racksDesigned: 100, racksInUse: 50 }) } });
    expect(draft.json().status).toBe('draft');
    const id = draft.json().id;
    const stale = await t.inject('PUT', `/api/v1/registrations/${id}`, { token: tokens['supplier-b'], headers: { 'if-match': '"9"' }, body: { data: facility({ name: '苏州智算中心', regionCode: '320500', racksDesigned: 120, racksInUse: 50 }) } });
    expect(stale.statusCode).toBe(412);
    const edited = await t.inject('PUT', `/api/v1/registrations/${id}`, { token: tokens['supplier-b'], headers: { 'if-match': '"1"' }, body: { data: facility({ name: '苏州智算中心', regionCode: '320500', racksDesigned: 120, racksInUse: 50 }) } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    const submitted = await t.inject('POST', `/api/v1/registrations/${id}/submit`, { token: tokens['supplier-b'] });
    expect(submitted.json().status).toBe('submitted');
    const history = await t.inject('GET', `/api/v1/registrations/${id}/history`, { token: tokens['supplier-b'] });
    expect(history.json().items.map((h: { action: string }) => h.action)).toEqual(['drafted', 'edited', 'submitted']);
    // Another supplier cannot even see it.
    const hidden = await t.inject('GET', `/api/v1/registrations/${id}`, { token: tokens['supplier-a'] });
    expect(hidden.statusCode).toBe(404);
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    const cases: [string, () => Promise<{ statusCode: number; json: () => any; headers: Record<string, unknown> }>, number, string][] = [
      ['malformed JSON', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], payload: '{"type": "create",', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON'],
      ['wrong types', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ racksDesigned: 'many' }) } }), 400, 'INVALID_REQUEST'],
      ['unknown region code', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ regionCode: '999999' }) } }), 422, 'UNKNOWN_REGION'],
      ['negative racks', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ racksDesigned: -5, racksInUse: 0 }) } }), 422, 'NEGATIVE_VALUE'],
      ['racks beyond any facility (and the database integer)', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ racksDesigned: 3_000_000_000, racksInUse: 0 }) } }), 400, 'INVALID_REQUEST'],
      ['racks in use above designed', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ racksInUse: 2001 }) } }), 422, 'RACKS_IN_USE_EXCEED_DESIGNED'],
      ['PUE below 1', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ pueDesign: 0.9 }) } }), 422, 'PUE_BELOW_ONE'],
      ['unknown accelerator', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility({ accelerators: [{ model: 'Quantum-9000', count: 4 }] }) } }), 422, 'UNKNOWN_ACCELERATOR'],
      ['duplicate facility', () => t.inject('POST', '/api/v1/registrations', { token: tokens['supplier-a'], body: { type: 'create', data: facility() } }), 409, 'DUPLICATE_FACILITY'],
      ['a demander registering', () => t.inject('POST', '/api/v1/registrations', { token: tokens.buyer, body: { type: 'create', data: facility({ name: 'x' }) } }), 403, 'NOT_A_SUPPLIER'],
      ['no token', () => t.inject('GET', '/api/v1/facilities'), 401, 'UNAUTHENTICATED'],
      ['a bad token', () => t.inject('GET', '/api/v1/facilities', { token: 'sls_nope' }), 401, 'UNAUTHENTICATED'],
      ['an unknown facility', () => t.inject('GET', '/api/v1/facilities/fac_missing', { token: tokens.buyer }), 404, 'NOT_FOUND'],
      ['an unknown list region', () => t.inject('GET', '/api/v1/facilities?region=999999', { token: tokens.buyer }), 400, 'UNKNOWN_REGION'],
      ['an unknown sort', () => t.inject('GET', '/api/v1/facilities?sort=password', { token: tokens.buyer }), 400, 'INVALID_SORT'],
      ['a forged cursor', () => t.inject('GET', '/api/v1/facilities?cursor=abc', { token: tokens.buyer }), 400, 'INVALID_CURSOR'],
      ['an unknown route', () => t.inject('GET', '/api/v1/nothing', { token: tokens.buyer }), 404, 'ROUTE_NOT_FOUND'],
    ];
    it.each(cases)('%s', async (_name, send, status, code) => {
      const countBefore = (await t.inject('GET', '/api/v1/registrations', { token: tokens.admin })).json().total;
      const response = await send();
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe(code);
      expect(problem.detail.length).toBeGreaterThan(10);
      const countAfter = (await t.inject('GET', '/api/v1/registrations', { token: tokens.admin })).json().total;
      expect(countAfter).toBe(countBefore);
    });
  });

  it('paginates with cursors in a stable order', async () => {
    const admin = tokens.admin;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/facilities?limit=1&sort=-racksDesigned${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.inject('GET', url, { token: admin })).json();
      seen.push(...page.items.map((f: { id: string }) => f.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await t.inject('GET', '/api/v1/facilities?limit=500', { token: admin })).json();
    expect(seen.sort()).toEqual(all.items.map((f: { id: string }) => f.id).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('locks an account after repeated failed sign-ins', async () => {
    for (let i = 0; i < 5; i += 1) {
      const bad = await t.inject('POST', '/api/v1/auth/login', { body: { username: 'buyer', password: 'wrong-password' } });
      expect(bad.statusCode).toBe(401);
    }
    const locked = await t.inject('POST', '/api/v1/auth/login', { body: { username: 'buyer', password: PASSWORD } });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
  });

  it('issues and revokes API tokens', async () => {
    const created = await t.inject('POST', '/api/v1/auth/tokens', { token: tokens['supplier-a'], body: { name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const apiToken = created.json().token;
    expect((await t.inject('GET', '/api/v1/auth/me', { token: apiToken })).json().username).toBe('supplier-a');
    await t.inject('DELETE', `/api/v1/auth/tokens/${created.json().id}`, { token: tokens['supplier-a'] });
    expect((await t.inject('GET', '/api/v1/auth/me', { token: apiToken })).statusCode).toBe(401);
  });
});
