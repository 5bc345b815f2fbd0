import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { newId } from '../../ids.ts';
import { type AlertKind, compare, type Comparison, FRESH_WITHIN_MS, type Observation, type PayloadFacts, pueTargetOf, type Severity, transition, UTILISATION_TARGET, webhookPayload } from './rules.ts';
import { ALERT_LOCK_KEY, type AlertInstanceRow, type AlertRuleRow, alertStore, type AlertStore, inRegion, type ScopedFacility, watchableBy } from './store.ts';
import { alertInstances } from './tables.ts';
import { deliverAlertWebhooks, type DeliveryOptions } from './webhooks.ts';
import { startPeriodic } from '../../periodic.ts';

export interface EvaluationResult {
  rules: number;
  /** New alerts (pending, or firing at once). */
  opened: number;
  /** Alerts that became firing (opened firing included). */
  fired: number;
  resolved: number;
  /** Webhook notifications queued. */
  queued: number;
}

interface Seen {
  facilities: Map<string, ScopedFacility>;
  observations: Map<string, Observation>;
}

/** What a rule sees now at each facility it watches. */
async function observe(store: AlertStore, rule: AlertRuleRow, nowMs: number): Promise<Seen> {
  const seen: Seen = { facilities: new Map(), observations: new Map() };
  if (rule.deletedAt || !rule.enabled) return seen;
  const org = await store.ownerOrg(rule.ownerOrgId);
  if (!org) return seen;
  const scope = rule.scopeFacilityId ? sql`f.id = ${rule.scopeFacilityId}` : inRegion(rule.scopeRegionCode ?? '');
  const facilities = await store.scopeFacilities(scope, watchableBy(org));
  for (const f of facilities) seen.facilities.set(f.id, f);
  const ids = facilities.map((f) => f.id);
  const kind = rule.kind as AlertKind;
  const windowMs = (rule.windowSeconds ?? 0) * 1000;
  let values: Map<string, number>;
  switch (kind) {
    case 'threshold':
      values = await store.latestValues(rule.metric!, ids, nowMs - FRESH_WITHIN_MS);
      break;
    case 'absence':
      values = new Map([...(await store.newestSamples(ids))].map(([id, t]) => [id, Math.max(0, Math.floor((nowMs - t) / 1000))]));
      break;
    case 'pue_target':
    case 'utilisation_target':
      values = await store.windowAverages(rule.metric!, ids, nowMs - windowMs, nowMs);
      break;
    default:
      values = new Map();
  }
  for (const f of facilities) {
    const value = values.get(f.id);
    if (value === undefined || !Number.isFinite(value)) {
      seen.observations.set(f.id, { kind: 'unknown' });
      continue;
    }
    let threshold: number;
    let holds: boolean;
    if (kind === 'absence') {
      threshold = rule.windowSeconds ?? 0;
      holds = value >= threshold;
    } else if (kind === 'pue_target') {
      threshold = pueTargetOf(f.regionCode, rule.threshold);
      holds = value > threshold;
    } else if (kind === 'utilisation_target') {
      threshold = rule.threshold ?? UTILISATION_TARGET;
      holds = value < threshold;
    } else {
      threshold = rule.threshold!;
      holds = compare(value, rule.comparison as Comparison, threshold);
    }
    seen.observations.set(f.id, { kind: 'value', holds, value, threshold });
  }
  return seen;
}

/**
 * Evaluates every rule at the clock's now and moves each alert along pending → firing → resolved,
 * queueing a webhook notification (in the same transaction) when one fires or a fired one resolves.
 * One transaction per rule under an advisory lock, so replicas never evaluate at once. Deterministic
 * for a given database and clock; running it twice at the same time changes nothing the second time.
 */
