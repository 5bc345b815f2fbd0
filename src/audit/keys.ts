import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** An Ed25519 signing key and what others need to check its signatures. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 of the raw 32-byte public key. */
  keyId: string;
  publicKeyPem: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Parses SUANLI_AUDIT_SIGNING_KEY: a PKCS#8 PEM, or the base64 of a raw 32-byte seed. Throws with a hint otherwise. */
export function parseSigningKey(text: string): SigningKey {
  const trimmed = text.trim();
  let privateKey: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    privateKey = createPrivateKey({ key: trimmed.replace(/\\n/g, '\n'), format: 'pem' });
  } else {
    const seed = Buffer.from(trimmed, 'base64');
    if (seed.length !== 32) throw new Error('SUANLI_AUDIT_SIGNING_KEY must be an Ed25519 PKCS#8 PEM or the base64 of a 32-byte seed (openssl rand -base64 32)');
    privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('SUANLI_AUDIT_SIGNING_KEY must be an Ed25519 key');
  return fromPrivate(privateKey);
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    privateKey,
    publicKey,
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** The key in `<dataDir>/audit-key.pem`, generated (mode 600) when absent: the embedded (PGlite) default. */
export function dataDirSigningKey(dataDir: string): SigningKey {
  const file = path.join(dataDir, 'audit-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return parseSigningKey(readFileSync(file, 'utf8'));
}

export const signCheckpoint = (key: SigningKey, message: Buffer): string => sign(null, message, key.privateKey).toString('base64');

export function verifyCheckpoint(publicKey: KeyObject, message: Buffer, signature: string): boolean {
  try {
    return verify(null, message, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
