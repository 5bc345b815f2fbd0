import { AppError, badRequest, conflict, forbidden, notFound, unauthenticated, validationFailed } from '../errors.ts';
import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { newId, newSecret, sha256Hex } from '../ids.ts';
import { regionIndex } from '../regions/dataset.ts';
import { type Actor, COUNTRY_CODE, type MarketRole, type OrgKind } from './actor.ts';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';
import { identityStore, type OrganizationRow, type UserRow } from './store.ts';

export const PLATFORM_ORG_ID = 'org_platform';
const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MS = 15 * 60 * 1000;
const MARKET_ROLES: MarketRole[] = ['supplier', 'demander', 'provider'];
let dummyHash: Promise<string> | undefined;

export interface OrganizationInput {
  name: string;
  kind: OrgKind;
  marketRoles?: MarketRole[];
  jurisdictionCode?: string | null;
  regionCode?: string | null;
}

export interface UserInput {
  username: string;
  displayName?: string;
  password: string;
  orgId: string;
  isAdmin?: boolean;
}

export function publicOrganization(row: OrganizationRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrgKind,
    marketRoles: row.marketRoles as MarketRole[],
    jurisdictionCode: row.jurisdictionCode,
    regionCode: row.regionCode,
    createdAt: row.createdAt.toISOString(),
  };
}

export function publicUser(user: UserRow, org: OrganizationRow) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    orgId: org.id,
    orgName: org.name,
    orgKind: org.kind as OrgKind,
    marketRoles: org.marketRoles as MarketRole[],
    jurisdictionCode: org.jurisdictionCode,
  };
}

export const actorView = (actor: Actor) => ({
  id: actor.userId,
  username: actor.username,
  displayName: actor.displayName,
  isAdmin: actor.isAdmin,
  orgId: actor.orgId,
  orgName: actor.orgName,
  orgKind: actor.orgKind,
  marketRoles: actor.marketRoles,
  jurisdictionCode: actor.jurisdictionCode,
});

function requireAdmin(actor: Actor | null): void {
  if (actor && !actor.isAdmin) throw forbidden('ADMIN_ONLY', 'Only a platform administrator can do this.');
}

export async function createOrganization(deps: Deps, actor: Actor | null, input: OrganizationInput, ctx?: RequestContext) {
  requireAdmin(actor);
  const store = identityStore(deps.db);
  const errors = [];
  const name = input.name.trim();
  if (name.length === 0) errors.push({ path: '/name', message: 'give the organisation a name' });
  if (input.kind === 'government') {
    const code = input.jurisdictionCode ?? '';
    if (code !== COUNTRY_CODE && !regionIndex().has(code)) {
      errors.push({ path: '/jurisdictionCode', message: `unknown region code ${JSON.stringify(code)}: use a GB/T 2260 code from /api/v1/regions, or 000000 for the whole country` });
    }
  }
  for (const role of input.marketRoles ?? []) {
    if (!MARKET_ROLES.includes(role)) errors.push({ path: '/marketRoles', message: `unknown market role ${role}` });
  }
  if (input.kind === 'government' && (input.marketRoles ?? []).length > 0) {
    errors.push({ path: '/marketRoles', message: 'a government body takes no market role' });
  }
  if (input.regionCode && !regionIndex().has(input.regionCode)) {
    errors.push({ path: '/regionCode', message: `unknown region code ${JSON.stringify(input.regionCode)}` });
  }
  if (errors.length > 0) throw validationFailed('The organisation is not valid.', errors);
  if (await store.findOrganizationByName(name)) {
    throw conflict('ORGANIZATION_EXISTS', `An organisation named ${JSON.stringify(name)} already exists; choose another name.`);
  }
  const row = {
    id: input.kind === 'platform' && name === 'Suanli platform' ? PLATFORM_ORG_ID : newId('org'),
    name,
    kind: input.kind,
    marketRoles: input.kind === 'enterprise' ? [...new Set(input.marketRoles ?? [])] : [],
    jurisdictionCode: input.kind === 'government' ? (input.jurisdictionCode ?? null) : null,
    regionCode: input.regionCode ?? null,
    createdAt: deps.clock.now(),
  };
  await deps.db.transaction(async (tx) => {
    await identityStore(tx).insertOrganization(row);
    await appendAudit(tx, [auditOfActor(actor, row.createdAt, 'created', 'organization', row.id, null, publicOrganization(row), ctx?.requestId)]);
  });
  return publicOrganization(row);
}

