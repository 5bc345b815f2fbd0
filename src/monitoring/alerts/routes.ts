import { Type } from '@sinclair/typebox';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import { type App, errors, IdParams, Nullable, Page, PageQuery } from '../../http/types.ts';
import type { AlertRuleInput } from './rules.ts';
import { createAlertRule, deleteAlertRule, getAlert, getAlertRule, listAlertRules, listAlerts, updateAlertRule } from './service.ts';
import { etag } from '../../errors.ts';

const L = Type.Literal;
const KIND = Type.Union([L('threshold'), L('absence'), L('pue_target'), L('utilisation_target')]);
const COMPARISON = Type.Union([L('>'), L('>='), L('<'), L('<=')]);
const SEVERITY = Type.Union([L('info'), L('warning'), L('critical')]);
const STATE = Type.Union([L('pending'), L('firing'), L('resolved')]);

/**
 * A number or null as one JSON Schema type list: with type coercion on, a union would turn 0 into
 * null (null first) or null into 0 (number first); a type list coerces only what matches neither.
 */
const NumberOrNull = (options: Record<string, unknown> = {}) => Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });


const AlertRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union(KIND.anyOf, { description: 'threshold: the newest value of a vocabulary metric against a threshold; absence: no sample for windowSeconds; pue_target: average PUE over windowSeconds above the target (default 1.5, 1.25 in a national hub); utilisation_target: average rack_utilization over windowSeconds below the target (default 0.6)' }),
    metric: Type.Optional(Nullable(Type.String({ maxLength: 128, description: 'threshold rules: a metric of the vocabulary (docs/monitoring.md §4)' }))),
    comparison: Type.Optional(Nullable(COMPARISON)),
    threshold: Type.Optional(NumberOrNull({ description: 'threshold rules: required; pue_target: the facility target (default: 1.25 in a national hub, else 1.5); utilisation_target: default 0.6' })),
    forSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800, description: 'how long the condition must hold before pending becomes firing (default 300 for threshold, else 0)' })),
    windowSeconds: Type.Optional(NumberOrNull({ type: ['integer', 'null'], minimum: 60, maximum: 2_678_400, description: 'absence: the silence that counts (default 600); target kinds: the averaging window (default 86400)' })),
    facilityId: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'scope: one facility (give this or regionCode)' }))),
    regionCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{6}$', description: 'scope: a province, city or county code, 000000 for the whole country' }))),
    severity: Type.Optional(Type.Union(SEVERITY.anyOf, { default: 'warning' })),
    webhookUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'http or https URL notified when an alert fires and when it resolves' }))),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

const AlertRuleFields = {
    id: Type.String(),
    name: Type.String(),
    kind: KIND,
    metric: Nullable(Type.String()),
    comparison: Nullable(COMPARISON),
    threshold: Nullable(Type.Number()),
    forSeconds: Type.Integer(),
    windowSeconds: Nullable(Type.Integer()),
    facilityId: Nullable(Type.String()),
    regionCode: Nullable(Type.String()),
    severity: SEVERITY,
    webhookUrl: Nullable(Type.String()),
    enabled: Type.Boolean(),
    ownerOrgId: Type.String(),
    createdBy: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
};
const AlertRule = Type.Object(AlertRuleFields, { $id: 'AlertRule' });

const AlertFields = {
    id: Type.String(),
    ruleId: Type.String(),
    ruleName: Type.String(),
    kind: KIND,
    severity: SEVERITY,
    metric: Nullable(Type.String()),
    comparison: Nullable(Type.String()),
    facilityId: Type.String(),
    facilityName: Type.String(),
    computeId: Type.String(),
    regionCode: Type.String(),
    state: STATE,
    value: Nullable(Type.Number({ description: 'the value last evaluated; absence: seconds since the newest sample' })),
    threshold: Nullable(Type.Number({ description: 'what the value was compared with; absence: the silence limit in seconds' })),
    startedAt: Type.String({ format: 'date-time', description: 'when the condition was first seen (pending)' }),
    firedAt: Nullable(Type.String({ format: 'date-time' })),
    resolvedAt: Nullable(Type.String({ format: 'date-time' })),
    lastEvaluatedAt: Type.String({ format: 'date-time' }),
    summary: Type.String(),
};
const Alert = Type.Object(AlertFields, { $id: 'Alert' });

const Notification = Type.Object({
  event: Type.Union([L('firing'), L('resolved')]),
  status: Type.Union([L('pending'), L('delivered'), L('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
});

export function alertRoutes(app: App, deps: Deps) {
  app.addSchema(AlertRule);
  app.addSchema(Alert);
  const ctx = (request: { id: string }) => ({ requestId: request.id });

  app.get(
    '/api/v1/alert-rules',
    {
      schema: {
        tags: ['alerts'],
        summary: "Alert rules the caller may see: its organisation's, and for a government body those watching its jurisdiction",
        response: { 200: Page(Type.Ref('AlertRule')), ...errors(401) },
      },
    },
    async (request) => listAlertRules(deps, actorOf(request)),
  );

  app.post(
    '/api/v1/alert-rules',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Create an alert rule (supplier: its own facilities; government: its jurisdiction; administrators: anything). The webhook secret is shown once',
        body: AlertRuleInput,
        response: {
          201: Type.Object({ ...AlertRuleFields, webhookSecret: Type.String({ description: 'HMAC-SHA256 key of the X-Suanli-Signature header: shown only now' }) }),
          ...errors(400, 401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const created = await createAlertRule(deps, actorOf(request), ctx(request), request.body as AlertRuleInput);
      return reply.code(201).header('etag', etag(created.version)).send(created);
    },
  );

  app.get(
    '/api/v1/alert-rules/:id',
    { schema: { tags: ['alerts'], summary: 'One alert rule, with its version as ETag', params: IdParams, response: { 200: Type.Ref('AlertRule'), ...errors(401, 404) } } },
    async (request, reply) => {
      const rule = await getAlertRule(deps, actorOf(request), request.params.id);
      reply.header('etag', etag(rule.version));
      return rule;
    },
  );

  app.put(
    '/api/v1/alert-rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Replace an alert rule (its owner organisation or an administrator; If-Match with the version). Open alerts follow the new rule at the next evaluation',
        params: IdParams,
        body: AlertRuleInput,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Ref('AlertRule'), ...errors(400, 401, 403, 404, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const updated = await updateAlertRule(deps, actorOf(request), ctx(request), request.params.id, request.body as AlertRuleInput, request.headers['if-match']);
      reply.header('etag', etag(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/v1/alert-rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Delete an alert rule; its open alerts resolve at the next evaluation (a firing one notifies)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      await deleteAlertRule(deps, actorOf(request), ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: "Alerts, newest first: those of the caller's facilities, of its jurisdiction for a government body, all for administrators",
        querystring: Type.Object({
          state: Type.Optional(Type.Union([...STATE.anyOf, L('open')], { description: 'open = pending or firing' })),
          facilityId: Type.Optional(Type.String({ maxLength: 100 })),
          region: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'a province, city or county code; everything beneath matches' })),
          ruleId: Type.Optional(Type.String({ maxLength: 100 })),
          severity: Type.Optional(SEVERITY),
          ...PageQuery,
        }),
        response: { 200: Page(Type.Ref('Alert')), ...errors(400, 401) },
      },
    },
    async (request) => listAlerts(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert, with its webhook notifications',
        params: IdParams,
        response: { 200: Type.Object({ ...AlertFields, notifications: Type.Array(Notification) }), ...errors(401, 404) },
      },
    },
    async (request) => getAlert(deps, actorOf(request), request.params.id),
  );
}
