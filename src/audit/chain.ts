import { createHash } from 'node:crypto';

/** The pure rules of the audit hash chain (docs/audit.md gives the same definitions in prose). */

export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members dropped,
 * Dates as ISO 8601 strings; everything else as JSON.stringify writes it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical JSON of a before/after state; null when there is no state. */
export const stateDigest = (state: unknown): string | null => (state === null || state === undefined ? null : sha256(canonicalJson(state)));

/** The fields of an entry that the hash covers (everything but prevHash and hash). */
export interface AuditFields {
  seq: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  orgId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  requestId: string | null;
}

export interface AuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/** SHA-256 (hex) of the canonical JSON of the entry's fields, `at` as ISO 8601 with milliseconds. */
export function entryDigest(fields: AuditFields): string {
  return sha256(
    canonicalJson({
      action: fields.action,
      actorId: fields.actorId,
      actorName: fields.actorName,
      actorRole: fields.actorRole,
      afterDigest: fields.afterDigest,
      at: fields.at.toISOString(),
      beforeDigest: fields.beforeDigest,
      objectId: fields.objectId,
      objectType: fields.objectType,
      orgId: fields.orgId,
      requestId: fields.requestId,
      seq: fields.seq,
    }),
  );
}

/** hash = SHA-256 of the ASCII text `prevHash + ":" + entryDigest` (both lower-case hex). */
export const linkHash = (prevHash: string, digest: string): string => sha256(`${prevHash}:${digest}`);

/** Chains new entries after the entry whose hash is `prevHash` and whose seq is `lastSeq`. */
export function chainEntries(lastSeq: number, prevHash: string, entries: Omit<AuditFields, 'seq'>[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let previous = prevHash;
  entries.forEach((entry, i) => {
    const fields = { ...entry, seq: lastSeq + 1 + i };
    const hash = linkHash(previous, entryDigest(fields));
    out.push({ ...fields, prevHash: previous, hash });
    previous = hash;
  });
  return out;
}

/** What is wrong with `entry` as the successor of (expectedSeq - 1, expectedPrevHash); null when it links. */
export function checkLink(expectedSeq: number, expectedPrevHash: string, entry: AuditEntry): string | null {
  if (entry.seq !== expectedSeq) return entry.seq > expectedSeq ? `entry ${expectedSeq} is missing (next stored entry is ${entry.seq})` : `sequence out of order (found ${entry.seq})`;
  if (entry.prevHash !== expectedPrevHash) return `prev_hash ${entry.prevHash} does not match the hash of entry ${expectedSeq - 1} (${expectedPrevHash})`;
  const hash = linkHash(entry.prevHash, entryDigest(entry));
  if (hash !== entry.hash) return `hash ${entry.hash} does not match the recomputed ${hash}: a field of the entry was changed`;
  return null;
}

/** The bytes an Ed25519 checkpoint signature covers: UTF-8 of `suanli-audit-checkpoint/v1 <seq> <hash> <at ISO>`. */
export const checkpointMessage = (seq: number, hash: string, at: Date): Buffer => Buffer.from(`suanli-audit-checkpoint/v1 ${seq} ${hash} ${at.toISOString()}`, 'utf8');