export async function listOrganizations(deps: Deps) {
  const rows = await identityStore(deps.db).listOrganizations();
  return { items: rows.map(publicOrganization), nextCursor: null, total: rows.length };
}

export async function createUser(deps: Deps, actor: Actor | null, input: UserInput, options: { skipPolicy?: boolean; requestId?: string } = {}) {
  requireAdmin(actor);
  const store = identityStore(deps.db);
  const errors = [];
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(input.username)) {
    errors.push({ path: '/username', message: 'use 2–64 lower-case letters, digits, dot, dash or underscore' });
  }
  if (!options.skipPolicy) {
    for (const message of passwordProblems(input.password, input.username)) errors.push({ path: '/password', message });
  }
  const org = await store.findOrganization(input.orgId);
  if (!org) errors.push({ path: '/orgId', message: `organisation ${JSON.stringify(input.orgId)} does not exist` });
  if (errors.length > 0) throw validationFailed('The user is not valid.', errors);
  if (await store.findUserByUsername(input.username)) {
    throw conflict('USERNAME_TAKEN', `The username ${JSON.stringify(input.username)} is taken; choose another.`);
  }
  const row = {
    id: newId('usr'),
    username: input.username,
    displayName: input.displayName?.trim() || input.username,
    passwordHash: await hashPassword(input.password),
    orgId: input.orgId,
    isAdmin: input.isAdmin ?? false,
    createdAt: deps.clock.now(),
  };
  const view = publicUser({ ...row, failedLogins: 0, lockedUntil: null, disabled: false }, org!);
  await deps.db.transaction(async (tx) => {
    await identityStore(tx).insertUser(row);
    await appendAudit(tx, [auditOfActor(actor, row.createdAt, 'created', 'user', row.id, null, view, options.requestId)]);
  });
  return view;
}

export async function listUsers(deps: Deps, actor: Actor) {
  const store = identityStore(deps.db);
  const orgs = new Map((await store.listOrganizations()).map((org) => [org.id, org]));
  const rows = await store.listUsers(actor.isAdmin ? undefined : actor.orgId);
  const items = rows.map((user) => publicUser(user, orgs.get(user.orgId)!));
  return { items, nextCursor: null, total: items.length };
}

export interface LoginResult {
  token: string;
  tokenId: string;
  expiresAt: Date;
  user: ReturnType<typeof publicUser>;
}

export async function login(deps: Deps, username: string, password: string): Promise<LoginResult> {
  const store = identityStore(deps.db);
  const now = deps.clock.now();
  const user = await store.findUserByUsername(username);
  const invalid = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password.');
  if (!user || user.disabled) {
    // Spend the same time as a real check so that timing does not reveal which usernames exist.
    dummyHash ??= hashPassword('timing-equaliser-Password-1');
    await verifyPassword(await dummyHash, password);
    throw invalid();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new AppError(423, 'ACCOUNT_LOCKED', `Too many failed sign-ins: try again after ${user.lockedUntil.toISOString()} or ask an administrator.`, {
      extra: { retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000) },
    });
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    const lock = user.failedLogins + 1 >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MS) : null;
    if (lock) {
      await deps.db.transaction(async (tx) => {
        await identityStore(tx).recordFailedLogin(user.id, lock);
        await appendAudit(tx, [auditOfActor(null, now, 'locked-out', 'user', user.id, null, { lockedUntil: lock.toISOString(), failedLogins: user.failedLogins + 1 })]);
      });
    } else {
      await store.recordFailedLogin(user.id, lock);
    }
    throw invalid();
  }
  if (user.failedLogins > 0) await store.resetFailedLogins(user.id);
  const org = (await store.findOrganization(user.orgId))!;
  const token = newSecret('sls');
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlHours * 3600_000);
  const tokenId = newId('tok');
  await store.insertToken({ id: tokenId, tokenHash: sha256Hex(token), userId: user.id, kind: 'session', createdAt: now, expiresAt });
  return { token, tokenId, expiresAt, user: publicUser(user, org) };
}

