import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, canonicalJson, chainEntries, checkLink, checkpointMessage, entryDigest, GENESIS_HASH, linkHash, stateDigest } from './chain.ts';
import { parseSigningKey, signCheckpoint, verifyCheckpoint } from './keys.ts';

const fields = (i: number) => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actorId: 'usr_1',
  actorName: '王工',
  actorRole: 'government',
  orgId: 'org_1',
  action: 'approved',
  objectType: 'registration',
  objectId: `reg_${i}`,
  beforeDigest: stateDigest({ status: 'submitted' }),
  afterDigest: stateDigest({ status: 'approved', n: i }),
  requestId: `req-${i}`,
});

/** Walks entries the way `suanli audit verify` does; the seq of the first broken link or null. */
function firstBroken(entries: AuditEntry[]): number | null {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    if (checkLink(i + 1, prev, entries[i])) return i + 1;
    prev = entries[i].hash;
  }
  return null;
}

describe('audit hash chain', () => {
  it('writes canonical JSON with sorted keys at every depth and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"x","z":null}]},"b":1}');
    expect(stateDigest({ a: 1, b: 2 })).toBe(stateDigest({ b: 2, a: 1 }));
    expect(stateDigest(null)).toBeNull();
  });

  it('chains entries from the genesis hash with consecutive seq numbers', () => {
    const entries = chainEntries(0, GENESIS_HASH, [fields(1), fields(2), fields(3)]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].hash).toBe(linkHash(entries[1].hash, entryDigest(entries[2])));
    expect(firstBroken(entries)).toBeNull();
    // Appending later continues the same chain.
    const more = chainEntries(3, entries[2].hash, [fields(4)]);
    expect(firstBroken([...entries, ...more])).toBeNull();
  });

  it('finds the first broken link: a changed field, a removed entry, a re-hashed entry', () => {
    const entries = chainEntries(0, GENESIS_HASH, [1, 2, 3, 4, 5].map(fields));
    const changed = entries.map((e) => ({ ...e }));
    changed[2].afterDigest = stateDigest({ status: 'approved', n: 999 });
    expect(firstBroken(changed)).toBe(3);
    expect(checkLink(3, changed[1].hash, changed[2])).toMatch(/field of the entry was changed/);

    const removed = [...entries.slice(0, 1), ...entries.slice(2)];
    expect(firstBroken(removed)).toBe(2);
    expect(checkLink(2, entries[0].hash, entries[2])).toMatch(/entry 2 is missing/);

    // Re-hashing the edited entry moves the break to its successor.
    const rehashed = changed.map((e) => ({ ...e }));
    rehashed[2].hash = linkHash(rehashed[2].prevHash, entryDigest(rehashed[2]));
    expect(firstBroken(rehashed)).toBe(4);
  });

  it('signs and verifies checkpoints with Ed25519; a forged signature or another key fails', () => {
    const key = parseSigningKey(Buffer.alloc(32, 3).toString('base64'));
    const message = checkpointMessage(5, 'ab'.repeat(32), new Date('2026-01-01T00:00:00Z'));
    expect(message.toString()).toBe(`suanli-audit-checkpoint/v1 5 ${'ab'.repeat(32)} 2026-01-01T00:00:00.000Z`);
    const signature = signCheckpoint(key, message);
    expect(verifyCheckpoint(key.publicKey, message, signature)).toBe(true);
    expect(verifyCheckpoint(key.publicKey, checkpointMessage(6, 'ab'.repeat(32), new Date('2026-01-01T00:00:00Z')), signature)).toBe(false);
    const other = parseSigningKey(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(verifyCheckpoint(key.publicKey, message, signCheckpoint(other, message))).toBe(false);
    expect(verifyCheckpoint(key.publicKey, message, 'not base64 at all')).toBe(false);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(() => parseSigningKey('c2hvcnQ=')).toThrow(/32-byte seed/);
  });
});
