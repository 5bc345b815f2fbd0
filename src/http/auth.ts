import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Actor } from '../identity/actor.ts';
import { authenticate } from '../identity/service.ts';
import { unauthenticated } from '../errors.ts';

export const SESSION_COOKIE = 'suanli_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Finds the acting user from a bearer token, or from the session cookie for safe methods only:
 * a cookie alone never authorises a write, so cross-site request forgery has nothing to ride on.
 */
export async function resolveActor(deps: Deps, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('Use `Authorization: Bearer <token>`.');
    const actor = await authenticate(deps, match[1]);
    if (!actor) throw unauthenticated('This token is unknown, revoked or expired: sign in again (POST /api/v1/auth/login).');
    return actor;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie && SAFE_METHODS.has(request.method)) return authenticate(deps, cookie);
  return null;
}

/** For handlers: the actor, or a 401 telling the caller how to sign in. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}
