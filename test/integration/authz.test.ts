import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { sha256Hex } from '../../src/ids.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts/evaluate.ts';
import { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from '../../src/security/headers.ts';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../../src/security/rate-limit.ts';
import { ACTORS, type ActorKind, isAllowed, MATRIX, matrixKey, type MatrixRow } from '../../src/security/matrix.ts';
import { fillPath, listOperations, type OpenApiDocument, type Operation, sampleOf } from '../../src/security/openapi.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

// The authorisation walk: every route of the OpenAPI document × every kind of actor, against the
// expectations of src/security/matrix.ts. A route missing from the matrix fails the walk.

const PASSWORD = 'Walk-Test-Pass-9x';
const ROOT = 'Root-Test-Pass-1';
const USERS: Record<Exclude<ActorKind, 'anonymous'>, string> = {
  admin: 'admin',
  govNational: 'walk-gov-cn',
  govInRegion: 'walk-gov-sx',
  govOutOfRegion: 'walk-gov-js',
  supplierOwner: 'walk-supplier-a',
  supplierOther: 'walk-supplier-b',
  demander: 'walk-demander',
  provider: 'walk-provider',
};

const facility = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  regionCode: '140213',
  address: '山西省大同市平城区',
  status: 'in_operation',
  kind: 'intelligent',
  racksDesigned: 200,
  racksInUse: 100,
  ...overrides,
});

interface WalkRequest {
  url: string;
  body?: unknown;
  payload?: string;
  headers?: Record<string, string>;
  /** Sign in again first: for routes that end the caller's session. */
  freshToken?: boolean;
}

