import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changedTables, type Fingerprint, fingerprint, fingerprintStatement, nextTransactionId } from '../../src/security/fingerprint.ts';
import { fillPath, listOperations, type OpenApiDocument, type Operation, sampleOf } from '../../src/security/openapi.ts';
import { createTestPlatform, databaseKind } from '../harness.ts';

// Property-based fuzzing of every route of the OpenAPI document (fast-check): valid-ish and invalid
// bodies, queries, path parameters and headers, as several actors. Never a 5xx; every 4xx is
// problem+json with code and detail; a rejected request leaves the database as it was.
// FUZZ_RUNS (default 10,000) requests in all, FUZZ_SEED (default below) makes a run reproducible.

const SEED = Number(process.env.FUZZ_SEED || 20_261_126);
const RUNS = Number(process.env.FUZZ_RUNS || 10_000);
const PASSWORD = 'Fuzz-Test-Pass-9x';
const ROOT = 'Root-Test-Pass-1';

/** Routes whose rejected requests may legitimately write, and what they may touch. */
const MAY_WRITE_WHEN_REJECTED: { matches: (op: Operation) => boolean; tables: string[]; why: string }[] = [
  { matches: (op) => op.key === 'POST /api/v1/auth/login', tables: ['users', 'audit_log'], why: 'a wrong password counts towards the lock-out; the lock-out itself is audited' },
  { matches: (op) => op.path === '/api/v1/write' || op.path === '/api/v1/metrics', tables: ['ingest_tokens'], why: 'a valid ingestion token records when it was last used (at most once a minute) before the body is read' },
];
/** Bodies we do not generate (binary wire formats); their headers, queries and credentials are fuzzed all the same. */
const BINARY_BODY = new Set(['POST /api/v1/write']);

const t = await createTestPlatform({ env: { SUANLI_RATE_LIMIT_PER_MINUTE: '1000000' } });
const database = t.platform.deps.database;

// ---------------------------------------------------------------- fixtures (as admin, through the API)

const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
  const response = await t.inject(method, url, { token, body });
  if (response.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
};
const admin = await t.login('admin', ROOT);
const org = async (body: object) => (await call('POST', '/api/v1/organizations', admin, body)).id as string;
const supplierOrg = await org({ name: '模糊测试供给方', kind: 'enterprise', marketRoles: ['supplier'] });
const demanderOrg = await org({ name: '模糊测试需求方', kind: 'enterprise', marketRoles: ['demander'] });
const shanxiOrg = await org({ name: '山西省数据局(模糊)', kind: 'government', jurisdictionCode: '140000' });
for (const [username, orgId] of [['fuzz-supplier', supplierOrg], ['fuzz-demander', demanderOrg], ['fuzz-gov', shanxiOrg]]) {
  await call('POST', '/api/v1/users', admin, { username, password: PASSWORD, orgId });
}
// API tokens, not sessions, for the actors: a fuzzed logout must not sign them out (logout is fuzzed anonymously only).
const apiToken = async (token: string) => (await call('POST', '/api/v1/auth/tokens', token, { name: 'fuzz' })).token as string;
const supplier = await apiToken(await t.login('fuzz-supplier', PASSWORD));
const demander = await apiToken(await t.login('fuzz-demander', PASSWORD));
const gov = await apiToken(await t.login('fuzz-gov', PASSWORD));
const adminSession = await t.login('admin', ROOT);
const facilityInput = (name: string) => ({ name, regionCode: '140213', status: 'in_operation', kind: 'intelligent', racksDesigned: 100, racksInUse: 50 });
const approvedReg = await call('POST', '/api/v1/registrations', supplier, { type: 'create', data: facilityInput('模糊测试算力中心'), submit: true });
const facilityId = (await call('POST', `/api/v1/registrations/${approvedReg.id}/approve`, admin)).facilityId as string;
const submitted = (await call('POST', '/api/v1/registrations', supplier, { type: 'create', data: facilityInput('模糊测试待审节点'), submit: true })).id as string;
const draft = (await call('POST', '/api/v1/registrations', supplier, { type: 'create', data: facilityInput('模糊测试草稿节点') })).id as string;
const victimToken = (await call('POST', '/api/v1/auth/tokens', supplier, { name: 'fuzz-victim' })).id as string;
const victimIngest = (await call('POST', `/api/v1/facilities/${facilityId}/ingest-tokens`, admin, { name: 'fuzz-victim' })).id as string;
const ingestToken = (await call('POST', `/api/v1/facilities/${facilityId}/ingest-tokens`, admin, { name: 'fuzz-live' })).token as string;
const alertRule = (await call('POST', '/api/v1/alert-rules', supplier, { name: '模糊测试告警', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, facilityId })).id as string;
const doc = (await t.inject('GET', '/api/v1/openapi.json')).json() as OpenApiDocument;
const operations = listOperations(doc);
const fingerprintSql = await fingerprintStatement(database);

// ---------------------------------------------------------------- arbitraries

