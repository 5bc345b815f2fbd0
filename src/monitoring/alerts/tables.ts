import { sql } from 'drizzle-orm';
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Alert rules (docs/monitoring.md, Alerts). A rule watches every facility of its scope (one facility,
 * or a region code where `000000` is the whole country) that its owner organisation may see. Deleted
 * rules are kept (deleted_at) so that their alerts stay listed with a name.
 */
export const alertRules = pgTable(
  'alert_rules',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** threshold | absence | pue_target | utilisation_target */
    kind: text('kind').notNull(),
    /** The vocabulary metric read (pue, rack_utilization for the target kinds; null for absence). */
    metric: text('metric'),
    /** > | >= | < | <= (null for absence). */
    comparison: text('comparison'),
    /** null for absence, and for pue_target meaning the national target (1.25 in a national hub, else 1.5). */
    threshold: doublePrecision('threshold'),
    /** How long the condition must hold before pending becomes firing. */
    forSeconds: integer('for_seconds').notNull(),
    /** absence: the silence that counts; the target kinds: the averaging window; null for threshold. */
    windowSeconds: integer('window_seconds'),
    scopeFacilityId: text('scope_facility_id'),
    scopeRegionCode: text('scope_region_code'),
    /** info | warning | critical */
    severity: text('severity').notNull(),
    webhookUrl: text('webhook_url'),
    /** HMAC-SHA256 key of X-Suanli-Signature; shown once, on creation. */
    webhookSecret: text('webhook_secret').notNull(),
    enabled: boolean('enabled').notNull(),
    ownerOrgId: text('owner_org_id').notNull(),
    createdBy: text('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('alert_rules_owner_idx').on(t.ownerOrgId, t.createdAt)],
);

/**
 * One alert: a rule's condition at one facility, from pending to resolved. At most one open
 * (pending or firing) instance per rule and facility; a condition that holds again after the
 * instance resolved opens a new one.
 */
export const alertInstances = pgTable(
  'alert_instances',
  {
    id: text('id').primaryKey(),
    ruleId: text('rule_id').notNull(),
    facilityId: text('facility_id').notNull(),
    /** pending | firing | resolved */
    state: text('state').notNull(),
    /** The value last evaluated (absence: seconds since the newest sample). */
    value: doublePrecision('value'),
    /** The threshold the value was compared with (pue_target: the facility's own target). */
    threshold: doublePrecision('threshold'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    lastEvaluatedAt: timestamp('last_evaluated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('alert_instances_open_idx').on(t.ruleId, t.facilityId).where(sql`state in ('pending', 'firing')`),
    index('alert_instances_started_idx').on(t.startedAt, t.id),
    index('alert_instances_facility_idx').on(t.facilityId, t.startedAt),
    index('alert_instances_rule_idx').on(t.ruleId, t.state),
  ],
);

/**
 * Webhook notifications waiting, delivered or given up: a persisted queue, so that a restart loses
 * none. The payload is fixed when the event happens; deliveries of one alert go out in order.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instanceId: text('instance_id').notNull(),
    ruleId: text('rule_id').notNull(),
    /** firing | resolved */
    event: text('event').notNull(),
    url: text('url').notNull(),
    payload: jsonb('payload').notNull(),
    /** pending | delivered | failed */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    lastStatusCode: integer('last_status_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('alert_deliveries_due_idx').on(t.status, t.nextAttemptAt), index('alert_deliveries_instance_idx').on(t.instanceId, t.id)],
);
