import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { sha256Hex } from '../ids.ts';
import type { App } from '../http/types.ts';

/** Sign-in attempts per minute for one username from one address; the per-account lock-out (5 failures) stays behind it. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;
const MINUTE_MS = 60_000;

const tooMany = (what: string) => (_request: FastifyRequest, context: { after: string; ttl: number }) =>
  new AppError(429, 'RATE_LIMITED', `Too many ${what}: wait ${context.after} and try again (see the Retry-After header).`, {
    extra: { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
  });

/** Per token when signed in (the actor is resolved by an earlier onRequest hook), else per client address. */
function tokenOrAddress(request: FastifyRequest): string {
  return request.actor ? `token:${request.actor.tokenId}` : `ip:${request.ip}`;
}

/**
 * Outside the per-token limit: everything not under /api, and the ingestion routes, which take
 * facility tokens rather than user tokens and push back on their own (503 WRITE_BUSY with Retry-After);
 * keying them by address would make facilities behind one NAT share a budget.
 */
function exempt(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') || (request.routeOptions.config as { ingestAuth?: boolean } | undefined)?.ingestAuth === true;
}

/** Per address and username: one attacker cannot lock out or guess one account fast, nor spray many from one address past the global limit. */
function addressAndUsername(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined;
  const username = typeof body?.username === 'string' ? body.username.toLowerCase() : '';
  return `login:${request.ip}:${sha256Hex(username)}`;
}

/**
 * Route-specific limits, by method and URL as registered. Kept here, beside the global one, so the
 * whole policy reads in one place; docs/security.md lists it.
 */
const ROUTE_LIMITS: Record<string, object> = {
  'POST /api/v1/auth/login': {
    max: LOGIN_ATTEMPTS_PER_MINUTE,
    timeWindow: MINUTE_MS,
    // After validation, so the username is known; malformed bodies never reach the password check anyway.
    hook: 'preHandler',
    keyGenerator: addressAndUsername,
    errorResponseBuilder: tooMany('sign-in attempts for this user from your address'),
  },
};

/**
 * Rate limits under /api: a global per-token limit (SUANLI_RATE_LIMIT_PER_MINUTE, 0 = off) and the
 * route limits above. Register before the routes: the plugin attaches its hooks as routes are added.
 */
export async function registerRateLimits(app: App, config: Pick<Config, 'rateLimitPerMinute'>): Promise<void> {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const limit = ROUTE_LIMITS[`${method} ${route.url}`];
      if (limit) route.config = { ...(route.config ?? {}), rateLimit: limit } as typeof route.config;
    }
  });
  await app.register(rateLimit, {
    global: config.rateLimitPerMinute > 0,
    max: config.rateLimitPerMinute > 0 ? config.rateLimitPerMinute : 1,
    timeWindow: MINUTE_MS,
    keyGenerator: tokenOrAddress,
    allowList: exempt,
    errorResponseBuilder: tooMany('requests'),
  });
}
