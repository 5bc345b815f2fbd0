import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** The web app's content security policy: same-origin scripts only, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
/** One year, subdomains included: only sent when the instance runs behind TLS (SUANLI_SECURE_COOKIES=true). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** Security headers on every response; CSP and framing protection on the web app's pages. */
export function securityHeaders(config: Pick<Config, 'secureCookies'>) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (config.secureCookies) reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    if (!request.url.startsWith('/api/')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  };
}
