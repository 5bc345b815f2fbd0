import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { accessTokens, organizations, users } from './tables.ts';

export type OrganizationRow = typeof organizations.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AccessTokenRow = typeof accessTokens.$inferSelect;

export function identityStore(db: Db | Tx) {
  return {
    insertOrganization: async (row: typeof organizations.$inferInsert) => {
      await db.insert(organizations).values(row);
    },
    findOrganization: async (id: string): Promise<OrganizationRow | undefined> =>
      (await db.select().from(organizations).where(eq(organizations.id, id)))[0],
    findOrganizationByName: async (name: string): Promise<OrganizationRow | undefined> =>
      (await db.select().from(organizations).where(eq(organizations.name, name)))[0],
    listOrganizations: async (): Promise<OrganizationRow[]> =>
      db.select().from(organizations).orderBy(asc(organizations.name), asc(organizations.id)),
    orgNames: async (ids: string[]): Promise<Map<string, string>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, unique));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    userNames: async (ids: string[]): Promise<Map<string, string>> => {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, unique));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    insertUser: async (row: typeof users.$inferInsert) => {
      await db.insert(users).values(row);
    },
    findUserByUsername: async (username: string): Promise<UserRow | undefined> =>
      (await db.select().from(users).where(eq(users.username, username)))[0],
    findUser: async (id: string): Promise<UserRow | undefined> => (await db.select().from(users).where(eq(users.id, id)))[0],
    listUsers: async (orgId?: string): Promise<UserRow[]> =>
      db
        .select()
        .from(users)
        .where(orgId ? eq(users.orgId, orgId) : undefined)
        .orderBy(asc(users.username)),
    countUsers: async (): Promise<number> => (await db.select({ n: sql<number>`count(*)::int` }).from(users))[0].n,
    recordFailedLogin: async (userId: string, lockedUntil: Date | null) => {
      await db
        .update(users)
        .set({ failedLogins: sql`${users.failedLogins} + 1`, lockedUntil })
        .where(eq(users.id, userId));
    },
    resetFailedLogins: async (userId: string) => {
      await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
    },
    setPasswordHash: async (userId: string, passwordHash: string) => {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },
    insertToken: async (row: typeof accessTokens.$inferInsert) => {
      await db.insert(accessTokens).values(row);
    },
    /** A token that exists, is not revoked and has not expired, with its user and organisation. */
    findLiveToken: async (tokenHash: string, now: Date) =>
      (
        await db
          .select({ token: accessTokens, user: users, org: organizations })
          .from(accessTokens)
          .innerJoin(users, eq(users.id, accessTokens.userId))
          .innerJoin(organizations, eq(organizations.id, users.orgId))
          .where(
            and(
              eq(accessTokens.tokenHash, tokenHash),
              isNull(accessTokens.revokedAt),
              or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
            ),
          )
      )[0],
    findToken: async (id: string): Promise<AccessTokenRow | undefined> =>
      (await db.select().from(accessTokens).where(eq(accessTokens.id, id)))[0],
    listApiTokens: async (userId: string): Promise<AccessTokenRow[]> =>
      db
        .select()
        .from(accessTokens)
        .where(and(eq(accessTokens.userId, userId), eq(accessTokens.kind, 'api')))
        .orderBy(asc(accessTokens.createdAt)),
    revokeToken: async (id: string, at: Date) => {
      await db.update(accessTokens).set({ revokedAt: at }).where(eq(accessTokens.id, id));
    },
  };
}

export type IdentityStore = ReturnType<typeof identityStore>;