/** Resolves a bearer secret to the acting user, or null when it is unknown, revoked or expired. */
export async function authenticate(deps: Deps, token: string): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const found = await identityStore(deps.db).findLiveToken(sha256Hex(token), deps.clock.now());
  if (!found || found.user.disabled) return null;
  return actorFrom(found.user, found.org, { id: found.token.id, kind: found.token.kind as 'session' | 'api' });
}

/** The acting user as permission checks see it, from its rows and the credential it acts with. */
export function actorFrom(user: UserRow, org: OrganizationRow, token: { id: string; kind: 'session' | 'api' }): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    orgId: org.id,
    orgName: org.name,
    orgKind: org.kind as OrgKind,
    marketRoles: org.marketRoles as MarketRole[],
    jurisdictionCode: org.jurisdictionCode,
    tokenId: token.id,
    tokenKind: token.kind,
  };
}

export async function logout(deps: Deps, actor: Actor) {
  await identityStore(deps.db).revokeToken(actor.tokenId, deps.clock.now());
}

export async function issueApiToken(deps: Deps, actor: Actor, name: string, ttlDays?: number, ctx?: RequestContext) {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('INVALID_REQUEST', 'Name the token so you can recognise it later, e.g. "ci-import".');
  const now = deps.clock.now();
  const token = newSecret('slt');
  const id = newId('tok');
  const expiresAt = ttlDays ? new Date(now.getTime() + ttlDays * 86400_000) : null;
  await deps.db.transaction(async (tx) => {
    await identityStore(tx).insertToken({ id, tokenHash: sha256Hex(token), userId: actor.userId, kind: 'api', name: trimmed, createdAt: now, expiresAt });
    // The digest covers the token's metadata, never its secret.
    await appendAudit(tx, [auditOfActor(actor, now, 'issued', 'api-token', id, null, { userId: actor.userId, name: trimmed, expiresAt: expiresAt?.toISOString() ?? null }, ctx?.requestId)]);
  });
  return { id, token, name: trimmed, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function listApiTokens(deps: Deps, actor: Actor) {
  const rows = await identityStore(deps.db).listApiTokens(actor.userId);
  const items = rows.map((row) => ({
    id: row.id,
    name: row.name ?? '',
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
  return { items, nextCursor: null, total: items.length };
}

export async function revokeApiToken(deps: Deps, actor: Actor, tokenId: string, ctx?: RequestContext) {
  const store = identityStore(deps.db);
  const token = await store.findToken(tokenId);
  if (!token || (token.userId !== actor.userId && !actor.isAdmin)) throw notFound('Token', tokenId);
  if (token.revokedAt) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await identityStore(tx).revokeToken(tokenId, now);
    await appendAudit(tx, [auditOfActor(actor, now, 'revoked', 'api-token', tokenId, { revokedAt: null }, { revokedAt: now.toISOString() }, ctx?.requestId)]);
  });
}

/** The platform organisation always exists; `admin` is created from SUANLI_ADMIN_PASSWORD on first start. */
export async function ensureBootstrap(deps: Deps): Promise<{ adminCreated: boolean }> {
  const store = identityStore(deps.db);
  if (!(await store.findOrganization(PLATFORM_ORG_ID))) {
    await createOrganization(deps, null, { name: 'Suanli platform', kind: 'platform' });
  }
  if (deps.config.adminPassword && !(await store.findUserByUsername('admin'))) {
    await createUser(deps, null, { username: 'admin', displayName: 'Administrator', password: deps.config.adminPassword, orgId: PLATFORM_ORG_ID, isAdmin: true });
    return { adminCreated: true };
  }
  return { adminCreated: false };
}

export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