const NASTY = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '-1', '-0', '0', '1e309', '-1e309', '0x10', '1_000', 'null', 'undefined', 'true', '[]', '{}', '[object Object]',
  '__proto__', 'constructor', 'prototype', "' OR 1=1 --", '"; drop table users; --', '%', '_', '\\', '../../etc/passwd', '%00', '\u0000', 'a\u0000b', '\uFEFF', '\uD800',
  '𠮷野家', '🚀🚀', '山西省大同市', 'ǅ', '\r\n', '<script>alert(1)</script>', '${7*7}', '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '9'.repeat(400), '140213', '000000', '999999',
];
const junkString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 70_000).map((n) => 'x'.repeat(n)) },
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -1e308, 1e308, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 0.5, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(junkString, { maxLength: 5 }),
);

/** Every path into a JSON value, to replace one spot of a valid body with junk. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (prefix.length < 4 && value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}
function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), replacement);
  return copy;
}

const MALFORMED = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'nul', '[1,2', '\uFEFF{}', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '"just a string"', '1e999', `${'['.repeat(3000)}${']'.repeat(3000)}`, '{"a":"\\ud800"}', ''];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'text/csv', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/x-protobuf', 'application/octet-stream', '*/*', 'garbage', ''];

interface FuzzRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface FuzzBody {
  payload?: string;
  contentType?: string;
}

function bodyArbitrary(op: Operation): fc.Arbitrary<FuzzBody> {
  const schema = op.bodies.find((b) => b.contentType === 'application/json')?.schema;
  const sample = schema ? sampleOf(schema) : {};
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  const options: fc.Arbitrary<FuzzBody>[] = [
    fc.constant<FuzzBody>({}),
    fc.constant(json(sample)),
    fc.tuple(fc.constantFrom(...pathsOf(sample)), junkValue).map(([path, junk]) => json(setAt(sample, path, junk))),
    fc.tuple(fc.constantFrom(...pathsOf(sample)), fc.string({ maxLength: 12 }), junkValue).map(([path, key, junk]) => json(setAt(sample, path, { ...(sample as object), [key]: junk }))),
    fc.jsonValue({ maxDepth: 5 }).map(json),
    fc.tuple(fc.constantFrom(...MALFORMED), fc.constantFrom('application/json', 'application/json; charset=utf-8')).map(([payload, contentType]) => ({ payload, contentType })),
    fc.tuple(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), junkString), fc.constantFrom(...CONTENT_TYPES)).map(([payload, contentType]) => ({ payload, contentType })),
    fc.array(fc.array(junkString, { maxLength: 8 }).map((cells) => cells.map((c) => c.replaceAll('\n', ' ')).join(',')), { maxLength: 6 }).map((lines) => ({
      payload: ['name,regionCode,status,kind,racksDesigned,racksInUse', ...lines].join('\n'),
      contentType: 'text/csv',
    })),
    fc.constant({ payload: JSON.stringify({ junk: 'y'.repeat(1_100_000) }), contentType: 'application/json' }),
  ];
  if (schema) {
    const required = ((schema.required as string[] | undefined) ?? []).filter((name) => sample && typeof sample === 'object' && name in sample);
    if (required.length > 0) {
      options.push(
        fc.constantFrom(...required).map((name) => {
          const { [name]: _dropped, ...rest } = sample as Record<string, unknown>;
          return json(rest);
        }),
      );
    }
  }
  return fc.oneof(...options);
}

const FIXTURE_IDS = [facilityId, submitted, draft, victimToken, victimIngest, approvedReg.id, supplierOrg, alertRule, '140213', '000000'];
const pathValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FIXTURE_IDS) }, { weight: 2, arbitrary: junkString });

function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const known = op.query.map((q) =>
    fc.option(
      fc.oneof(fc.constant(String(sampleOf(q.schema))), junkString, fc.array(junkString, { minLength: 2, maxLength: 3 })).map((value) => [q.name, value] as const),
      { freq: 2 },
    ),
  );
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'limit[]', 'a[b]'), fc.string({ maxLength: 10 })), junkString), { maxLength: 2 });
  return fc.tuple(fc.tuple(...known), extra).map(([pairs, more]) => {
    const parts: string[] = [];
    for (const pair of [...pairs, ...more]) {
      if (!pair) continue;
      const [name, value] = pair;
      for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v).replaceAll(/[\uD800-\uDFFF]/g, '?'))}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

const ACTORS: Record<string, Record<string, string>> = {
  anonymous: {},
  admin: { authorization: `Bearer ${admin}` },
  supplier: { authorization: `Bearer ${supplier}` },
  government: { authorization: `Bearer ${gov}` },
  demander: { authorization: `Bearer ${demander}` },
  adminCookieOnly: { cookie: `suanli_session=${adminSession}` },
  ingestToken: { authorization: `Bearer ${ingestToken}` },
  garbageToken: { authorization: 'Bearer sls_not-a-real-token' },
  malformedAuth: { authorization: 'Basic YWRtaW46YWRtaW4=' },
};
const headerValue = fc.oneof(junkString.map((s) => s.replaceAll(/[^\x20-\x7e]/g, '')), fc.constantFrom('"1"', 'W/"1"', '*', '"999999999999999999999"', '"-1"', '"NaN"'));

