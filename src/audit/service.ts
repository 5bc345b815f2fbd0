import type { Deps } from '../deps.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { type AuditEntry, checkLink, checkpointMessage, entryDigest, GENESIS_HASH } from './chain.ts';
import { dataDirSigningKey, parseSigningKey, type SigningKey, signCheckpoint, verifyCheckpoint } from './keys.ts';
import { auditStore, type CheckpointRow } from './store.ts';

const VERIFY_PAGE = 2000;
const keys = new WeakMap<Deps['config'], SigningKey | null>();

/**
 * The instance's checkpoint key: the configured one; else, on PGlite, `<dataDir>/audit-key.pem`
 * (generated on first use); on PostgreSQL without a configured key, none (replicas would each invent one).
 */
export function signingKey(deps: Deps): SigningKey | null {
  if (keys.has(deps.config)) return keys.get(deps.config)!;
  let key: SigningKey | null = null;
  if (deps.config.auditSigningKey) key = parseSigningKey(deps.config.auditSigningKey);
  else if (deps.database.kind === 'pglite' && deps.config.dataDir !== 'memory://') key = dataDirSigningKey(deps.config.dataDir);
  else deps.log.warn('SUANLI_AUDIT_SIGNING_KEY is not set: audit checkpoints are not signed on PostgreSQL until it is (docs/audit.md)');
  keys.set(deps.config, key);
  return key;
}

const noKey = () =>
  new AppError(409, 'AUDIT_SIGNING_KEY_MISSING', 'No audit signing key: set SUANLI_AUDIT_SIGNING_KEY to an Ed25519 PKCS#8 PEM or the base64 of a 32-byte seed (openssl rand -base64 32).');

export function publicKey(deps: Deps) {
  const key = signingKey(deps);
  if (!key) throw noKey();
  return { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem };
}

const checkpointView = (row: CheckpointRow) => ({ seq: row.seq, hash: row.hash, at: row.at.toISOString(), signature: row.signature, keyId: row.keyId });

/** Signs the chain's current head; returns null when the chain is empty or the head is already signed. */
export async function writeCheckpoint(deps: Deps) {
  const key = signingKey(deps);
  if (!key) throw noKey();
  const store = auditStore(deps.db);
  const head = await store.last();
  if (!head) return null;
  const existing = await store.checkpointCovering(head.seq);
  if (existing) return null;
  const at = deps.clock.now();
  const row = { seq: head.seq, hash: head.hash, at, signature: signCheckpoint(key, checkpointMessage(head.seq, head.hash, at)), keyId: key.keyId };
  await store.insertCheckpoint(row);
  return checkpointView(row);
}

export type VerifyResult = { ok: true; entries: number; checkpoints: number } | { ok: false; entries: number; checkpoints: number; brokenAt: number; problem: string };

/** Walks the chain from seq 1, recomputing every hash, then checks every checkpoint's signature and hash. */
export async function verifyAudit(deps: Deps): Promise<VerifyResult> {
  const store = auditStore(deps.db);
  const checkpoints = await store.checkpoints();
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const key = checkpoints.length ? signingKey(deps) : null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const broken = (seq: number, problem: string): VerifyResult => ({ ok: false, entries: expectedSeq - 1, checkpoints: checkpoints.length, brokenAt: seq, problem });
  for (;;) {
    const page = await store.page(expectedSeq, VERIFY_PAGE);
    for (const entry of page) {
      const problem = checkLink(expectedSeq, prevHash, entry);
      if (problem) return broken(expectedSeq, problem);
      const checkpoint = bySeq.get(entry.seq);
      if (checkpoint && checkpoint.hash !== entry.hash) return broken(entry.seq, `checkpoint at seq ${entry.seq} signed hash ${checkpoint.hash}, the chain has ${entry.hash}: history was rewritten`);
      prevHash = entry.hash;
      expectedSeq++;
    }
    if (page.length < VERIFY_PAGE) break;
  }
  const entries = expectedSeq - 1;
  for (const checkpoint of checkpoints) {
    if (checkpoint.seq > entries) return broken(checkpoint.seq, `checkpoint at seq ${checkpoint.seq} is beyond the end of the chain (${entries} entries): entries were deleted`);
    if (!key) return broken(checkpoint.seq, 'cannot check the checkpoint signature: no audit signing key is configured');
    if (checkpoint.keyId !== key.keyId) return broken(checkpoint.seq, `checkpoint signed by key ${checkpoint.keyId}, this instance's key is ${key.keyId}`);
    if (!verifyCheckpoint(key.publicKey, checkpointMessage(checkpoint.seq, checkpoint.hash, checkpoint.at), checkpoint.signature)) {
      return broken(checkpoint.seq, `checkpoint signature at seq ${checkpoint.seq} does not verify with key ${key.keyId}`);
    }
  }
  return { ok: true, entries, checkpoints: checkpoints.length };
}

