import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import { organizations, users } from '../identity/tables.ts';
import { facilities, registrations } from '../ledger/tables.ts';
import { type AuditEntry, chainEntries, GENESIS_HASH, stateDigest } from './chain.ts';
import { auditCheckpoints, auditLog } from './tables.ts';

/** Serialises audit appends on PostgreSQL: every appender takes this transaction-scoped advisory lock first. */
export const AUDIT_LOCK_KEY = 4242002;

/** One state change to record; before/after are reduced to their digests, never stored here. */
export interface AuditInput {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  /** 'admin' or the organisation kind; when undefined it is looked up from actorId (null for the system). */
  actorRole?: string | null;
  orgId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
}

export type CheckpointRow = typeof auditCheckpoints.$inferSelect;

const toEntry = (row: typeof auditLog.$inferSelect): AuditEntry => ({ ...row });

/**
 * Appends entries to the chain inside the caller's transaction (the same one as the change they record).
 * Takes the advisory lock, reads the last entry, chains the new ones after it and inserts them.
 */
export async function appendAudit(tx: Db | Tx, inputs: AuditInput[]): Promise<AuditEntry[]> {
  if (!inputs.length) return [];
  const unknownRoles = [...new Set(inputs.filter((e) => e.actorRole === undefined && e.actorId).map((e) => e.actorId!))];
  const roles = new Map<string, string>();
  if (unknownRoles.length) {
    const rows = await tx
      .select({ id: users.id, isAdmin: users.isAdmin, kind: organizations.kind })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(inArray(users.id, unknownRoles));
    for (const row of rows) roles.set(row.id, row.isAdmin ? 'admin' : row.kind);
  }
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const last = (await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];
  const entries = chainEntries(
    last?.seq ?? 0,
    last?.hash ?? GENESIS_HASH,
    inputs.map((input) => ({
      at: input.at,
      actorId: input.actorId,
      actorName: input.actorName,
      actorRole: input.actorRole === undefined ? (input.actorId ? (roles.get(input.actorId) ?? null) : null) : input.actorRole,
      orgId: input.orgId,
      action: input.action,
      objectType: input.objectType,
      objectId: input.objectId,
      beforeDigest: stateDigest(input.before),
      afterDigest: stateDigest(input.after),
      requestId: input.requestId,
    })),
  );
  for (let i = 0; i < entries.length; i += 500) await tx.insert(auditLog).values(entries.slice(i, i + 500));
  return entries;
}

export function auditStore(db: Db | Tx) {
  return {
    /** Entries with seq in [fromSeq, fromSeq + limit), in order. */
    page: async (fromSeq: number, limit: number): Promise<AuditEntry[]> =>
      (await db.select().from(auditLog).where(gte(auditLog.seq, fromSeq)).orderBy(asc(auditLog.seq)).limit(limit)).map(toEntry),
    range: async (fromSeq: number, toSeq: number): Promise<AuditEntry[]> =>
      (await db.select().from(auditLog).where(and(gte(auditLog.seq, fromSeq), lte(auditLog.seq, toSeq))).orderBy(asc(auditLog.seq))).map(toEntry),
    entry: async (seq: number): Promise<AuditEntry | undefined> => {
      const row = (await db.select().from(auditLog).where(eq(auditLog.seq, seq)))[0];
      return row ? toEntry(row) : undefined;
    },
    last: async (): Promise<AuditEntry | undefined> => {
      const row = (await db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];
      return row ? toEntry(row) : undefined;
    },
    forObject: async (objectType: string, objectId: string, afterSeq: number, limit: number): Promise<AuditEntry[]> =>
      (
        await db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.objectType, objectType), eq(auditLog.objectId, objectId), gt(auditLog.seq, afterSeq)))
          .orderBy(asc(auditLog.seq))
          .limit(limit)
      ).map(toEntry),
    checkpoints: async (): Promise<CheckpointRow[]> => db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq)),
    /** The first checkpoint at or after `seq`. */
    checkpointCovering: async (seq: number): Promise<CheckpointRow | undefined> =>
      (await db.select().from(auditCheckpoints).where(gte(auditCheckpoints.seq, seq)).orderBy(asc(auditCheckpoints.seq)).limit(1))[0],
    insertCheckpoint: async (row: CheckpointRow) => {
      await db.insert(auditCheckpoints).values(row).onConflictDoNothing();
    },
    /** The organisation that owns a ledger object, for scoping what suppliers may read. */
    ownerOf: async (objectType: string, objectId: string): Promise<string | null> => {
      if (objectType === 'facility') return (await db.select({ org: facilities.ownerOrgId }).from(facilities).where(eq(facilities.id, objectId)))[0]?.org ?? null;
      if (objectType === 'registration') return (await db.select({ org: registrations.orgId }).from(registrations).where(eq(registrations.id, objectId)))[0]?.org ?? null;
      return null;
    },
  };
}

/** An audit entry for a change made by `actor` (the system when null). */
export function auditOfActor(actor: Actor | null, at: Date, action: string, objectType: string, objectId: string, before: unknown, after: unknown, requestId: string | null | undefined = null): AuditInput {
  // The system (bootstrap, demo, CLI, lock-outs) acts without a user.
  return {
    at,
    actorId: actor?.userId ?? null,
    actorName: actor?.displayName ?? 'system',
    actorRole: actor ? (actor.isAdmin ? 'admin' : actor.orgKind) : null,
    orgId: actor?.orgId ?? null,
    action,
    objectType,
    objectId,
    before,
    after,
    requestId: requestId ?? null,
  };
}
