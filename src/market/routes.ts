/** The marketplace API (算力匹配 / 算力超市): offers, demands and matches, services, orders (docs/market.md). */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { AppError, etag } from '../errors.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, Page, PageQuery } from '../http/types.ts';
import { batchAssignment, createDemand, demandMatches, getDemand, listDemands } from './demands-service.ts';
import { createOffer, getOffer, listOffers, type OfferPatch as OfferPatchInput, updateOffer, withdrawOffer } from './offers-service.ts';
import {
  activateOrder,
  cancelOrder,
  completeOrder,
  confirmOrder,
  createOrder,
  disputeOrder,
  getOrder,
  listOrders,
  rateOrder,
  recordUsage,
  statementCsv,
  statementOf,
} from './orders-service.ts';
import { PRODUCT_TEMPLATES } from './products.ts';
import { createService, getService, listServices } from './provider-services.ts';
import {
  BatchInput,
  BatchResponse,
  Demand,
  DemandInput,
  IdempotencyHeaders,
  IdParams,
  MatchQuery,
  MatchResponse,
  Offer,
  OfferInput,
  OfferListQuery,
  OfferPatch,
  Order,
  OrderInput,
  OrderListQuery,
  ProductTemplate,
  Rating,
  RatingInput,
  Service,
  ServiceInput,
  Statement,
  UsageInput,
  UsageRecord,
} from './schema.ts';

const ReasonBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export function marketRoutes(app: App, deps: Deps) {
  app.addSchema(Offer);
  app.addSchema(Demand);
  app.addSchema(Service);
  app.addSchema(Order);
  app.addSchema(ProductTemplate);
  const ctx = (request: { id: string }) => ({ requestId: request.id });

  // ---------------------------------------------------------------- products and offers
  app.get(
    '/api/v1/market/products',
    { schema: { tags: ['market'], summary: 'Standard products of the compute supermarket (算力超市): templates an offer can be listed from (public)', security: [], response: { 200: Page(Type.Ref('ProductTemplate')) } } },
    async () => ({ items: PRODUCT_TEMPLATES.map((p) => ({ ...p })), nextCursor: null, total: PRODUCT_TEMPLATES.length }),
  );

  app.post(
    '/api/v1/offers',
    {
      schema: {
        tags: ['market'],
        summary: 'List an offer on one of your approved facilities in operation (supplier)',
        body: OfferInput,
        response: { 201: Type.Ref('Offer'), ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const offer = await createOffer(deps, actorOf(request), ctx(request), request.body);
      return reply.code(201).header('etag', etag(offer.version)).send(offer);
    },
  );

  app.get(
    '/api/v1/offers',
    {
      schema: {
        tags: ['market'],
        summary: 'Browse offers (算力超市): prices and free capacity, filtered, sorted and paginated (any signed-in user)',
        querystring: OfferListQuery,
        response: { 200: Page(Type.Ref('Offer')), ...errors(400, 401) },
      },
    },
    async (request) => {
      actorOf(request);
      return listOffers(deps, request.query);
    },
  );

  app.get(
    '/api/v1/offers/:id',
    {
      schema: {
        tags: ['market'],
        summary: 'One offer, with its free capacity over the rest of its window (or over start–end)',
        params: IdParams,
        querystring: Type.Object({ start: Type.Optional(Type.String({ format: 'date-time' })), end: Type.Optional(Type.String({ format: 'date-time' })) }),
        response: { 200: Type.Ref('Offer'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      actorOf(request);
      const { start, end } = request.query;
      if ((start === undefined) !== (end === undefined)) throw new AppError(400, 'WINDOW_INCOMPLETE', 'Give both start and end, or neither.');
      const window = start && end ? { from: new Date(start), to: new Date(end) } : undefined;
      if (window && !(window.to > window.from)) throw new AppError(400, 'END_BEFORE_START', 'end must be after start.');
      const offer = await getOffer(deps, request.params.id, window);
      reply.header('etag', etag(offer.version));
      return offer;
    },
  );

  app.patch(
    '/api/v1/offers/:id',
    {
      schema: {
        tags: ['market'],
        summary: 'Change your offer (If-Match with its version): price, quantity, window, terms; capacity already sold stays sold',
        params: IdParams,
        body: OfferPatch,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Ref('Offer'), ...errors(400, 401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const offer = await updateOffer(deps, actorOf(request), ctx(request), request.params.id, request.body as OfferPatchInput, request.headers['if-match']);
      reply.header('etag', etag(offer.version));
      return offer;
    },
  );

  app.post(
    '/api/v1/offers/:id/withdraw',
    { schema: { tags: ['market'], summary: 'Withdraw your offer: no new orders; orders already placed stand', params: IdParams, response: { 200: Type.Ref('Offer'), ...errors(401, 403, 404, 409) } } },
    async (request) => withdrawOffer(deps, actorOf(request), ctx(request), request.params.id),
  );

  // ---------------------------------------------------------------- demands and matching
  app.post(
    '/api/v1/demands',
    { schema: { tags: ['market'], summary: 'Post a demand: hard requirements and soft weights (demander)', body: DemandInput, response: { 201: Type.Ref('Demand'), ...errors(400, 401, 403, 422) } } },
    async (request, reply) => reply.code(201).send(await createDemand(deps, actorOf(request), ctx(request), request.body)),
  );

  app.get(
    '/api/v1/demands',
    {
      schema: {
        tags: ['market'],
        summary: "Demands: a demander sees its organisation's, a government those naming a place in its jurisdiction",
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String({ maxLength: 100 })), region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }),
        response: { 200: Page(Type.Ref('Demand')), ...errors(400, 401, 403) },
      },
    },
    async (request) => listDemands(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/demands/:id',
    { schema: { tags: ['market'], summary: 'One demand', params: IdParams, response: { 200: Type.Ref('Demand'), ...errors(401, 404) } } },
    async (request) => getDemand(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/demands/:id/matches',
    {
      schema: {
        tags: ['market'],
        summary: 'Ranked offers for a demand with every score broken into terms, excluded offers with the first constraint they failed, nearest misses and hints (docs/methods/ranking.md)',
        params: IdParams,
        querystring: MatchQuery,
        response: { 200: MatchResponse, ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => demandMatches(deps, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/matching/batch',
    {
      schema: {
        tags: ['market'],
        summary: 'Assign many open demands to the offers at once (LP relaxation with HiGHS, rounded; greedy first-fit and the LP bound beside it) — government bodies and administrators',
        body: BatchInput,
        response: { 200: BatchResponse, ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => batchAssignment(deps, actorOf(request), request.body),
  );

  // ---------------------------------------------------------------- services
  app.post(
    '/api/v1/services',
    { schema: { tags: ['market'], summary: 'List a service (model deployment, fine-tuning, application building), attached to offers (service provider)', body: ServiceInput, response: { 201: Type.Ref('Service'), ...errors(400, 401, 403, 422) } } },
    async (request, reply) => reply.code(201).send(await createService(deps, actorOf(request), ctx(request), request.body)),
  );

  app.get(
    '/api/v1/services',
    {
      schema: {
        tags: ['market'],
        summary: 'Services of the marketplace, filtered by kind, provider or the offer they run on',
        querystring: Type.Object({ ...PageQuery, kind: Type.Optional(Type.String({ maxLength: 200 })), provider: Type.Optional(Type.String({ maxLength: 100 })), offerId: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Page(Type.Ref('Service')), ...errors(400, 401) },
      },
    },
    async (request) => {
      actorOf(request);
      return listServices(deps, request.query);
    },
  );

  app.get(
    '/api/v1/services/:id',
    { schema: { tags: ['market'], summary: 'One service', params: IdParams, response: { 200: Type.Ref('Service'), ...errors(401, 404) } } },
    async (request) => {
      actorOf(request);
      return getService(deps, request.params.id);
    },
  );

  // ---------------------------------------------------------------- orders
  app.post(
    '/api/v1/orders',
    {
      schema: {
        tags: ['market'],
        summary: 'Order from an offer: capacity reserved in the same transaction (or a quote); Idempotency-Key required — the same key and body return the same order',
        body: OrderInput,
        headers: IdempotencyHeaders,
        response: { 200: Type.Ref('Order'), 201: Type.Ref('Order'), ...errors(400, 401, 403, 409, 422, 428) },
      },
    },
    async (request, reply) => {
      const { order, replayed } = await createOrder(deps, actorOf(request), ctx(request), request.body, request.headers['idempotency-key']);
      reply.header('etag', etag(order.version));
      if (replayed) return reply.code(200).header('idempotent-replayed', 'true').send(order);
      return reply.code(201).send(order);
    },
  );

  app.get(
    '/api/v1/orders',
    {
      schema: {
        tags: ['market'],
        summary: 'Orders: an enterprise sees those it buys or supplies, a government those at facilities in its jurisdiction',
        querystring: OrderListQuery,
        response: { 200: Page(Type.Ref('Order')), ...errors(400, 401, 403) },
      },
    },
    async (request) => listOrders(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/orders/:id',
    { schema: { tags: ['market'], summary: 'One order (its two parties, the government of the region, administrators)', params: IdParams, response: { 200: Type.Ref('Order'), ...errors(401, 404) } } },
    async (request, reply) => {
      const order = await getOrder(deps, actorOf(request), request.params.id);
      reply.header('etag', etag(order.version));
      return order;
    },
  );

  const transition = (path: string, summary: string, run: (request: { id: string; params: { id: string }; body: unknown }, actor: ReturnType<typeof actorOf>) => Promise<unknown>, body?: typeof ReasonBody) =>
    app.post(
      `/api/v1/orders/:id/${path}`,
      { schema: { tags: ['market'], summary, params: IdParams, ...(body ? { body } : {}), response: { 200: Type.Ref('Order'), ...errors(...(body ? [400] : []), 401, 403, 404, 409, 422) } } },
      async (request) => run(request as never, actorOf(request)),
    );

  transition('confirm', 'Confirm a quote: reserves the capacity at the quoted price (buyer)', (request, actor) => confirmOrder(deps, actor, ctx(request), request.params.id));
  transition('activate', 'Mark a reserved order active: access handed over (supplier)', (request, actor) => activateOrder(deps, actor, ctx(request), request.params.id));
  transition('cancel', 'Cancel a quote or a reserved order; the capacity is free again at once (buyer or supplier)', (request, actor) => cancelOrder(deps, actor, ctx(request), request.params.id, (request.body as { reason?: string } | undefined)?.reason), ReasonBody);
  transition('complete', 'Complete an active order: writes its settlement lines (buyer or supplier)', (request, actor) => completeOrder(deps, actor, ctx(request), request.params.id));
  app.post(
    '/api/v1/orders/:id/dispute',
    {
      schema: {
        tags: ['market'],
        summary: 'Dispute an active or completed order: settlement frozen for mediation (buyer or supplier)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref('Order'), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => disputeOrder(deps, actorOf(request), ctx(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/v1/orders/:id/usage',
    { schema: { tags: ['market'], summary: 'Record metered use of an active order in the offer unit (supplier); completion bills it', params: IdParams, body: UsageInput, response: { 201: UsageRecord, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(await recordUsage(deps, actorOf(request), ctx(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/orders/:id/statement',
    {
      schema: {
        tags: ['market'],
        summary: 'The settlement statement of an order: quantity × price per period, as JSON or CSV (format=csv)',
        params: IdParams,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })) }),
        response: {
          200: { description: 'JSON (Statement) or a CSV attachment', content: { 'application/json': { schema: Statement }, 'text/csv': { schema: { type: 'string' } } } },
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const statement = await statementOf(deps, actorOf(request), request.params.id);
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="statement-${statement.order.id}.csv"`)
          .header('cache-control', 'no-store')
          .send(statementCsv(statement));
      }
      return reply.header('content-type', 'application/json; charset=utf-8').send(statement);
    },
  );

  app.post(
    '/api/v1/orders/:id/rating',
    { schema: { tags: ['market'], summary: 'Rate a completed order, 1–5 stars, once (buyer); ratings make the supplier reputation the ranking uses', params: IdParams, body: RatingInput, response: { 201: Rating, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(await rateOrder(deps, actorOf(request), ctx(request), request.params.id, request.body)),
  );
}
