import { sql } from 'drizzle-orm';
import { appendAudit, auditOfActor } from '../../audit/store.ts';
import type { Deps, RequestContext } from '../../deps.ts';
import { badRequest, checkIfMatch, forbidden, notFound, preconditionFailed, validationFailed } from '../../errors.ts';
import { newId, newSecret } from '../../ids.ts';
import { type Actor, COUNTRY_CODE, governs, hasMarketRole } from '../../identity/actor.ts';
import { decodeCursor, encodeCursor } from '../../pagination.ts';
import { regionIndex } from '../../regions/dataset.ts';
import { type AlertKind, type AlertRuleInput, type AlertRuleSpec, type Comparison, normaliseRule, type Severity, summaryOf } from './rules.ts';
import { type AlertListFilter, type AlertListRow, type AlertRuleRow, alertStore, inRegion } from './store.ts';

const MAX_RULES_LISTED = 5000;

// ---------------------------------------------------------------- permissions

/** Rules are made by suppliers (for their facilities), government bodies (in their jurisdiction) and administrators. */
function requireRuleMaker(actor: Actor) {
  if (actor.isAdmin || actor.orgKind === 'government' || hasMarketRole(actor, 'supplier')) return;
  throw forbidden('ALERT_RULES_NOT_ALLOWED', 'Alert rules are made by suppliers for their own facilities, by government bodies for their jurisdiction, and by administrators.');
}

/** The scope must be the actor's to watch: its own facility (supplier), its jurisdiction (government), anything (administrator). */
async function checkScope(deps: Deps, actor: Actor, spec: AlertRuleSpec) {
  if (spec.scopeFacilityId) {
    const facility = await alertStore(deps.db).facility(spec.scopeFacilityId);
    if (!facility) {
      throw validationFailed('The rule cannot be saved.', [{ path: '/facilityId', code: 'UNKNOWN_FACILITY', message: `facility ${JSON.stringify(spec.scopeFacilityId)} is not in the ledger` }]);
    }
    if (actor.isAdmin) return;
    if (actor.orgKind === 'government') {
      if (!governs(actor, facility.regionCode)) throw forbidden('OUT_OF_JURISDICTION', 'This facility lies outside your jurisdiction: a government body watches the facilities of its own region.');
      return;
    }
    if (facility.ownerOrgId !== actor.orgId) throw forbidden('NOT_FACILITY_OWNER', "A supplier sets alert rules on its own facilities only: this one belongs to another organisation.");
    return;
  }
  const region = spec.scopeRegionCode!;
  if (actor.isAdmin) return;
  if (actor.orgKind === 'government' && !governs(actor, region)) {
    throw forbidden('OUT_OF_JURISDICTION', `Region ${region} is not within your jurisdiction (${actor.jurisdictionCode}): choose a region inside it.`);
  }
  // A supplier's region rule watches only its own facilities in the region (see watchableBy).
}

/** Who may read a rule: its owner organisation, administrators, and government bodies governing its scope. */
function canSeeRule(actor: Actor, rule: AlertRuleRow, facilityRegion: string | null): boolean {
  if (actor.isAdmin || rule.ownerOrgId === actor.orgId) return true;
  if (actor.orgKind !== 'government') return false;
  const region = rule.scopeFacilityId ? facilityRegion : rule.scopeRegionCode;
  if (!region) return false;
  return region === COUNTRY_CODE ? actor.jurisdictionCode === COUNTRY_CODE : governs(actor, region);
}

async function visibleRule(deps: Deps, actor: Actor, id: string): Promise<AlertRuleRow> {
  const store = alertStore(deps.db);
  const rule = await store.getRule(id);
  const facilityRegion = rule?.scopeFacilityId ? ((await store.facility(rule.scopeFacilityId))?.regionCode ?? null) : null;
  if (!rule || !canSeeRule(actor, rule, facilityRegion)) throw notFound('Alert rule', id);
  return rule;
}

function requireRuleOwner(actor: Actor, rule: AlertRuleRow) {
  if (actor.isAdmin || rule.ownerOrgId === actor.orgId) return;
  throw forbidden('NOT_RULE_OWNER', 'Only the organisation that made this rule, or an administrator, changes it.');
}

/** Alerts `i` at facilities `f` the actor may see: the facility's owner, the government bodies of its region, administrators. */
function visibleAlerts(actor: Actor) {
  if (actor.isAdmin) return sql`true`;
  if (actor.orgKind === 'government') return actor.jurisdictionCode ? inRegion(actor.jurisdictionCode) : sql`false`;
  return sql`f.owner_org_id = ${actor.orgId}`;
}

// ---------------------------------------------------------------- views

export function ruleView(rule: AlertRuleRow) {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind as AlertKind,
    metric: rule.metric,
    comparison: rule.comparison as Comparison | null,
    threshold: rule.threshold,
    forSeconds: rule.forSeconds,
    windowSeconds: rule.windowSeconds,
    facilityId: rule.scopeFacilityId,
    regionCode: rule.scopeRegionCode,
    severity: rule.severity as Severity,
    webhookUrl: rule.webhookUrl,
    enabled: rule.enabled,
    ownerOrgId: rule.ownerOrgId,
    createdBy: rule.createdBy,
    version: rule.version,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

const isoOf = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString());