function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const actorNames = Object.keys(ACTORS).filter((name) => !op.path.endsWith('/logout') || !['admin', 'supplier', 'government', 'demander'].includes(name));
  const params = fc.tuple(...op.pathParams.map(() => pathValue));
  const body = BINARY_BODY.has(op.key) ? fc.constant<FuzzBody>({}) : bodyArbitrary(op);
  const extraHeaders = fc.record(
    {
      'if-match': headerValue,
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', 'garbage'),
      'x-request-id': headerValue,
      'idempotency-key': headerValue,
      'content-encoding': fc.constantFrom('gzip', 'snappy', 'identity', 'br'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', '::1', 'garbage'),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(fc.constantFrom(...actorNames), params, queryArbitrary(op), body, extraHeaders).map(([actor, values, query, { payload, contentType }, extra]) => {
    const url = fillPath(op.path, Object.fromEntries(op.pathParams.map((p, i) => [p.name, String(values[i]).replaceAll(/[\uD800-\uDFFF]/g, '?')]))) + query;
    const headers: Record<string, string> = { ...ACTORS[actor], ...extra };
    if (contentType !== undefined) headers['content-type'] = contentType;
    return { method: op.method, url, headers, ...(payload !== undefined && op.method !== 'GET' ? { payload } : {}) };
  });
}

// ---------------------------------------------------------------- the property

const stats = { requests: 0, fingerprints: 0, byStatus: new Map<number, number>() };
// The database as it was before the current request: its fingerprint, valid while no transaction id has been taken since.
let baseline: Fingerprint = await fingerprint(database, fingerprintSql);
let baselineXid = await nextTransactionId(database);

async function send(op: Operation, request: FuzzRequest): Promise<void> {
  const response = await t.platform.app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) });
  stats.requests += 1;
  stats.byStatus.set(response.statusCode, (stats.byStatus.get(response.statusCode) ?? 0) + 1);
  const where = () => `${request.method} ${request.url.slice(0, 300)} headers=${JSON.stringify(request.headers).slice(0, 300)} body=${(request.payload ?? '').slice(0, 300)}`;
  if (response.statusCode >= 500) expect.fail(`${response.statusCode} for ${where()}: ${response.body.slice(0, 500)}`);
  if (response.statusCode >= 400) {
    if (!String(response.headers['content-type']).startsWith('application/problem+json')) expect.fail(`${response.statusCode} is not problem+json (${response.headers['content-type']}) for ${where()}`);
    const problem = response.json();
    if (!(typeof problem.code === 'string' && problem.code.length > 0 && typeof problem.detail === 'string')) expect.fail(`problem without code or detail for ${where()}: ${response.body.slice(0, 300)}`);
  }
  const xid = await nextTransactionId(database);
  if (xid === baselineXid) return; // nothing was written, not even a rolled-back attempt
  const after = await fingerprint(database, fingerprintSql);
  stats.fingerprints += 1;
  if (response.statusCode >= 400) {
    const allowed = MAY_WRITE_WHEN_REJECTED.filter((rule) => rule.matches(op)).flatMap((rule) => rule.tables);
    const changed = changedTables(baseline, after, allowed);
    if (changed.length > 0) expect.fail(`rejected ${response.statusCode} changed ${changed.join(', ')}: ${where()}`);
  }
  baseline = after;
  baselineXid = xid;
}

describe(`fuzzing every route of the OpenAPI document (${databaseKind}, seed ${SEED}, ${RUNS} requests)`, () => {
  afterAll(async () => {
    console.log(`fuzz: seed=${SEED} requests=${stats.requests} fingerprints=${stats.fingerprints} statuses=${JSON.stringify(Object.fromEntries([...stats.byStatus].sort((a, b) => a[0] - b[0])))}`);
    await t.close();
  });

  it('detects a write: the transaction id moves and the fingerprint changes', async () => {
    const xid = await nextTransactionId(database);
    const before = await fingerprint(database, fingerprintSql);
    await call('POST', '/api/v1/auth/tokens', demander, { name: 'fuzz-detector' });
    expect(await nextTransactionId(database)).not.toBe(xid);
    const after = await fingerprint(database, fingerprintSql);
    expect(changedTables(before, after)).toEqual(['access_tokens', 'audit_log']);
    baseline = after;
    baselineXid = await nextTransactionId(database);
  });

  const perRoute = Math.ceil(RUNS / operations.length);
  it.each(operations.map((op, index) => [op.key, op, index] as const))('%s', { timeout: 600_000 }, async (_key, op, index) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), (request) => send(op, request)),
      { seed: SEED + index, numRuns: perRoute, endOnFailure: true },
    );
  });

  it(`sent at least ${RUNS} requests`, () => {
    expect(stats.requests).toBeGreaterThanOrEqual(RUNS);
  });
});

