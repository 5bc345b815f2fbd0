import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { analyticsRoutes } from './analytics/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { isReady } from './db/client.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import { resolveActor } from './http/auth.ts';
import { createMetrics } from './http/metrics.ts';
import { problem, sendProblem, toProblem } from './http/problem.ts';
import { type App, Problem } from './http/types.ts';
import { identityRoutes } from './identity/routes.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { marketRoutes } from './market/routes.ts';
import { monitoringRoutes } from './monitoring/routes.ts';
import { alertRoutes } from './monitoring/alerts/routes.ts';
import { monitoringRegionRoutes } from './monitoring/regions/routes.ts';
import { networkRoutes } from './monitoring/network/routes.ts';
import { transferRoutes } from './ledger/transfer-routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { securityHeaders } from './security/headers.ts';
import { rejectNonFiniteNumbers, rejectNulCharacters } from './security/input.ts';
import { registerRateLimits } from './security/rate-limit.ts';
import { VERSION } from './version.ts';

export interface AppOptions {
  /** Demo mode: the login page may name the demo users (never their password). */
  demo?: { users: string[] };
  /** Pino logger options, or false to stay silent (tests). */
  logger?: boolean | object;
  bodyLimit?: number;
}

/** Builds the Fastify instance. Never listens: main.ts does, tests call inject(). */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestTimeout: 120_000,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    // Errors the router raises before any route (a path parameter past maxParamLength, a bad URL) are problem+json too.
    frameworkErrors: (error, request, reply) => void sendProblem(reply, toProblem(error, request)),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const metrics = createMetrics();
  app.decorateRequest('actor', null);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Suanli (算力) API',
        version: VERSION,
        description: 'The open API of a Suanli instance: ledger, registration, regions, analytics. Errors are RFC 9457 problem+json with a stable code.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'suanli_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.addSchema(Problem);

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });

  app.addHook('onRequest', async (request) => {
    // Ingestion routes (config.ingestAuth) authenticate with facility ingestion tokens, not user tokens.
    if (request.url.startsWith('/api/') && !request.routeOptions.config?.ingestAuth) request.actor = await resolveActor(deps, request);
  });
  app.addHook('preValidation', rejectNulCharacters);
  app.addHook('preHandler', rejectNonFiniteNumbers);
  app.addHook('onSend', securityHeaders(deps.config));
  await registerRateLimits(app, deps.config);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up', security: [], response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'The database answers and migrations are applied', security: [], response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Ref('Problem') } } },
    async (_request, reply) => {
      if (await isReady(deps.database)) return { status: 'ready', database: deps.database.kind };
      return sendProblem(reply, problem(503, 'NOT_READY', 'The database is unreachable or not migrated yet.'));
    },
  );
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics of this instance', security: [], hide: false } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get(
    '/api/v1/meta',
    {
      schema: {
        tags: ['operations'],
        summary: 'What this instance is',
        security: [],
        response: {
          200: Type.Object({ name: Type.String(), version: Type.String(), instanceRole: Type.String(), instanceRegion: Type.String(), database: Type.String(), demo: Type.Boolean(), demoUsers: Type.Array(Type.String()) }),
        },
      },
    },
    async () => ({
      name: 'Suanli',
      version: VERSION,
      instanceRole: deps.config.instanceRole,
      instanceRegion: deps.config.instanceRegion,
      database: deps.database.kind,
      demo: !!options.demo,
      demoUsers: options.demo?.users ?? [],
    }),
  );

  identityRoutes(app, deps);
  regionRoutes(app);
  transferRoutes(app, deps);
  ledgerRoutes(app, deps);
  analyticsRoutes(app, deps);
  monitoringRoutes(app, deps);
  alertRoutes(app, deps);
  monitoringRegionRoutes(app, deps);
  networkRoutes(app, deps);
  marketRoutes(app, deps);
  auditRoutes(app, deps);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webIndex = path.join(deps.config.webDir, 'index.html');
  const hasWeb = existsSync(webIndex);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: deps.config.webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    if (wantsPage) {
      return reply
        .type('text/html')
        .send('<!doctype html><meta charset="utf-8"><title>Suanli</title><p>The web app is not built: run <code>npm run build:web</code>. The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>');
    }
    const error = notFound('Route', `${request.method} ${request.url.split('?')[0]}`);
    return sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `${error.message} See GET /api/v1/openapi.json for the routes.`, { instance: request.url.split('?')[0] }));
  });

  return app;
}