describe(`authorisation walk over the OpenAPI document (${databaseKind})`, () => {
  let t: TestPlatform;
  let operations: Operation[] = [];
  const tokens: Partial<Record<ActorKind, string>> = {};
  const orgs: Record<string, string> = {};
  const fx = { facilityId: '', submittedId: '', draftId: '', apiTokenId: '', ingestTokenId: '', ingestToken: '', alertRuleId: '', alertId: '', offerId: '', demandId: '', serviceId: '', orderId: '' };
  let serial = 0;
  const unique = (prefix: string) => `${prefix}-${++serial}-${Date.now() % 100000}`;

  const as = (actor: ActorKind | 'admin', method: MatrixRow['method'], url: string, options: { body?: unknown; payload?: string; headers?: Record<string, string>; token?: string } = {}) =>
    t.inject(method, url, { ...options, token: options.token ?? (actor === 'anonymous' ? undefined : tokens[actor]) });

  const newRegistration = async (submit: boolean) => {
    const response = await as('supplierOwner', 'POST', '/api/v1/registrations', { body: { type: 'create', data: facility(unique('大同走查节点')), submit } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number; data: Record<string, unknown> };
  };

  const alertRule = () => ({ name: unique('走查告警'), kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.4, forSeconds: 0, facilityId: fx.facilityId });
  const newAlertRule = async () => {
    const response = await as('supplierOwner', 'POST', '/api/v1/alert-rules', { body: alertRule() });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number };
  };

  /** A minimal valid request per route; routes not named here get one built from their schema. */
  // The marketplace fixtures: supplier A's cpu offer on its facility, the demander's orders on it (docs/market.md).
  const HOUR = 3_600_000;
  const marketOffer = () => ({ facilityId: fx.facilityId, product: 'cpu-general', quantity: 1_000_000, window: { start: new Date(Date.now() - HOUR).toISOString(), end: new Date(Date.now() + 365 * 24 * HOUR).toISOString() }, pricePerUnit: 0.05 });
  const newOffer = async () => {
    const response = await as('supplierOwner', 'POST', '/api/v1/offers', { body: marketOffer() });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  const orderWindow = () => ({ start: new Date(Date.now() + 24 * HOUR).toISOString(), end: new Date(Date.now() + 48 * HOUR).toISOString() });
  /** A fresh order of the demander on the fixture offer, taken to the state a route needs. */
  const newOrder = async (state: 'quote' | 'reserved' | 'active' | 'completed' = 'reserved') => {
    const placed = await as('demander', 'POST', '/api/v1/orders', { headers: { 'idempotency-key': unique('walk-order') }, body: { offerId: fx.offerId, quantity: 1, ...orderWindow(), quote: state === 'quote' } });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json() as { id: string; start: string };
    if (state === 'active' || state === 'completed') expect((await as('supplierOwner', 'POST', `/api/v1/orders/${order.id}/activate`)).statusCode).toBe(200);
    if (state === 'completed') expect((await as('demander', 'POST', `/api/v1/orders/${order.id}/complete`)).statusCode).toBe(200);
    return order;
  };
  const marketDemand = () => ({ hard: { acceleratorModel: 'H200' }, count: 8, start: orderWindow().start, durationHours: 72, latency: { fromRegionCode: '140200', maxMs: 5 }, maxPricePerUnit: 30 });

  const builders: Record<string, (actor: ActorKind) => Promise<Partial<WalkRequest>> | Partial<WalkRequest>> = {
    'POST /api/v1/offers': () => ({ body: marketOffer() }),
    'PATCH /api/v1/offers/{id}': async () => {
      const current = (await as('admin', 'GET', `/api/v1/offers/${fx.offerId}`)).json();
      return { url: `/api/v1/offers/${fx.offerId}`, headers: { 'if-match': `"${current.version}"` }, body: { pricePerUnit: 0.05 + (serial++ % 10) / 100 } };
    },
    'POST /api/v1/offers/{id}/withdraw': async () => ({ url: `/api/v1/offers/${await newOffer()}/withdraw` }),
    'POST /api/v1/demands': () => ({ body: marketDemand() }),
    'POST /api/v1/services': () => ({ body: { kind: 'model_deployment', name: unique('走查模型部署'), offerIds: [fx.offerId] } }),
    'POST /api/v1/orders': () => ({ headers: { 'idempotency-key': unique('walk-order') }, body: { offerId: fx.offerId, quantity: 1, ...orderWindow() } }),
    'POST /api/v1/orders/{id}/confirm': async () => ({ url: `/api/v1/orders/${(await newOrder('quote')).id}/confirm` }),
    'POST /api/v1/orders/{id}/activate': async () => ({ url: `/api/v1/orders/${(await newOrder()).id}/activate` }),
    'POST /api/v1/orders/{id}/cancel': async () => ({ url: `/api/v1/orders/${(await newOrder()).id}/cancel`, body: {} }),
    'POST /api/v1/orders/{id}/complete': async () => ({ url: `/api/v1/orders/${(await newOrder('active')).id}/complete` }),
    'POST /api/v1/orders/{id}/dispute': async () => ({ url: `/api/v1/orders/${(await newOrder('active')).id}/dispute`, body: { reason: '走查争议' } }),
    'POST /api/v1/orders/{id}/usage': async () => {
      const order = await newOrder('active');
      return { url: `/api/v1/orders/${order.id}/usage`, body: { periodStart: order.start, periodEnd: new Date(Date.parse(order.start) + HOUR).toISOString(), quantity: 1 } };
    },
    'POST /api/v1/orders/{id}/rating': async () => ({ url: `/api/v1/orders/${(await newOrder('completed')).id}/rating`, body: { stars: 4 } }),
    'POST /api/v1/auth/login': () => ({ body: { username: 'walk-login', password: PASSWORD } }),
    'POST /api/v1/auth/logout': () => ({ freshToken: true }),
    'POST /api/v1/auth/tokens': () => ({ body: { name: 'walk' } }),
    'DELETE /api/v1/auth/tokens/{id}': () => ({ url: `/api/v1/auth/tokens/${fx.apiTokenId}` }),
    'POST /api/v1/organizations': () => ({ body: { name: unique('走查公司'), kind: 'enterprise', marketRoles: ['demander'] } }),
    'POST /api/v1/users': () => ({ body: { username: unique('walk-new'), password: PASSWORD, orgId: orgs.demander } }),
    'POST /api/v1/registrations': () => ({ body: { type: 'create', data: facility(unique('大同新建节点')) } }),
    'PUT /api/v1/registrations/{id}': async () => {
      const current = (await as('admin', 'GET', `/api/v1/registrations/${fx.draftId}`)).json();
      return { url: `/api/v1/registrations/${fx.draftId}`, headers: { 'if-match': `"${current.version}"` }, body: { data: facility(current.data.name, { racksInUse: 100 + (serial++ % 100) }) } };
    },
    'POST /api/v1/registrations/{id}/submit': async () => ({ url: `/api/v1/registrations/${(await newRegistration(false)).id}/submit` }),
    'POST /api/v1/registrations/{id}/approve': async () => ({ url: `/api/v1/registrations/${(await newRegistration(true)).id}/approve` }),
    'POST /api/v1/registrations/{id}/reject': async () => ({ url: `/api/v1/registrations/${(await newRegistration(true)).id}/reject`, body: { reason: '走查驳回' } }),
    'DELETE /api/v1/facilities/{id}/ingest-tokens/{tokenId}': () => ({ url: `/api/v1/facilities/${fx.facilityId}/ingest-tokens/${fx.ingestTokenId}` }),
    'POST /api/v1/alert-rules': () => ({ body: alertRule() }),
    'PUT /api/v1/alert-rules/{id}': async () => {
      const current = (await as('admin', 'GET', `/api/v1/alert-rules/${fx.alertRuleId}`)).json();
      return { url: `/api/v1/alert-rules/${fx.alertRuleId}`, headers: { 'if-match': `"${current.version}"` }, body: { ...alertRule(), name: current.name } };
    },
    'DELETE /api/v1/alert-rules/{id}': async () => ({ url: `/api/v1/alert-rules/${(await newAlertRule()).id}` }),
    'GET /api/v1/audit/entries': () => ({ url: `/api/v1/audit/entries?objectType=facility&objectId=${fx.facilityId}` }),
    'GET /api/v1/audit/entries/{seq}/proof': async () => {
      const entries = (await as('admin', 'GET', `/api/v1/audit/entries?objectType=facility&objectId=${fx.facilityId}`)).json();
      return { url: `/api/v1/audit/entries/${entries.items[0].seq}/proof` };
    },
    'POST /api/v1/facilities/import': () => ({
      url: '/api/v1/facilities/import?dryRun=true',
      headers: { 'content-type': 'text/csv' },
      payload: `name,regionCode,status,kind,racksDesigned,racksInUse,owner\n${unique('大同导入节点')},140213,planned,edge,10,0,走查供给方A\n`,
    }),
  };

  /** Path parameters by name, for routes without a builder. */
  const pathValue = (op: Operation, name: string): string => {
    if (name === 'code') return '140213';
    if (op.path.startsWith('/api/v1/facilities/')) return fx.facilityId;
    if (op.path.startsWith('/api/v1/alert-rules/')) return fx.alertRuleId;
    if (op.path.startsWith('/api/v1/alerts/')) return fx.alertId;
    if (op.path.startsWith('/api/v1/registrations/')) return fx.submittedId;
    if (op.path.startsWith('/api/v1/offers/')) return fx.offerId;
    if (op.path.startsWith('/api/v1/demands/')) return fx.demandId;
    if (op.path.startsWith('/api/v1/services/')) return fx.serviceId;
    if (op.path.startsWith('/api/v1/orders/')) return fx.orderId;
    return 'x';
  };

  async function requestFor(op: Operation, actor: ActorKind): Promise<WalkRequest> {
    const built = (await builders[op.key]?.(actor)) ?? {};
    const params = Object.fromEntries(op.pathParams.map((p) => [p.name, pathValue(op, p.name)]));
    const query = op.query.filter((q) => q.required).map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(sampleOf(q.schema)))}`);
    const url = built.url ?? fillPath(op.path, params) + (query.length ? `?${query.join('&')}` : '');
    const json = op.bodies.find((b) => b.contentType === 'application/json');
    const body = built.body ?? built.payload ?? (json ? sampleOf(json.schema) : undefined);
    return { ...built, url, ...(built.payload === undefined ? { body } : {}) };
  }

  beforeAll(async () => {
    t = await createTestPlatform();
    tokens.admin = await t.login('admin', ROOT);
    for (const [key, body] of [
      ['supplierA', { name: '走查供给方A', kind: 'enterprise', marketRoles: ['supplier'] }],
      ['supplierB', { name: '走查供给方B', kind: 'enterprise', marketRoles: ['supplier'] }],
      ['demander', { name: '走查需求方', kind: 'enterprise', marketRoles: ['demander'] }],
      ['provider', { name: '走查服务方', kind: 'enterprise', marketRoles: ['provider'] }],
      ['national', { name: '国家数据局(走查)', kind: 'government', jurisdictionCode: '000000' }],
      ['shanxi', { name: '山西省数据局(走查)', kind: 'government', jurisdictionCode: '140000' }],
      ['jiangsu', { name: '江苏省数据局(走查)', kind: 'government', jurisdictionCode: '320000' }],
    ] as const) {
      const response = await as('admin', 'POST', '/api/v1/organizations', { body });
      expect(response.statusCode, response.body).toBe(201);
      orgs[key] = response.json().id;
    }
    const orgOf: Record<string, string> = {
      govNational: 'national',
      govInRegion: 'shanxi',
      govOutOfRegion: 'jiangsu',
      supplierOwner: 'supplierA',
      supplierOther: 'supplierB',
      demander: 'demander',
      provider: 'provider',
      login: 'demander',
    };
    for (const [actor, username] of [...Object.entries(USERS).filter(([a]) => a !== 'admin'), ['login', 'walk-login']]) {
      const response = await as('admin', 'POST', '/api/v1/users', { body: { username, password: PASSWORD, orgId: orgs[orgOf[actor]] } });
      expect(response.statusCode, response.body).toBe(201);
      if (actor !== 'login') tokens[actor as ActorKind] = await t.login(username, PASSWORD);
    }
    // An approved facility in 大同 owned by supplier A, a submitted and a draft registration of A there.
    const approved = await newRegistration(true);
    const decided = await as('admin', 'POST', `/api/v1/registrations/${approved.id}/approve`);
    expect(decided.statusCode, decided.body).toBe(200);
    fx.facilityId = decided.json().facilityId;
    fx.submittedId = (await newRegistration(true)).id;
    fx.draftId = (await newRegistration(false)).id;
    const apiToken = await as('supplierOwner', 'POST', '/api/v1/auth/tokens', { body: { name: 'walk-fixture' } });
    expect(apiToken.statusCode, apiToken.body).toBe(201);
    fx.apiTokenId = apiToken.json().id;
    const ingest = await as('admin', 'POST', `/api/v1/facilities/${fx.facilityId}/ingest-tokens`, { body: { name: 'walk-fixture' } });
    expect(ingest.statusCode, ingest.body).toBe(201);
    fx.ingestTokenId = ingest.json().id;
    const live = await as('admin', 'POST', `/api/v1/facilities/${fx.facilityId}/ingest-tokens`, { body: { name: 'walk-live' } });
    fx.ingestToken = live.json().token;
    // An alert rule of supplier A on its facility, and an alert it raised (PUE 1.6 > 1.4).
    fx.alertRuleId = (await newAlertRule()).id;
    const pue = await as('anonymous', 'POST', '/api/v1/metrics', { body: { samples: [{ metric: 'pue', value: 1.6 }] }, token: fx.ingestToken });
    expect(pue.statusCode, pue.body).toBe(200);
    await evaluateAlerts(t.platform.deps);
    const alerts = await as('admin', 'GET', `/api/v1/alerts?ruleId=${fx.alertRuleId}`);
    expect(alerts.json().items, alerts.body).toHaveLength(1);
    fx.alertId = alerts.json().items[0].id;
    // The marketplace: an offer of supplier A, a demand of the demander naming 大同, a service, a reserved order.
    fx.offerId = await newOffer();
    const demand = await as('demander', 'POST', '/api/v1/demands', { body: marketDemand() });
    expect(demand.statusCode, demand.body).toBe(201);
    fx.demandId = demand.json().id;
    const service = await as('provider', 'POST', '/api/v1/services', { body: { kind: 'fine_tuning', name: '走查精调', offerIds: [fx.offerId] } });
    expect(service.statusCode, service.body).toBe(201);
    fx.serviceId = service.json().id;
    fx.orderId = (await newOrder()).id;
    operations = listOperations((await t.inject('GET', '/api/v1/openapi.json')).json() as OpenApiDocument);
  });
  afterAll(async () => t?.close());

  it('covers every route of the OpenAPI document, and only those', () => {
    const documented = new Set(operations.map((op) => op.key));
    const inMatrix = new Set(MATRIX.map(matrixKey));
    expect([...documented].filter((key) => !inMatrix.has(key)), 'routes of the OpenAPI document missing from src/security/matrix.ts').toEqual([]);
    expect([...inMatrix].filter((key) => !documented.has(key)), 'matrix rows naming routes that no longer exist').toEqual([]);
    expect(MATRIX.length, 'a route listed twice in the matrix').toBe(inMatrix.size);
  });

  it('declares public routes as public in the OpenAPI document (security: []), and only those', () => {
    const rules = new Map(MATRIX.map((row) => [matrixKey(row), row.rule]));
    const wrong = operations.filter((op) => rules.has(op.key) && (rules.get(op.key) === 'public') !== op.declaredPublic).map((op) => `${op.key}: matrix ${rules.get(op.key)}, document ${op.declaredPublic ? 'public' : 'needs credentials'}`);
    expect(wrong).toEqual([]);
  });

  it.each(MATRIX.map((row) => [matrixKey(row), row] as const))('%s answers every actor as the matrix says', async (_key, row) => {
    const op = operations.find((o) => o.key === matrixKey(row));
    expect(op, 'the route is in the document').toBeDefined();
    const mismatches: string[] = [];
    for (const actor of ACTORS) {
      const request = await requestFor(op!, actor);
      let token: string | undefined;
      if (request.freshToken && actor !== 'anonymous') token = await t.login(USERS[actor], actor === 'admin' ? ROOT : PASSWORD);
      const response = await as(actor, row.method, request.url, { body: request.body, payload: request.payload, headers: request.headers, token });
      const expected = row.expect[actor];
      if (response.statusCode !== expected) {
        mismatches.push(`${actor}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
        continue;
      }
      if (!isAllowed(expected)) {
        const problem = response.json();
        if (!String(response.headers['content-type']).startsWith('application/problem+json') || !problem.code || !problem.detail) {
          mismatches.push(`${actor}: the ${expected} is not problem+json with code and detail`);
        }
        if (JSON.stringify(problem).includes('    at ')) mismatches.push(`${actor}: the error carries a stack trace`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets an ingestion token write for its facility, and refuses user tokens there', async () => {
    const body = { samples: [{ metric: 'suanli_walk', value: 1 }] };
    const written = await as('anonymous', 'POST', '/api/v1/metrics', { body, token: fx.ingestToken });
    expect(written.statusCode, written.body).toBe(200);
    const user = await as('supplierOwner', 'POST', '/api/v1/metrics', { body });
    expect(user.statusCode).toBe(401);
    // An ingestion token is no user token: it opens none of the user routes.
    const misuse = await as('anonymous', 'GET', '/api/v1/auth/me', { token: fx.ingestToken });
    expect(misuse.statusCode).toBe(401);
  });
});

