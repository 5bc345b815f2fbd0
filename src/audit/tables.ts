import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The tamper-evident audit log: one row per state change, chained by SHA-256 (docs/audit.md).
 * `seq` is assigned by the appender under an advisory lock (last + 1), not by a sequence, so the
 * chain has no gaps and a deleted row shows as a missing number.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    /** 'admin', or the kind of the actor's organisation ('government', 'enterprise', 'platform'); null for the system. */
    actorRole: text('actor_role'),
    orgId: text('org_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    beforeDigest: text('before_digest'),
    afterDigest: text('after_digest'),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_object_idx').on(t.objectType, t.objectId, t.seq)],
);

/** Signed checkpoints: the chain's hash at `seq`, signed with the instance's Ed25519 key. */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  /** Base64 Ed25519 signature of the checkpoint message (docs/audit.md). */
  signature: text('signature').notNull(),
  keyId: text('key_id').notNull(),
});
