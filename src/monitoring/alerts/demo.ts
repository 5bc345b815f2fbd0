import { appendAudit, auditOfActor } from '../../audit/store.ts';
import type { Deps } from '../../deps.ts';
import { newSecret } from '../../ids.ts';
import { COUNTRY_CODE } from '../../identity/actor.ts';
import { PLATFORM_ORG_ID } from '../../identity/service.ts';
import { type AlertRuleSpec, normaliseRule } from './rules.ts';
import { alertStore } from './store.ts';

/**
 * The demo's alert rules, owned by the platform and watching the whole country: the national green
 * targets (PUE below 1.5, 1.25 in a hub, over a day; rack utilisation at least 60 % over a day) and
 * silence for 10 minutes. No webhook: the alerts show in the API and the web app.
 */
export const DEMO_ALERT_RULES: { id: string; input: Parameters<typeof normaliseRule>[0] }[] = [
  { id: 'alr_demo_pue', input: { name: 'PUE 高于国家目标 · PUE above the national target', kind: 'pue_target', regionCode: COUNTRY_CODE, severity: 'warning' } },
  { id: 'alr_demo_utilisation', input: { name: '上架率低于 60% · Rack utilisation below 60 %', kind: 'utilisation_target', regionCode: COUNTRY_CODE, severity: 'info' } },
  { id: 'alr_demo_absence', input: { name: '数据中断 10 分钟 · Silent for 10 minutes', kind: 'absence', windowSeconds: 600, regionCode: COUNTRY_CODE, severity: 'critical' } },
];

/** Creates the demo rules that are missing (a restarted demo keeps its rules and their alerts). */
export async function ensureDemoAlertRules(deps: Deps): Promise<number> {
  const store = alertStore(deps.db);
  const now = deps.clock.now();
  let created = 0;
  for (const { id, input } of DEMO_ALERT_RULES) {
    if (await store.ruleById(id)) continue;
    const spec = normaliseRule(input).value as AlertRuleSpec;
    const row = { id, ...spec, webhookSecret: newSecret('whs'), ownerOrgId: PLATFORM_ORG_ID, createdBy: null, version: 1, createdAt: now, updatedAt: now, deletedAt: null };
    await deps.db.transaction(async (tx) => {
      await alertStore(tx).insertRule(row);
      await appendAudit(tx, [auditOfActor(null, now, 'created', 'alert-rule', id, null, { name: spec.name, kind: spec.kind, regionCode: spec.scopeRegionCode }, 'demo')]);
    });
    created += 1;
  }
  return created;
}