describe(`hardening: sessions, rate limits, headers, inputs (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock('2026-03-01T00:00:00Z');
  const PER_MINUTE = 20;
  let supplierToken = '';

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_SECURE_COOKIES: 'true', SUANLI_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) } });
    const admin = await t.login('admin', ROOT);
    const org = await t.inject('POST', '/api/v1/organizations', { token: admin, body: { name: '加固测试供给方', kind: 'enterprise', marketRoles: ['supplier'] } });
    for (const username of ['hard-a', 'hard-b']) {
      const user = await t.inject('POST', '/api/v1/users', { token: admin, body: { username, password: PASSWORD, orgId: org.json().id } });
      expect(user.statusCode, user.body).toBe(201);
    }
    supplierToken = await t.login('hard-b', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('limits sign-in attempts per address and username: 429 problem+json with Retry-After', async () => {
    const attempt = (username: string) => t.inject('POST', '/api/v1/auth/login', { body: { username, password: 'Wrong-Password-1' } });
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) expect((await attempt('nobody-here')).statusCode).toBe(401);
    const limited = await attempt('nobody-here');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another username from the same address is not held back by it.
    expect((await attempt('someone-else')).statusCode).toBe(401);
  });

  it('limits requests per token (SUANLI_RATE_LIMIT_PER_MINUTE), one budget per token', async () => {
    const token = await t.login('hard-a', PASSWORD);
    for (let i = 0; i < PER_MINUTE; i++) expect((await t.inject('GET', '/api/v1/auth/me', { token })).statusCode).toBe(200);
    const limited = await t.inject('GET', '/api/v1/auth/me', { token });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await t.inject('GET', '/api/v1/auth/me', { token: supplierToken })).statusCode).toBe(200);
    // Outside /api (health, metrics, the web app) nothing is limited.
    for (let i = 0; i <= PER_MINUTE; i++) expect((await t.inject('GET', '/healthz')).statusCode).toBe(200);
  });

  it('sends HSTS behind TLS, CSP and framing protection on pages, nosniff everywhere', async () => {
    const api = await t.inject('GET', '/api/v1/meta');
    expect(api.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['referrer-policy']).toBe('no-referrer');
    const page = await t.inject('GET', '/', { headers: { accept: 'text/html' } });
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax and Secure behind TLS, with a new secret on every sign-in', async () => {
    const first = await t.inject('POST', '/api/v1/auth/login', { body: { username: 'hard-b', password: PASSWORD } });
    const second = await t.inject('POST', '/api/v1/auth/login', { body: { username: 'hard-b', password: PASSWORD } });
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/suanli_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    expect(first.json().token).not.toBe(second.json().token);
  });

  it('lets a session cookie read but never write (CSRF has nothing to ride on)', async () => {
    const token = await t.login('hard-b', PASSWORD);
    const cookie = { cookie: `suanli_session=${token}` };
    expect((await t.inject('GET', '/api/v1/auth/me', { headers: cookie })).statusCode).toBe(200);
    const write = await t.inject('POST', '/api/v1/auth/tokens', { headers: cookie, body: { name: 'csrf' } });
    expect(write.statusCode).toBe(401);
    expect(write.json().code).toBe('UNAUTHENTICATED');
  });

  it('stores only hashes of secrets, and refuses expired and revoked tokens', async () => {
    const token = await t.login('hard-b', PASSWORD);
    const db = t.platform.deps.database;
    expect(await db.query('select id from access_tokens where token_hash = $1', [token])).toHaveLength(0);
    expect(await db.query('select id from access_tokens where token_hash = $1', [sha256Hex(token)])).toHaveLength(1);
    const api = await t.inject('POST', '/api/v1/auth/tokens', { token, body: { name: 'short', ttlDays: 1 } });
    const apiToken = api.json().token as string;
    expect((await t.inject('GET', '/api/v1/auth/tokens', { token: apiToken })).statusCode).toBe(200);
    clock.advance(25 * 3600_000); // past the 12 h session and the 1-day API token
    expect((await t.inject('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
    expect((await t.inject('GET', '/api/v1/auth/me', { token: apiToken })).statusCode).toBe(401);
    const fresh = await t.login('hard-b', PASSWORD);
    expect((await t.inject('POST', '/api/v1/auth/logout', { token: fresh })).statusCode).toBe(204);
    expect((await t.inject('GET', '/api/v1/auth/me', { token: fresh })).statusCode).toBe(401);
    supplierToken = await t.login('hard-b', PASSWORD); // the earlier one expired with the clock
  });

  it('refuses unknown fields (mass assignment), oversized bodies and NUL characters with problem+json, writing nothing', async () => {
    const before = (await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from registrations'))[0].n;
    const extra = await t.inject('POST', '/api/v1/registrations', {
      token: supplierToken,
      body: { type: 'create', data: facility('加固测试节点'), submit: true, status: 'approved', orgId: 'org_platform' },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('INVALID_REQUEST');
    const nested = await t.inject('POST', '/api/v1/registrations', { token: supplierToken, body: { type: 'create', data: { ...facility('加固测试节点'), ownerOrgId: 'org_platform' } } });
    expect(nested.statusCode).toBe(400);
    const huge = await t.inject('POST', '/api/v1/registrations', { token: supplierToken, payload: JSON.stringify({ type: 'create', data: facility('x'.repeat(2 * 1024 * 1024)) }), headers: { 'content-type': 'application/json' } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('BODY_TOO_LARGE');
    const nul = await t.inject('POST', '/api/v1/registrations', { token: supplierToken, body: { type: 'create', data: facility('大同\u0000节点') } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: 'NUL_CHARACTER', errors: [{ path: '/data/name' }] });
    const after = (await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from registrations'))[0].n;
    expect(after).toBe(before);
  });

  it('treats SQL in inputs as data (parameterised queries)', async () => {
    const probe = await t.inject('GET', `/api/v1/facilities?q=${encodeURIComponent("' OR 1=1; drop table facilities; --")}&owner=${encodeURIComponent("x' OR '1'='1")}`, { token: supplierToken });
    expect(probe.statusCode).toBe(200);
    expect(probe.json().total).toBe(0);
    expect((await t.platform.deps.database.query('select count(*) from facilities')).length).toBe(1);
  });

  it('answers forged cursors and out-of-range values with 400, not 500', async () => {
    const forged = (position: object, tag: string) => Buffer.from(JSON.stringify({ t: tag, p: position })).toString('base64url');
    const registrations = await t.inject('GET', `/api/v1/registrations?cursor=${forged({ at: 'yesterday', id: 1 }, 'registrations')}`, { token: supplierToken });
    expect(registrations.statusCode).toBe(400);
    expect(registrations.json().code).toBe('INVALID_CURSOR');
    const facilities = await t.inject('GET', `/api/v1/facilities?sort=updatedAt&cursor=${forged({ v: 'never', id: 'x' }, 'facilities:updatedAt:false')}`, { token: supplierToken });
    expect(facilities.json().code).toBe('INVALID_CURSOR');
    const typed = await t.inject('GET', `/api/v1/facilities?sort=rackUtilization&cursor=${forged({ v: 'abc', id: 'x' }, 'facilities:rackUtilization:false')}`, { token: supplierToken });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().code).toBe('INVALID_VALUE');
    // Ajv coerces 'Infinity' to a number and then skips maximum for it: refused after validation.
    const infinite = await t.inject('GET', '/api/v1/registrations?limit=Infinity', { token: supplierToken });
    expect(infinite.statusCode).toBe(400);
    expect(infinite.json().code).toBe('INVALID_REQUEST');
    const longParam = await t.inject('GET', `/api/v1/facilities/${'x'.repeat(500)}`, { token: supplierToken });
    expect(longParam.statusCode).toBe(414);
    expect(longParam.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
