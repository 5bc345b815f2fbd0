import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Opaque ids: a short type prefix and a random UUID, e.g. `fac_3f0c…`. */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll('-', '')}`;

/** A bearer secret: 32 random bytes, base64url, with a prefix that secret scanners can recognise. */
export const newSecret = (prefix = 'sl'): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');
