import type { FastifyRequest } from 'fastify';
import { badRequest } from '../errors.ts';

/** Where the first NUL character sits in a parsed value, as a JSON pointer; null when there is none. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : null;
  if (depth > 64 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    const here = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key.includes('\u0000')) return here;
    const found = findNul(child, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000: such a value would fail deep in a query (a 500). No field of
 * the API has a use for it, so it is refused up front, before any handler runs.
 */
export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [part, value] of [
    ['path', request.params],
    ['query', request.query],
    ['body', request.body],
  ] as const) {
    const at = findNul(value);
    if (at) throw badRequest('NUL_CHARACTER', `The request ${part} holds a NUL character (U+0000) at ${at}: remove it; no field accepts it.`, [{ path: `${part === 'body' ? '' : `${part}:`}${at}`, message: 'contains U+0000' }]);
  }
}

/** Where the first non-finite number sits, as a JSON pointer; null when there is none. */
export function findNonFinite(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '/';
  if (depth > 64 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findNonFinite(child, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Schema validation coerces `?limit=Infinity` to a number, and Ajv skips minimum/maximum for
 * non-finite numbers, so Infinity passes `{ maximum: 500 }`. Refused after validation, for the
 * query and path, where coercion happens. (JSON bodies cannot say Infinity except by overflow, e.g.
 * 1e400; the ingestion routes count such samples as dropped, so bodies are left to the routes.)
 */
export async function rejectNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  for (const [part, value] of [
    ['path', request.params],
    ['query', request.query],
  ] as const) {
    const at = findNonFinite(value);
    if (at) throw badRequest('INVALID_REQUEST', `The request ${part} has a number that is not finite at ${at}: give a finite number within the documented range.`, [{ path: `${part}:${at}`, message: 'must be a finite number' }]);
  }
}
