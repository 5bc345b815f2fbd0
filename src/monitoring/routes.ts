import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, IdParams, Nullable, Page } from '../http/types.ts';
import { decompressSnappy } from './remote-write.ts';
import type { IncomingSeries } from './rules.ts';
import { authenticateIngest, createIngestToken, ingest, type IngestResult, ingestRemoteWrite, latestMetrics, listIngestTokens, querySeries, revokeIngestToken } from './service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates with a facility ingestion token, not a user token: app.ts skips user auth. */
    ingestAuth?: boolean;
  }
}

/** Remote-write bodies: Prometheus sends ~ 2,000 samples per request, a few hundred KB compressed. */
export const INGEST_BODY_LIMIT = 10 * 1024 * 1024;

const IngestToken = Type.Object({
  id: Type.String(),
  facilityId: Type.String(),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});
const Labels = Type.Record(Type.String(), Type.String());

/** Adds Retry-After to the 503s that ask the writer to come back, then lets the error handler answer. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const seconds = error instanceof AppError ? error.extra?.retryAfterSeconds : undefined;
    if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
    throw error;
  }
}

const droppedHeader = (reply: FastifyReply, result: IngestResult) => {
  const dropped = result.dropped.stale + result.dropped.nonFinite;
  if (dropped > 0) reply.header('x-suanli-samples-dropped', `stale=${result.dropped.stale}, non-finite=${result.dropped.nonFinite}`);
};

export function monitoringRoutes(app: App, deps: Deps) {
  app.post(
    '/api/v1/facilities/:id/ingest-tokens',
    {
      schema: {
        tags: ['monitoring'],
        summary: "Create an ingestion token for a facility's Prometheus or agent (the secret is shown once)",
        params: IdParams,
        body: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false })),
        response: { 201: Type.Intersect([IngestToken, Type.Object({ token: Type.String({ description: 'The secret: shown only now' }) })]), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createIngestToken(deps, actorOf(request), request.params.id, request.body?.name)),
  );

  app.get(
    '/api/v1/facilities/:id/ingest-tokens',
    { schema: { tags: ['monitoring'], summary: "A facility's ingestion tokens (never their secrets)", params: IdParams, response: { 200: Page(IngestToken), ...errors(401, 403, 404) } } },
    async (request) => listIngestTokens(deps, actorOf(request), request.params.id),
  );

  app.delete(
    '/api/v1/facilities/:id/ingest-tokens/:tokenId',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Revoke an ingestion token: writes with it are refused from now on',
        params: Type.Object({ id: Type.String({ maxLength: 100 }), tokenId: Type.String({ maxLength: 100 }) }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeIngestToken(deps, actorOf(request), request.params.id, request.params.tokenId);
      return reply.code(204).send(null);
    },
  );

  // The write endpoints authenticate with ingestion tokens and take larger bodies; the protobuf
  // parser is scoped to them.
  void app.register(async (instance) => {
    const scope = instance as unknown as App;
    scope.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer', bodyLimit: INGEST_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.post(
      '/api/v1/write',
      {
        bodyLimit: INGEST_BODY_LIMIT,
        config: { ingestAuth: true },
        schema: {
          tags: ['monitoring'],
          summary: 'Prometheus remote_write 1.0: snappy-compressed protobuf WriteRequest, authenticated by an ingestion token',
          description:
            'Point a stock Prometheus at it: `remote_write: [{url: …/api/v1/write, authorization: {credentials: TOKEN}}]`. 204 only after the samples are committed; a retried request stores nothing twice. 400 for a request that can never succeed (Prometheus drops it), 503 with Retry-After when it should retry. NaN samples (staleness markers) are dropped silently, ±Inf dropped and counted in X-Suanli-Samples-Dropped.',
          security: [{ bearer: [] }],
          consumes: ['application/x-protobuf'],
          response: { 204: Type.Null(), ...errors(400, 401, 413, 415, 503) },
        },
      },
      async (request, reply) =>
        withRetryAfter(reply, async () => {
          const { facilityId } = await authenticateIngest(deps, request.headers.authorization);
          const body = request.body;
          if (!Buffer.isBuffer(body)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/x-protobuf with a snappy-compressed WriteRequest.');
          const result = await ingestRemoteWrite(deps, facilityId, decompressSnappy(body));
          droppedHeader(reply, result);
          return reply.code(204).send(null);
        }),
    );

    const JsonSample = Type.Object(
      {
        metric: Type.String({ minLength: 1, maxLength: 128 }),
        labels: Type.Optional(Labels),
        ts: Type.Optional(Type.Union([Type.Integer({ description: 'milliseconds since the epoch' }), Type.String({ format: 'date-time' })])),
        value: Type.Number(),
      },
      { additionalProperties: false },
    );
    scope.post(
      '/api/v1/metrics',
      {
        bodyLimit: INGEST_BODY_LIMIT,
        config: { ingestAuth: true },
        schema: {
          tags: ['monitoring'],
          summary: 'JSON push for simple agents, with the same token and rules as remote_write',
          security: [{ bearer: [] }],
          body: Type.Object({ samples: Type.Array(JsonSample, { maxItems: 20_000 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ accepted: Type.Integer(), inserted: Type.Integer(), series: Type.Integer(), dropped: Type.Object({ stale: Type.Integer(), nonFinite: Type.Integer() }) }),
            ...errors(400, 401, 413, 415, 503),
          },
        },
      },
      async (request, reply) =>
        withRetryAfter(reply, async () => {
          const { facilityId } = await authenticateIngest(deps, request.headers.authorization);
          const now = deps.clock.now().getTime();
          const series: IncomingSeries[] = request.body.samples.map((s) => ({
            labels: [{ name: '__name__', value: s.metric }, ...Object.entries(s.labels ?? {}).map(([name, value]) => ({ name, value }))],
            samples: [{ timestamp: s.ts === undefined ? now : typeof s.ts === 'number' ? s.ts : Date.parse(s.ts), value: s.value }],
          }));
          const result = await ingest(deps, facilityId, series);
          droppedHeader(reply, result);
          return result;
        }),
    );
  });

  app.get(
    '/api/v1/facilities/:id/series',
    {
      schema: {
        tags: ['monitoring'],
        summary: "A metric's series at a facility over a range; the resolution follows the range (raw ≤ 6 h, 5 min ≤ 7 d, 1 h ≤ 90 d, 1 d beyond)",
        params: IdParams,
        querystring: Type.Object({
          metric: Type.String({ minLength: 1, maxLength: 128 }),
          from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or Unix seconds; default one hour before `to`' })),
          to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or Unix seconds; default now' })),
          step: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 * 86_400, description: 'bucket width in seconds (averages); overrides the automatic resolution' })),
        }),
        response: {
          200: Type.Object({
            facilityId: Type.String(),
            metric: Type.String(),
            from: Type.String({ format: 'date-time' }),
            to: Type.String({ format: 'date-time' }),
            resolution: Type.String({ description: 'raw, 5m, 1h, 1d, or the step asked for (e.g. 60s)' }),
            stepSeconds: Nullable(Type.Integer()),
            source: Type.Union([Type.Literal('raw'), Type.Literal('rollup'), Type.Literal('rollup+raw')], { description: 'rollup: from the rollup table of that resolution; rollup+raw: buckets after the last folded one averaged from raw samples' }),
            series: Type.Array(Type.Object({ labels: Labels, points: Type.Array(Type.Object({ ts: Type.String({ format: 'date-time' }), value: Type.Number() })) })),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => querySeries(deps, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/facilities/:id/metrics/latest',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'The newest sample of every series of a facility (what the dashboards show)',
        params: IdParams,
        querystring: Type.Object({ metric: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }),
        response: {
          200: Type.Object({ facilityId: Type.String(), items: Type.Array(Type.Object({ metric: Type.String(), labels: Labels, ts: Type.String({ format: 'date-time' }), value: Type.Number() })), total: Type.Integer() }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => latestMetrics(deps, actorOf(request), request.params.id, request.query.metric),
  );
}