export const formatVerify = (result: VerifyResult): string =>
  result.ok ? `OK: ${result.entries} entries, ${result.checkpoints} checkpoints` : `BROKEN at seq ${result.brokenAt}: ${result.problem}`;

const entryView = (entry: AuditEntry) => ({ ...entry, at: entry.at.toISOString(), entryDigest: entryDigest(entry) });

/** Government bodies and administrators read every entry; a supplier only the entries of its organisation's facilities and registrations. */
async function requireReadable(deps: Deps, actor: Actor, objectType: string, objectId: string): Promise<void> {
  if (actor.isAdmin || actor.orgKind === 'government') return;
  if (!actor.marketRoles.includes('supplier')) throw forbidden('AUDIT_NOT_VISIBLE', 'The audit log is open to government bodies, administrators, and suppliers for their own facilities and registrations.');
  const owner = await auditStore(deps.db).ownerOf(objectType, objectId);
  if (owner !== actor.orgId) throw forbidden('AUDIT_NOT_VISIBLE', 'A supplier reads the audit entries of its own facilities and registrations only.');
}

export async function listEntries(deps: Deps, actor: Actor, objectType: string, objectId: string, limit: number, cursor: string | undefined) {
  await requireReadable(deps, actor, objectType, objectId);
  const after = cursor && /^\d{1,15}$/.test(cursor) ? Number(cursor) : 0;
  const rows = await auditStore(deps.db).forObject(objectType, objectId, after, limit + 1);
  const items = rows.slice(0, limit).map(entryView);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null };
}

/**
 * An entry with what a third party needs to check it is covered by a signed checkpoint: the entry digests
 * of every later entry up to the first checkpoint at or after it (content not shown), and that checkpoint.
 */
export async function entryProof(deps: Deps, actor: Actor, seq: number) {
  const store = auditStore(deps.db);
  const entry = await store.entry(seq);
  if (!entry) throw notFound('Audit entry', String(seq));
  await requireReadable(deps, actor, entry.objectType, entry.objectId);
  const checkpoint = await store.checkpointCovering(seq);
  const following = checkpoint ? (await store.range(seq + 1, checkpoint.seq)).map((e) => ({ seq: e.seq, entryDigest: entryDigest(e), hash: e.hash })) : [];
  return { entry: entryView(entry), following, checkpoint: checkpoint ? checkpointView(checkpoint) : null, publicKey: signingKey(deps)?.publicKeyPem ?? null };
}

/** Writes a checkpoint every `minutes` (the clock stamps it); stop() waits for a run in progress. */
export function startCheckpointTimer(deps: Deps, minutes: number) {
  let running: Promise<unknown> = Promise.resolve();
  let warned = false;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (!signingKey(deps)) {
        if (!warned) deps.log.warn('audit checkpoint skipped: no signing key');
        warned = true;
        return;
      }
      await writeCheckpoint(deps);
    }).catch((error: unknown) => deps.log.error({ err: error }, 'audit checkpoint failed'));
  }, minutes * 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