export async function evaluateAlerts(deps: Deps): Promise<EvaluationResult> {
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const result: EvaluationResult = { rules: 0, opened: 0, fired: 0, resolved: 0, queued: 0 };
  const rules = await alertStore(deps.db).rulesToEvaluate();
  for (const listed of rules) {
    await deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ALERT_LOCK_KEY})`);
      const store = alertStore(tx);
      // Read again under the lock: the rule may have changed since the list was read.
      const rule = await store.ruleById(listed.id);
      if (!rule) return;
      result.rules += 1;
      const seen = await observe(store, rule, nowMs);
      const open = new Map((await store.openInstances(rule.id)).map((i) => [i.facilityId, i]));
      const gone = [...open.keys()].filter((id) => !seen.facilities.has(id));
      const goneFacilities = await store.facilitiesByIds(gone);
      const newRows: (typeof alertInstances.$inferInsert)[] = [];
      const notify: { instance: Pick<AlertInstanceRow, 'id' | 'startedAt' | 'firedAt' | 'resolvedAt' | 'value' | 'threshold'>; facility: ScopedFacility; event: 'firing' | 'resolved' }[] = [];
      const facilityIds = new Set([...seen.observations.keys(), ...open.keys()]);
      for (const facilityId of [...facilityIds].sort()) {
        const instance = open.get(facilityId) ?? null;
        const observation: Observation = seen.observations.get(facilityId) ?? { kind: 'gone' };
        const step = transition(instance ? { state: instance.state as 'pending' | 'firing', startedAt: instance.startedAt.getTime() } : null, observation, nowMs, rule.forSeconds * 1000);
        const facility = seen.facilities.get(facilityId) ?? goneFacilities.get(facilityId) ?? { id: facilityId, name: facilityId, computeId: '', regionCode: '' };
        const measured = observation.kind === 'value' ? { value: observation.value, threshold: observation.threshold } : {};
        switch (step.kind) {
          case 'open': {
            if (observation.kind !== 'value') break;
            const row = {
              id: newId('alt'),
              ruleId: rule.id,
              facilityId,
              state: step.state,
              value: observation.value,
              threshold: observation.threshold,
              startedAt: now,
              firedAt: step.state === 'firing' ? now : null,
              resolvedAt: null,
              lastEvaluatedAt: now,
            };
            newRows.push(row);
            result.opened += 1;
            if (step.state === 'firing') {
              result.fired += 1;
              notify.push({ instance: row, facility, event: 'firing' });
            }
            break;
          }
          case 'hold':
            await store.updateInstance(instance!.id, { ...measured, lastEvaluatedAt: now });
            break;
          case 'fire':
            await store.updateInstance(instance!.id, { ...measured, state: 'firing', firedAt: now, lastEvaluatedAt: now });
            result.fired += 1;
            notify.push({ instance: { ...instance!, ...measured, firedAt: now }, facility, event: 'firing' });
            break;
          case 'resolve':
            await store.updateInstance(instance!.id, { ...measured, state: 'resolved', resolvedAt: now, lastEvaluatedAt: now });
            result.resolved += 1;
            if (step.notify) notify.push({ instance: { ...instance!, ...measured, resolvedAt: now }, facility, event: 'resolved' });
            break;
          case 'none':
            break;
        }
      }
      for (let i = 0; i < newRows.length; i += 500) await tx.insert(alertInstances).values(newRows.slice(i, i + 500));
      if (rule.webhookUrl) {
        for (const n of notify) {
          await queueNotification(tx, rule, n.instance, n.facility, n.event, now);
          result.queued += 1;
        }
      }
    });
  }
  return result;
}

async function queueNotification(
  tx: Tx,
  rule: AlertRuleRow,
  instance: Pick<AlertInstanceRow, 'id' | 'startedAt' | 'firedAt' | 'resolvedAt' | 'value' | 'threshold'>,
  facility: ScopedFacility,
  event: 'firing' | 'resolved',
  now: Date,
) {
  const facts: PayloadFacts = {
    event,
    alertId: instance.id,
    rule: { id: rule.id, name: rule.name, kind: rule.kind as AlertKind, severity: rule.severity as Severity, metric: rule.metric, comparison: rule.comparison as Comparison | null },
    facility,
    value: instance.value,
    threshold: instance.threshold,
    startedAt: instance.startedAt,
    firedAt: instance.firedAt,
    resolvedAt: instance.resolvedAt,
  };
  await alertStore(tx).enqueueDelivery({
    instanceId: instance.id,
    ruleId: rule.id,
    event,
    url: rule.webhookUrl!,
    payload: webhookPayload(facts),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
}

export interface AlertTimer {
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`: evaluate the rules, then send the notifications that are due (never two runs
 * at once). stop() waits for a run in progress.
 */
export function startAlertTimer(deps: Deps, intervalMs: number, delivery: DeliveryOptions = {}): AlertTimer {
  return startPeriodic(deps.log, 'alert evaluation failed; the next run retries', intervalMs, async (isStopped) => {
    await evaluateAlerts(deps);
    if (!isStopped()) await deliverAlertWebhooks(deps, delivery);
  });
}