function alertView(row: AlertListRow) {
  const value = row.value === null ? null : Number(row.value);
  const threshold = row.threshold === null ? null : Number(row.threshold);
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind as AlertKind,
    severity: row.severity as Severity,
    metric: row.metric,
    comparison: row.comparison,
    facilityId: row.facility_id,
    facilityName: row.facility_name,
    computeId: row.compute_id,
    regionCode: row.region_code,
    state: row.state as 'pending' | 'firing' | 'resolved',
    value,
    threshold,
    startedAt: isoOf(row.started_at)!,
    firedAt: isoOf(row.fired_at),
    resolvedAt: isoOf(row.resolved_at),
    lastEvaluatedAt: isoOf(row.last_evaluated_at)!,
    summary: summaryOf({
      rule: { id: row.rule_id, name: row.rule_name, kind: row.kind as AlertKind, severity: row.severity as Severity, metric: row.metric, comparison: row.comparison as Comparison | null },
      facility: { id: row.facility_id, name: row.facility_name, computeId: row.compute_id, regionCode: row.region_code },
      value,
      threshold,
    }),
  };
}

// ---------------------------------------------------------------- rules

function normalised(input: AlertRuleInput): AlertRuleSpec {
  const { value, errors } = normaliseRule(input);
  if (!value) throw validationFailed('The alert rule cannot be saved.', errors);
  return value;
}

export async function createAlertRule(deps: Deps, actor: Actor, ctx: RequestContext, input: AlertRuleInput) {
  requireRuleMaker(actor);
  const spec = normalised(input);
  await checkScope(deps, actor, spec);
  const now = deps.clock.now();
  const webhookSecret = newSecret('whs');
  const row = { id: newId('alr'), ...spec, webhookSecret, ownerOrgId: actor.orgId, createdBy: actor.userId, version: 1, createdAt: now, updatedAt: now, deletedAt: null };
  await deps.db.transaction(async (tx) => {
    await alertStore(tx).insertRule(row);
    await appendAudit(tx, [auditOfActor(actor, now, 'created', 'alert-rule', row.id, null, ruleView(row), ctx.requestId)]);
  });
  return { ...ruleView(row), webhookSecret };
}

export async function listAlertRules(deps: Deps, actor: Actor) {
  const rows = await alertStore(deps.db).listRules(actor.isAdmin || actor.orgKind === 'government' ? null : actor.orgId, MAX_RULES_LISTED);
  const items = rows.filter((r) => canSeeRule(actor, r.rule, r.facilityRegion)).map((r) => ruleView(r.rule));
  return { items, nextCursor: null, total: items.length };
}

export async function getAlertRule(deps: Deps, actor: Actor, id: string) {
  return ruleView(await visibleRule(deps, actor, id));
}

export async function updateAlertRule(deps: Deps, actor: Actor, ctx: RequestContext, id: string, input: AlertRuleInput, ifMatch: string | undefined) {
  const rule = await visibleRule(deps, actor, id);
  requireRuleOwner(actor, rule);
  requireRuleMaker(actor);
  checkIfMatch(ifMatch, rule.version, 'rule');
  const spec = normalised(input);
  await checkScope(deps, actor, spec);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const updated = await alertStore(tx).updateRule(id, rule.version, { ...spec, updatedAt: now });
    if (!updated) throw preconditionFailed('The rule changed while you saved it: reload it and apply your edit again.');
    await appendAudit(tx, [auditOfActor(actor, now, 'updated', 'alert-rule', id, ruleView(rule), ruleView(updated), ctx.requestId)]);
    return ruleView(updated);
  });
}

/** Deletes a rule: it is no longer listed; its open alerts resolve at the next evaluation (a firing one notifies). */
export async function deleteAlertRule(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const rule = await visibleRule(deps, actor, id);
  requireRuleOwner(actor, rule);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const deleted = await alertStore(tx).updateRule(id, rule.version, { deletedAt: now, updatedAt: now });
    if (!deleted) throw preconditionFailed('The rule changed at the same moment: reload it and try again.');
    await appendAudit(tx, [auditOfActor(actor, now, 'deleted', 'alert-rule', id, ruleView(rule), null, ctx.requestId)]);
  });
}

// ---------------------------------------------------------------- alerts

export interface AlertQuery {
  state?: 'pending' | 'firing' | 'resolved' | 'open';
  facilityId?: string;
  region?: string;
  ruleId?: string;
  severity?: string;
  limit?: number;
  cursor?: string;
}

const CURSOR_TAG = 'alerts';

export async function listAlerts(deps: Deps, actor: Actor, query: AlertQuery) {
  if (query.region && query.region !== COUNTRY_CODE && !regionIndex().has(query.region)) {
    throw badRequest('UNKNOWN_REGION', `Unknown region code ${JSON.stringify(query.region)}: use a six-digit GB/T 2260 code from GET /api/v1/regions.`);
  }
  const limit = query.limit ?? 50;
  const after = query.cursor
    ? decodeCursor<{ at: number; id: string }>(query.cursor, CURSOR_TAG, (p) => Number.isFinite(p.at) && typeof p.at === 'number' && Math.abs(p.at) < 8.64e15 && typeof p.id === 'string' && p.id.length < 100)
    : undefined;
  const filter: AlertListFilter = { visible: visibleAlerts(actor), state: query.state, facilityId: query.facilityId, region: query.region, ruleId: query.ruleId, severity: query.severity, limit: limit + 1 };
  const store = alertStore(deps.db);
  const rows = await store.listAlerts({ ...filter, after });
  const total = await store.countAlerts(filter);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ at: new Date(last.started_at).getTime(), id: last.id }, CURSOR_TAG) : null;
  return { items: page.map(alertView), nextCursor, total };
}

export async function getAlert(deps: Deps, actor: Actor, id: string) {
  const store = alertStore(deps.db);
  const [row] = await store.listAlerts({ visible: sql`i.id = ${id} and ${visibleAlerts(actor)}`, limit: 1 });
  if (!row) throw notFound('Alert', id);
  const notifications = (await store.deliveriesOf(id)).map((d) => ({
    event: d.event as 'firing' | 'resolved',
    status: d.status as 'pending' | 'delivered' | 'failed',
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  }));
  return { ...alertView(row), notifications };
}
