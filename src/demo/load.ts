import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { identityStore } from '../identity/store.ts';
import { createOrganization, createUser, PLATFORM_ORG_ID } from '../identity/service.ts';
import { hashPassword, passwordProblems } from '../identity/passwords.ts';
import { insertLedgerEntries } from '../ledger/service.ts';
import { normaliseFacility } from '../ledger/rules.ts';
import { ledgerStore } from '../ledger/store.ts';
import { generateDemoDataset } from './generate.ts';
import { DEFAULT_DEMO_SEED, type DemoMonitoringResult, loadDemoMonitoring } from './monitoring.ts';
import { type DemoMarketResult, loadDemoMarket } from './market.ts';
import { type DemoNetworkResult, loadDemoNetwork } from './network.ts';

/** The demo logins, documented in the README. */
export const DEMO_USERS = ['admin', 'gov-national', 'gov-shanxi', 'gov-jiangsu', 'supplier-datong', 'demander', 'provider'] as const;

const GOVERNMENT_ORGS = [
  { key: 'gov-national', name: '国家数据局（演示）', jurisdictionCode: '000000', user: 'gov-national', displayName: '国家审核员' },
  { key: 'gov-shanxi', name: '山西省数据局（演示）', jurisdictionCode: '140000', user: 'gov-shanxi', displayName: '山西省审核员' },
  { key: 'gov-jiangsu', name: '江苏省数据局（演示）', jurisdictionCode: '320000', user: 'gov-jiangsu', displayName: '江苏省审核员' },
];

export interface DemoOptions {
  seed?: number;
  facilities?: number;
  password?: string | null;
  onProgress?: (done: number, total: number) => void;
  /** Demo telemetry history (src/demo/monitoring.ts); false: none. */
  monitoring?: { perProvince?: number } | false;
  /** The demo latency matrix (src/demo/network.ts); false: none. */
  network?: boolean;
  /** The demo marketplace (src/demo/market.ts); false: none. */
  market?: boolean;
}

export interface DemoResult {
  password: string;
  loaded: boolean;
  facilities: number;
  /** What the telemetry history wrote (a fresh load only). */
  monitoring?: Omit<DemoMonitoringResult, 'targets'>;
  /** What the demo latency matrix wrote (a fresh load only). */
  network?: DemoNetworkResult;
  /** What the demo marketplace wrote (a fresh load only). */
  market?: DemoMarketResult;
}

/** A generated password that satisfies the policy (upper, lower, digit, symbol). */
export function generateDemoPassword(): string {
  return `Demo-${randomBytes(6).toString('base64url')}-7a`;
}

/**
 * Loads the seeded national demo dataset once (a second start finds it and only resets the demo
 * users' password to the one printed now).
 */
export async function loadDemo(deps: Deps, options: DemoOptions = {}): Promise<DemoResult> {
  const password = options.password ?? generateDemoPassword();
  const problems = passwordProblems(password);
  if (problems.length) throw new Error(`SUANLI_DEMO_PASSWORD is too weak: ${problems.join('; ')}`);
  const identity = identityStore(deps.db);
  const existing = await identity.findUserByUsername('supplier-datong');
  if (existing) {
    const passwordHash = await hashPassword(password);
    for (const username of DEMO_USERS) {
      const user = await identity.findUserByUsername(username);
      if (user) await identity.setPasswordHash(user.id, passwordHash);
    }
    const total = await ledgerStore(deps.db).countFacilities({});
    return { password, loaded: false, facilities: total };
  }

  const dataset = generateDemoDataset({ seed: options.seed, facilities: options.facilities });
  const orgIds = new Map<string, string>();
  for (const org of dataset.organizations) {
    const found = await identity.findOrganizationByName(org.name);
    const id = found ? found.id : (await createOrganization(deps, null, { name: org.name, kind: 'enterprise', marketRoles: org.marketRoles })).id;
    orgIds.set(org.key, id);
  }
  const govIds = new Map<string, string>();
  for (const gov of GOVERNMENT_ORGS) {
    const found = await identity.findOrganizationByName(gov.name);
    govIds.set(gov.key, found ? found.id : (await createOrganization(deps, null, { name: gov.name, kind: 'government', jurisdictionCode: gov.jurisdictionCode })).id);
  }
  const users: { username: string; displayName: string; orgId: string; isAdmin?: boolean }[] = [
    { username: 'admin', displayName: '平台管理员', orgId: PLATFORM_ORG_ID, isAdmin: true },
    ...GOVERNMENT_ORGS.map((g) => ({ username: g.user, displayName: g.displayName, orgId: govIds.get(g.key)! })),
    { username: 'supplier-datong', displayName: '大同供给方', orgId: orgIds.get('datong-supplier')! },
    { username: 'demander', displayName: '需求方演示用户', orgId: orgIds.get('demo-demander')! },
    { username: 'provider', displayName: '服务方演示用户', orgId: orgIds.get('demo-provider')! },
  ];
  for (const user of users) {
    if (await identity.findUserByUsername(user.username)) {
      await identity.setPasswordHash((await identity.findUserByUsername(user.username))!.id, await hashPassword(password));
    } else {
      await createUser(deps, null, { ...user, password });
    }
  }

  const now = deps.clock.now();
  const author = { actorId: null, actorName: 'demo loader', orgId: PLATFORM_ORG_ID, requestId: 'demo' };
  const batchSize = 250;
  const total = dataset.facilities.length;
  for (let start = 0; start < total; start += batchSize) {
    const batch = dataset.facilities.slice(start, start + batchSize).map((facility) => {
      const { value, errors } = normaliseFacility(facility);
      if (!value) throw new Error(`demo facility ${facility.name} is invalid: ${JSON.stringify(errors)}`);
      return { value, ownerOrgId: orgIds.get(facility.ownerKey)! };
    });
    await deps.db.transaction(async (tx) => {
      await insertLedgerEntries(tx, batch, author, 'imported', now);
    });
    options.onProgress?.(Math.min(start + batchSize, total), total);
  }
  // The latency matrix from geography (src/demo/network.ts): the network pages are populated at once.
  const network = options.network === false ? undefined : await loadDemoNetwork(deps, { seed: options.seed ?? DEFAULT_DEMO_SEED });
  // The marketplace on those facilities (src/demo/market.ts): offers, services, demands, orders in every state.
  const market = options.market === false ? undefined : await loadDemoMarket(deps, { seed: options.seed ?? DEFAULT_DEMO_SEED });
  if (options.monitoring === false) return { password, loaded: true, facilities: total, network, market };
  const { targets: _targets, ...monitoring } = await loadDemoMonitoring(deps, { seed: options.seed, ...options.monitoring });
  return { password, loaded: true, facilities: total, monitoring, network, market };
}
