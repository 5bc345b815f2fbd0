// Shared set-up of the marketplace tests: organisations, users and approved facilities, through the API.
import { expect } from 'vitest';
import type { TestPlatform } from '../harness.ts';

export const MARKET_PASSWORD = 'Market-Test-9x';

export const facilityInput = (name: string, regionCode: string, overrides: Record<string, unknown> = {}) => ({
  name,
  regionCode,
  address: '',
  status: 'in_operation',
  kind: 'intelligent',
  racksDesigned: 2000,
  racksInUse: 1000,
  accelerators: [{ model: 'H200', count: 512 }],
  greenPowerPct: 60,
  ...overrides,
});

export interface MarketActors {
  tokens: Record<string, string>;
  orgs: Record<string, string>;
}

/** Admin, two suppliers, a demander, a provider and three governments (国家, 山西, 江苏), each with a signed-in user. */
export async function marketActors(t: TestPlatform): Promise<MarketActors> {
  const adminSession = await t.login('admin', 'Root-Test-Pass-1');
  const admin = (await t.inject('POST', '/api/v1/auth/tokens', { token: adminSession, body: { name: 'market-test' } })).json().token as string;
  const tokens: Record<string, string> = { admin };
  const orgs: Record<string, string> = {};
  const orgBodies: [string, object][] = [
    ['supplierA', { name: '大同云数测试供给方', kind: 'enterprise', marketRoles: ['supplier'] }],
    ['supplierB', { name: '北京算力测试供给方', kind: 'enterprise', marketRoles: ['supplier'] }],
    ['demander', { name: '晋智测试需求方', kind: 'enterprise', marketRoles: ['demander'] }],
    ['demander2', { name: '驭途测试需求方', kind: 'enterprise', marketRoles: ['demander'] }],
    ['provider', { name: '云启测试服务方', kind: 'enterprise', marketRoles: ['provider'] }],
    ['national', { name: '国家数据局(市场测试)', kind: 'government', jurisdictionCode: '000000' }],
    ['shanxi', { name: '山西省数据局(市场测试)', kind: 'government', jurisdictionCode: '140000' }],
    ['jiangsu', { name: '江苏省数据局(市场测试)', kind: 'government', jurisdictionCode: '320000' }],
  ];
  for (const [key, body] of orgBodies) {
    const response = await t.inject('POST', '/api/v1/organizations', { token: admin, body });
    expect(response.statusCode, response.body).toBe(201);
    orgs[key] = response.json().id;
    const user = await t.inject('POST', '/api/v1/users', { token: admin, body: { username: `mk-${key.toLowerCase()}`, password: MARKET_PASSWORD, orgId: orgs[key] } });
    expect(user.statusCode, user.body).toBe(201);
    // API tokens, not sessions: the tests move the clock past a session's 12 hours.
    const session = await t.login(`mk-${key.toLowerCase()}`, MARKET_PASSWORD);
    const api = await t.inject('POST', '/api/v1/auth/tokens', { token: session, body: { name: 'market-test' } });
    expect(api.statusCode, api.body).toBe(201);
    tokens[key] = api.json().token;
  }
  return { tokens, orgs };
}

/** Registers a facility for the supplier and has the admin approve it; returns the facility id. */
export async function approvedFacility(t: TestPlatform, supplierToken: string, adminToken: string, data: object): Promise<string> {
  const created = await t.inject('POST', '/api/v1/registrations', { token: supplierToken, body: { type: 'create', data, submit: true } });
  expect(created.statusCode, created.body).toBe(201);
  const approved = await t.inject('POST', `/api/v1/registrations/${created.json().id}/approve`, { token: adminToken });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json().facilityId as string;
}
