import { badRequest } from './errors.ts';

/** Opaque cursors: base64url JSON tagged with the list and order they belong to, so a cursor cannot be misused. */
export function encodeCursor(position: object, tag: string): string {
  return Buffer.from(JSON.stringify({ t: tag, p: position })).toString('base64url');
}

/** `isValid` checks the position's shape: a cursor is client input, and a forged one must not reach a query (a 500). */
export function decodeCursor<T>(cursor: string, tag: string, isValid: (position: Record<string, unknown>) => boolean = () => true): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; p?: unknown };
    if (parsed.t === tag && parsed.p && typeof parsed.p === 'object' && isValid(parsed.p as Record<string, unknown>)) return parsed.p as T;
  } catch {
    // fall through to the error below
  }
  throw badRequest('INVALID_CURSOR', 'This cursor does not belong to this list and order: start again without `cursor` and follow `nextCursor`.');
}
