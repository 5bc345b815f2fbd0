import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, IdParams, Page } from '../http/types.ts';
import { ACCELERATOR_CATALOGUE } from './catalogue.ts';
import { Facility, FacilityInputSchema, FacilityListQuery, HistoryEntry, Registration, RegistrationCreate } from './schema.ts';
import { etag } from '../errors.ts';
import {
  approveRegistration,
  createRegistration,
  facilityHistory,
  getFacility,
  getRegistration,
  listFacilities,
  listRegistrations,
  registrationHistory,
  rejectRegistration,
  submitRegistration,
  updateDraft,
} from './service.ts';


export function ledgerRoutes(app: App, deps: Deps) {
  app.addSchema(FacilityInputSchema);
  app.addSchema(Facility);
  app.addSchema(Registration);
  const ctx = (request: { id: string }) => ({ requestId: request.id });

  app.get(
    '/api/v1/facilities',
    { schema: { tags: ['ledger'], summary: 'The facility ledger (算力资源一本账): approved facilities, filtered and paginated', querystring: FacilityListQuery, response: { 200: Page(Type.Ref('Facility')), ...errors(400, 401) } } },
    async (request) => {
      actorOf(request);
      return listFacilities(deps, request.query);
    },
  );

  app.get('/api/v1/facilities/:id', { schema: { tags: ['ledger'], summary: 'One facility, with its version as ETag', params: IdParams, response: { 200: Type.Ref('Facility'), ...errors(401, 404) } } }, async (request, reply) => {
    actorOf(request);
    const facility = await getFacility(deps, request.params.id);
    reply.header('etag', etag(facility.version));
    return facility;
  });

  app.get(
    '/api/v1/facilities/:id/history',
    { schema: { tags: ['ledger'], summary: "A facility's history: every version with who, when, request id, before and after", params: IdParams, response: { 200: Page(HistoryEntry), ...errors(401, 404) } } },
    async (request) => {
      actorOf(request);
      return facilityHistory(deps, request.params.id);
    },
  );

  const Accelerator = Type.Object({
    model: Type.String(),
    vendor: Type.String(),
    domestic: Type.Boolean(),
    memoryGb: Type.Number(),
    fp64: Type.Number(),
    fp32: Type.Number(),
    fp16: Type.Number(),
    int8: Type.Number(),
    estimated: Type.Optional(Type.Boolean()),
  });
  app.get(
    '/api/v1/catalogue/accelerators',
    { schema: { tags: ['ledger'], summary: 'Common accelerators with datasheet peak TFLOPS per precision (public)', security: [], response: { 200: Page(Accelerator) } } },
    async () => ({ items: ACCELERATOR_CATALOGUE.map((a) => ({ model: a.model, vendor: a.vendor, domestic: a.domestic, memoryGb: a.memoryGb, ...a.peak, estimated: a.estimated })), nextCursor: null, total: ACCELERATOR_CATALOGUE.length }),
  );

  app.get(
    '/api/v1/registrations',
    {
      schema: {
        tags: ['registration'],
        summary: "Registrations: a supplier sees its organisation's, a reviewer those in its jurisdiction",
        querystring: Type.Object({
          status: Type.Optional(Type.String({ maxLength: 100 })),
          region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: Page(Type.Ref('Registration')), ...errors(400, 401, 403) },
      },
    },
    async (request) => listRegistrations(deps, actorOf(request), request.query),
  );

  app.post(
    '/api/v1/registrations',
    {
      schema: {
        tags: ['registration'],
        summary: 'Draft or submit a new facility or a change (a change needs If-Match with the facility version)',
        body: RegistrationCreate,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 201: Type.Ref('Registration'), ...errors(400, 401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const created = await createRegistration(deps, actorOf(request), ctx(request), request.body as never, request.headers['if-match']);
      return reply.code(201).header('etag', etag(created.version)).send(created);
    },
  );

  app.get('/api/v1/registrations/:id', { schema: { tags: ['registration'], summary: 'One registration', params: IdParams, response: { 200: Type.Ref('Registration'), ...errors(401, 404) } } }, async (request, reply) => {
    const registration = await getRegistration(deps, actorOf(request), request.params.id);
    reply.header('etag', etag(registration.version));
    return registration;
  });

  app.get(
    '/api/v1/registrations/:id/history',
    { schema: { tags: ['registration'], summary: "A registration's drafts, edits and decisions", params: IdParams, response: { 200: Page(HistoryEntry), ...errors(401, 404) } } },
    async (request) => registrationHistory(deps, actorOf(request), request.params.id),
  );

  app.put(
    '/api/v1/registrations/:id',
    {
      schema: {
        tags: ['registration'],
        summary: 'Edit a draft (If-Match with the registration version)',
        params: IdParams,
        body: Type.Object({ data: Type.Ref('FacilityInput') }, { additionalProperties: false }),
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Ref('Registration'), ...errors(400, 401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const updated = await updateDraft(deps, actorOf(request), ctx(request), request.params.id, request.body.data as never, request.headers['if-match']);
      reply.header('etag', etag(updated.version));
      return updated;
    },
  );

  app.post(
    '/api/v1/registrations/:id/submit',
    { schema: { tags: ['registration'], summary: 'Submit a draft for review', params: IdParams, response: { 200: Type.Ref('Registration'), ...errors(401, 403, 404, 409) } } },
    async (request) => submitRegistration(deps, actorOf(request), ctx(request), request.params.id),
  );

  app.post(
    '/api/v1/registrations/:id/approve',
    { schema: { tags: ['registration'], summary: 'Approve (a reviewer whose jurisdiction covers the facility)', params: IdParams, response: { 200: Type.Ref('Registration'), ...errors(401, 403, 404, 409, 422) } } },
    async (request) => approveRegistration(deps, actorOf(request), ctx(request), request.params.id),
  );

  app.post(
    '/api/v1/registrations/:id/reject',
    {
      schema: {
        tags: ['registration'],
        summary: 'Reject with a reason',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref('Registration'), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => rejectRegistration(deps, actorOf(request), ctx(request), request.params.id, request.body.reason),
  );
}
