/**
 * Alerts end to end with a manual clock: rules through the API, samples through the JSON push,
 * evaluateAlerts and deliverAlertWebhooks called by hand, a real webhook receiver on 127.0.0.1
 * that fails the first attempts.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { evaluateAlerts, startAlertTimer } from '../../src/monitoring/alerts/evaluate.ts';
import { alertStore } from '../../src/monitoring/alerts/store.ts';
import { deliverAlertWebhooks } from '../../src/monitoring/alerts/webhooks.ts';
import { runRollups } from '../../src/monitoring/rollups.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { supplierWithFacility } from './monitoring-fixtures.ts';

const MIN = 60_000;
const PASSWORD = 'Alerts-Test-Pass-9x';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A webhook receiver: answers `plan` statuses in turn (then 200), records every request. */
async function receiver() {
  const received: Received[] = [];
  const plan: number[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body, json: JSON.parse(body) });
      response.statusCode = plan.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (path: string) => `http://127.0.0.1:${port}${path}`, received, plan, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe(`alerts (${databaseKind})`, () => {
  let t: TestPlatform;
  const clock = manualClock('2026-11-26T10:00:00Z');
  let hook: Awaited<ReturnType<typeof receiver>>;
  let admin = '';
  const gov: Record<'shanxi' | 'jiangsu' | 'national', string> = { shanxi: '', jiangsu: '', national: '' };
  let demander = '';
  /** A: supplier in 大同 (Shanxi, no hub); B: supplier in 南京 (Jiangsu, Yangtze River Delta hub). */
  const fac = { a: { orgId: '', token: '', facilityId: '', ingest: '' }, b: { orgId: '', token: '', facilityId: '', ingest: '' } };

  const deps = () => t.platform.deps;
  const query = <T>(statement: string, params: unknown[] = []) => t.platform.deps.database.query<T>(statement, params);
  const count = async (table: string) => (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n;
  const push = async (who: 'a' | 'b', metric: string, value: number, ts = clock.now().getTime()) => {
    const response = await t.inject('POST', '/api/v1/metrics', { token: fac[who].ingest, body: { samples: [{ metric, value, ts }] } });
    expect(response.statusCode, response.body).toBe(200);
  };
  const createRule = async (token: string, body: Record<string, unknown>) => {
    const response = await t.inject('POST', '/api/v1/alert-rules', { token, body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const alertsOf = async (ruleId: string, token = admin) => {
    const response = await t.inject('GET', `/api/v1/alerts?ruleId=${ruleId}&limit=500`, { token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as any[];
  };
  const governmentUser = async (key: string, jurisdictionCode: string) => {
    const org = await t.inject('POST', '/api/v1/organizations', { token: admin, body: { name: `告警测试政府 ${key}`, kind: 'government', jurisdictionCode } });
    expect(org.statusCode, org.body).toBe(201);
    const user = await t.inject('POST', '/api/v1/users', { token: admin, body: { username: `alert-gov-${key}`, password: PASSWORD, orgId: org.json().id } });
    expect(user.statusCode, user.body).toBe(201);
    return t.login(`alert-gov-${key}`, PASSWORD);
  };

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_ALERT_INTERVAL_SECONDS: '0', SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    hook = await receiver();
    admin = await t.login('admin', 'Root-Test-Pass-1');
    for (const [key, region] of [['a', '140213'], ['b', '320102']] as const) {
      const made = await supplierWithFacility(t, admin, `alert-${key}`, region);
      const ingest = await t.inject('POST', `/api/v1/facilities/${made.facilityId}/ingest-tokens`, { token: made.token, body: {} });
      fac[key] = { ...made, ingest: ingest.json().token };
    }
    gov.shanxi = await governmentUser('sx', '140000');
    gov.jiangsu = await governmentUser('js', '320000');
    gov.national = await governmentUser('cn', '000000');
    const org = await t.inject('POST', '/api/v1/organizations', { token: admin, body: { name: '告警测试需求方', kind: 'enterprise', marketRoles: ['demander'] } });
    await t.inject('POST', '/api/v1/users', { token: admin, body: { username: 'alert-demander', password: PASSWORD, orgId: org.json().id } });
    demander = await t.login('alert-demander', PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
  });

  describe('a threshold rule, from pending to firing to resolved, with webhooks', () => {
    let rule: any;
    let firstAlert = '';

    it('creates the rule with its secret shown once, and audits it', async () => {
      const auditBefore = await count('audit_log');
      rule = await createRule(fac.a.token, { name: 'PUE 过高', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, forSeconds: 300, facilityId: fac.a.facilityId, severity: 'critical', webhookUrl: hook.url('/hook/a') });
      expect(rule).toMatchObject({ kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, forSeconds: 300, windowSeconds: null, facilityId: fac.a.facilityId, regionCode: null, version: 1, enabled: true, ownerOrgId: fac.a.orgId });
      expect(rule.webhookSecret).toMatch(/^whs_/);
      const again = await t.inject('GET', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token });
      expect(again.headers.etag).toBe('"1"');
      expect(again.json().webhookSecret).toBeUndefined();
      expect(await count('audit_log')).toBe(auditBefore + 1);
      const [entry] = await query<{ action: string; object_type: string }>('select action, object_type from audit_log where object_id = $1', [rule.id]);
      expect(entry).toEqual({ action: 'created', object_type: 'alert-rule' });
    });

    it('opens a pending alert when the value crosses the threshold, and holds it until `for` has passed', async () => {
      await push('a', 'pue', 1.7);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 0, queued: 0 });
      let [alert] = await alertsOf(rule.id);
      expect(alert).toMatchObject({ state: 'pending', value: 1.7, threshold: 1.5, facilityId: fac.a.facilityId, firedAt: null, startedAt: '2026-11-26T10:00:00.000Z', severity: 'critical' });
      firstAlert = alert.id;
      clock.advance(2 * MIN);
      await push('a', 'pue', 1.8);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, fired: 0 });
      [alert] = await alertsOf(rule.id);
      expect(alert).toMatchObject({ id: firstAlert, state: 'pending', value: 1.8, lastEvaluatedAt: '2026-11-26T10:02:00.000Z' });
    });

    it('is idempotent: evaluating twice at the same time changes nothing', async () => {
      const snapshot = async () => [await query('select * from alert_instances order by id'), await query('select * from alert_deliveries order by id')];
      const before = await snapshot();
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, fired: 0, resolved: 0, queued: 0 });
      expect(await snapshot()).toEqual(before);
    });

    it('fires after `for`, once (deduplicated), and queues one notification', async () => {
      clock.advance(3 * MIN);
      await push('a', 'pue', 1.75);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, fired: 1, queued: 1 });
      clock.advance(MIN);
      await push('a', 'pue', 1.76);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, fired: 0, queued: 0 });
      const alerts = await alertsOf(rule.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ id: firstAlert, state: 'firing', firedAt: '2026-11-26T10:05:00.000Z', value: 1.76 });
      expect(await query('select event, status, attempts from alert_deliveries where rule_id = $1', [rule.id])).toEqual([{ event: 'firing', status: 'pending', attempts: 0 }]);
    });

    it('delivers the webhook after failed attempts, backing off 30 s then 60 s', async () => {
      hook.plan.push(503, 500);
      expect(await deliverAlertWebhooks(deps())).toEqual({ attempted: 1, delivered: 0, retrying: 1, failed: 0 });
      // Not due yet: nothing is sent again at the same time.
      expect(await deliverAlertWebhooks(deps())).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
      clock.advance(29_000);
      expect((await deliverAlertWebhooks(deps())).attempted).toBe(0);
      clock.advance(1_000);
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ attempted: 1, retrying: 1 });
      const [waiting] = await query<{ next: string; error: string; code: number }>(`select to_char(next_attempt_at at time zone 'UTC', 'HH24:MI:SS') as next, last_error as error, last_status_code as code from alert_deliveries where rule_id = $1`, [rule.id]);
      expect(waiting).toEqual({ next: '10:07:30', error: 'HTTP 500', code: 500 });
      clock.advance(60_000);
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ attempted: 1, delivered: 1 });
      expect(hook.received).toHaveLength(3);
      const last = hook.received[2];
      expect(last.path).toBe('/hook/a');
      expect(last.headers['content-type']).toBe('application/json');
      expect(last.headers['x-suanli-event']).toBe('firing');
      expect(last.headers['x-suanli-signature']).toBe(`sha256=${createHmac('sha256', rule.webhookSecret).update(last.body).digest('hex')}`);
      expect(last.json).toMatchObject({
        version: '4',
        status: 'firing',
        groupKey: `${rule.id}:${fac.a.facilityId}`,
        alerts: [{ status: 'firing', fingerprint: firstAlert, startsAt: '2026-11-26T10:05:00.000Z', endsAt: '0001-01-01T00:00:00Z', labels: { alertname: 'PUE 过高', severity: 'critical', facility_id: fac.a.facilityId, metric: 'pue' } }],
        suanli: { alertId: firstAlert, event: 'firing', value: 1.75, threshold: 1.5 },
      });
      const detail = (await t.inject('GET', `/api/v1/alerts/${firstAlert}`, { token: fac.a.token })).json();
      expect(detail.notifications).toEqual([{ event: 'firing', status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: '2026-11-26T10:07:30.000Z' }]);
    });

    it('resolves when the value clears, notifies, and a new breach opens a new alert', async () => {
      await push('a', 'pue', 1.3);
      expect(await evaluateAlerts(deps())).toMatchObject({ resolved: 1, queued: 1 });
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ delivered: 1 });
      const resolved = hook.received.at(-1)!;
      expect(resolved.json).toMatchObject({ status: 'resolved', alerts: [{ status: 'resolved', fingerprint: firstAlert, endsAt: '2026-11-26T10:07:30.000Z' }], suanli: { value: 1.3 } });
      expect(resolved.headers['x-suanli-event']).toBe('resolved');
      clock.advance(MIN);
      await push('a', 'pue', 1.9);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1 });
      const alerts = await alertsOf(rule.id);
      expect(alerts.map((a) => a.state)).toEqual(['pending', 'resolved']);
      expect(alerts[0].id).not.toBe(firstAlert);
      // The database allows one open alert per rule and facility.
      await expect(
        query(`insert into alert_instances (id, rule_id, facility_id, state, started_at, last_evaluated_at) values ('alt_dup', $1, $2, 'firing', now(), now())`, [rule.id, fac.a.facilityId]),
      ).rejects.toThrow(/alert_instances_open_idx|duplicate/);
    });

    it('follows a rule change (If-Match), and resolves the open alerts of a disabled or deleted rule', async () => {
      const body = { name: 'PUE 过高', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 2, forSeconds: 300, facilityId: fac.a.facilityId, severity: 'critical', webhookUrl: hook.url('/hook/a') };
      const updated = await t.inject('PUT', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token, headers: { 'if-match': '"1"' }, body });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.headers.etag).toBe('"2"');
      expect(await evaluateAlerts(deps())).toMatchObject({ resolved: 1, queued: 0 }); // pending → resolved, never fired: no notification
      const deleted = await t.inject('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token });
      expect(deleted.statusCode).toBe(204);
      expect((await t.inject('GET', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token })).statusCode).toBe(404);
      expect(await query<{ action: string }>('select action from audit_log where object_id = $1 order by seq', [rule.id])).toEqual([{ action: 'created' }, { action: 'updated' }, { action: 'deleted' }]);
      // Its alerts stay listed.
      expect((await alertsOf(rule.id)).map((a) => a.state)).toEqual(['resolved', 'resolved']);
    });

    it('resolves a firing alert of a deleted rule with a notification', async () => {
      const doomed = await createRule(fac.a.token, { name: 'PUE 临时', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, forSeconds: 0, facilityId: fac.a.facilityId, webhookUrl: hook.url('/hook/doomed') });
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1, queued: 1 });
      expect((await t.inject('DELETE', `/api/v1/alert-rules/${doomed.id}`, { token: admin })).statusCode).toBe(204);
      expect(await evaluateAlerts(deps())).toMatchObject({ resolved: 1, queued: 1 });
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ delivered: 2 });
      expect(hook.received.slice(-2).map((r) => [r.path, r.json.status])).toEqual([
        ['/hook/doomed', 'firing'],
        ['/hook/doomed', 'resolved'],
      ]);
      expect((await alertsOf(doomed.id))[0].state).toBe('resolved');
    });
    it('resolves the alerts of a disabled rule (notifying a fired one) and opens new ones when it is enabled again', async () => {
      const body = { name: 'PUE 开关', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, forSeconds: 0, facilityId: fac.a.facilityId, webhookUrl: hook.url('/hook/toggle') };
      const rule = await createRule(fac.a.token, body);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1, queued: 1 });
      const off = await t.inject('PUT', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token, headers: { 'if-match': '"1"' }, body: { ...body, enabled: false } });
      expect(off.json()).toMatchObject({ enabled: false, version: 2 });
      expect(await evaluateAlerts(deps())).toMatchObject({ resolved: 1, queued: 1 });
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, resolved: 0 });
      clock.advance(1000);
      await t.inject('PUT', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token, headers: { 'if-match': '"2"' }, body });
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1 });
      expect((await alertsOf(rule.id)).map((a) => a.state)).toEqual(['firing', 'resolved']);
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ delivered: 3 });
      // Each alert's notifications in order (different alerts go out side by side).
      const [second, first] = await alertsOf(rule.id);
      const sent = hook.received.slice(-3).map((r) => `${r.json.suanli.alertId} ${r.json.status}`);
      expect([...sent].sort()).toEqual([`${first.id} firing`, `${first.id} resolved`, `${second.id} firing`].sort());
      expect(sent.indexOf(`${first.id} firing`)).toBeLessThan(sent.indexOf(`${first.id} resolved`));
      await t.inject('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token });
      await evaluateAlerts(deps());
      await deliverAlertWebhooks(deps());
    });
  });

  describe('webhook delivery', () => {
    it('gives up after the last attempt, and at once when the receiver refuses the request', async () => {
      const refused = await createRule(fac.a.token, { name: '拒收', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1, forSeconds: 0, facilityId: fac.a.facilityId, webhookUrl: hook.url('/gone') });
      // A port nobody listens on.
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const down = await createRule(fac.a.token, { name: '宕机', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1, forSeconds: 0, facilityId: fac.a.facilityId, webhookUrl: `http://127.0.0.1:${closedPort}/closed` });
      expect(await evaluateAlerts(deps())).toMatchObject({ fired: 2, queued: 2 });
      hook.plan.push(404);
      expect(await deliverAlertWebhooks(deps(), { maxAttempts: 3 })).toEqual({ attempted: 2, delivered: 0, retrying: 1, failed: 1 });
      clock.advance(30_000);
      expect(await deliverAlertWebhooks(deps(), { maxAttempts: 3 })).toMatchObject({ attempted: 1, retrying: 1 });
      clock.advance(60_000);
      expect(await deliverAlertWebhooks(deps(), { maxAttempts: 3 })).toMatchObject({ attempted: 1, failed: 1 });
      clock.advance(3600_000);
      expect((await deliverAlertWebhooks(deps(), { maxAttempts: 3 })).attempted).toBe(0);
      const rows = await query<{ rule_id: string; status: string; attempts: number; last_error: string }>('select rule_id, status, attempts, last_error from alert_deliveries where rule_id = any($1) order by rule_id', [[refused.id, down.id]]);
      expect(rows.find((r) => r.rule_id === refused.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 404' });
      expect(rows.find((r) => r.rule_id === down.id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'ECONNREFUSED' });
      for (const id of [refused.id, down.id]) await t.inject('DELETE', `/api/v1/alert-rules/${id}`, { token: fac.a.token });
      await evaluateAlerts(deps());
      await query(`update alert_deliveries set status = 'failed' where status = 'pending'`);
    });

    it('loses no notification when a sender dies mid-delivery: the lease runs out and it is sent again', async () => {
      await push('a', 'pue', 1.2);
      const rule = await createRule(fac.a.token, { name: '租约', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1, forSeconds: 0, facilityId: fac.a.facilityId, webhookUrl: hook.url('/hook/lease') });
      await evaluateAlerts(deps());
      // A replica claims the delivery and dies before sending it.
      const now = clock.now().getTime();
      expect(await alertStore(deps().db).claimDeliveries(now, now + 70_000, 10)).toHaveLength(1);
      expect((await deliverAlertWebhooks(deps())).attempted).toBe(0);
      clock.advance(70_000);
      expect(await deliverAlertWebhooks(deps())).toMatchObject({ attempted: 1, delivered: 1 });
      expect(hook.received.at(-1)!.path).toBe('/hook/lease');
      await t.inject('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token });
      await evaluateAlerts(deps());
      await deliverAlertWebhooks(deps());
    });
  });

  describe('absence', () => {
    it('fires when a facility is silent for the window, and resolves when a sample arrives', async () => {
      await push('a', 'availability', 1);
      const rule = await createRule(gov.shanxi, { name: '大同数据中断', kind: 'absence', windowSeconds: 600, regionCode: '140200' });
      expect(rule).toMatchObject({ windowSeconds: 600, forSeconds: 0, threshold: null, regionCode: '140200' });
      // Facility A sent a sample just now; B is in Jiangsu, outside the scope.
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0 });
      clock.advance(9 * MIN);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0 });
      clock.advance(MIN);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1 });
      const [alert] = await alertsOf(rule.id);
      expect(alert).toMatchObject({ facilityId: fac.a.facilityId, state: 'firing', threshold: 600, kind: 'absence' });
      expect(alert.value).toBeGreaterThanOrEqual(600);
      expect(alert.summary).toMatch(/sent no sample for \d+ min \(limit 10 min\)/);
      await push('a', 'availability', 1);
      expect(await evaluateAlerts(deps())).toMatchObject({ resolved: 1 });
      expect((await alertsOf(rule.id))[0]).toMatchObject({ state: 'resolved', value: 0 });
    });
  });

  describe('national targets', () => {
    it('raises PUE above the target: 1.25 in a national hub, 1.5 elsewhere, averaged over the window from rollups and raw samples', async () => {
      const start = clock.now().getTime();
      // One sample every 5 minutes for the last hour: A (大同) at 1.4, B (南京, in a hub) at 1.3.
      for (let i = 11; i >= 0; i--) {
        await push('a', 'pue', 1.4, start - i * 5 * MIN);
        await push('b', 'pue', 1.3, start - i * 5 * MIN);
      }
      const rule = await createRule(admin, { name: '全国 PUE 目标', kind: 'pue_target', windowSeconds: 3600, regionCode: '000000' });
      expect(rule).toMatchObject({ metric: 'pue', comparison: '>', threshold: null });
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1 });
      const [alert] = await alertsOf(rule.id);
      expect(alert).toMatchObject({ facilityId: fac.b.facilityId, state: 'firing', threshold: 1.25, kind: 'pue_target' });
      expect(alert.value).toBeCloseTo(1.3, 9);
      // Folded into 5 min rollups, the average is the same.
      await runRollups(deps());
      expect((await query<{ n: number }>(`select count(*)::int as n from metric_rollups_5m`))[0].n).toBeGreaterThan(0);
      clock.advance(1000);
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 0, resolved: 0 });
      expect((await alertsOf(rule.id))[0].value).toBeCloseTo(1.3, 9);
      await t.inject('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: admin });
      await evaluateAlerts(deps());
    });

    it('raises rack utilisation below 60 % over a day', async () => {
      const now = clock.now().getTime();
      // Hourly for the last day: A at 0.5, B at 0.8.
      for (let h = 23; h >= 0; h--) {
        await push('a', 'rack_utilization', 0.5, now - h * 3600_000 - 30_000);
        await push('b', 'rack_utilization', 0.8, now - h * 3600_000 - 30_000);
      }
      // Fold the whole day afresh (samples older than the rollup watermark are otherwise left out of the rollups).
      await query('delete from metric_rollup_state');
      await query('delete from metric_rollups_5m');
      await runRollups(deps());
      const rule = await createRule(gov.national, { name: '上架率目标', kind: 'utilisation_target', regionCode: '000000', severity: 'info' });
      expect(rule).toMatchObject({ threshold: 0.6, windowSeconds: 86_400 });
      expect(await evaluateAlerts(deps())).toMatchObject({ opened: 1, fired: 1 });
      const [alert] = await alertsOf(rule.id, gov.national);
      expect(alert).toMatchObject({ facilityId: fac.a.facilityId, state: 'firing', threshold: 0.6, severity: 'info' });
      expect(alert.value).toBeCloseTo(0.5, 9);
      expect(alert.summary).toMatch(/average rack utilisation 0.5 below the target 0.6/);
    });
  });

  describe('listing', () => {
    it('filters by state, facility and region, and pages with a cursor', async () => {
      const firing = (await t.inject('GET', '/api/v1/alerts?state=firing', { token: admin })).json();
      expect(firing.items.length).toBeGreaterThan(0);
      expect(firing.items.every((a: any) => a.state === 'firing')).toBe(true);
      const open = (await t.inject('GET', '/api/v1/alerts?state=open', { token: admin })).json();
      expect(open.items.every((a: any) => a.state !== 'resolved')).toBe(true);
      const inJiangsu = (await t.inject('GET', '/api/v1/alerts?region=320000', { token: admin })).json();
      expect(inJiangsu.items.length).toBeGreaterThan(0);
      expect(inJiangsu.items.every((a: any) => a.facilityId === fac.b.facilityId)).toBe(true);
      const ofA = (await t.inject('GET', `/api/v1/alerts?facilityId=${fac.a.facilityId}`, { token: admin })).json();
      expect(ofA.items.every((a: any) => a.facilityId === fac.a.facilityId)).toBe(true);
      const all = (await t.inject('GET', '/api/v1/alerts?limit=500', { token: admin })).json();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = (await t.inject('GET', `/api/v1/alerts?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: admin })).json();
        expect(page.total).toBe(all.total);
        seen.push(...page.items.map((a: any) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((a: any) => a.id));
      expect(new Set(seen).size).toBe(all.total);
    });
  });

  describe('permissions', () => {
    it("shows alerts to the facility's owner, the government of its region and administrators only", async () => {
      const [alertOfA] = (await t.inject('GET', `/api/v1/alerts?facilityId=${fac.a.facilityId}&limit=1`, { token: admin })).json().items;
      for (const token of [admin, fac.a.token, gov.shanxi, gov.national]) expect((await t.inject('GET', `/api/v1/alerts/${alertOfA.id}`, { token })).statusCode).toBe(200);
      for (const token of [fac.b.token, gov.jiangsu, demander]) expect((await t.inject('GET', `/api/v1/alerts/${alertOfA.id}`, { token })).statusCode).toBe(404);
      const listedTo = async (token: string) => new Set(((await t.inject('GET', '/api/v1/alerts?limit=500', { token })).json().items as any[]).map((a) => a.facilityId));
      expect(await listedTo(fac.b.token)).toEqual(new Set([fac.b.facilityId]));
      expect(await listedTo(gov.jiangsu)).toEqual(new Set([fac.b.facilityId]));
      expect(await listedTo(gov.shanxi)).toEqual(new Set([fac.a.facilityId]));
      expect(await listedTo(demander)).toEqual(new Set());
      expect((await t.inject('GET', '/api/v1/alerts')).statusCode).toBe(401);
    });

    it('lets a supplier watch only its own facilities, a government only its jurisdiction', async () => {
      const rules = await count('alert_rules');
      const audit = await count('audit_log');
      const base = { name: 'x', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5 };
      const tries: [string, Record<string, unknown>, number, string][] = [
        [fac.b.token, { ...base, facilityId: fac.a.facilityId }, 403, 'NOT_FACILITY_OWNER'],
        [gov.jiangsu, { ...base, facilityId: fac.a.facilityId }, 403, 'OUT_OF_JURISDICTION'],
        [gov.jiangsu, { ...base, regionCode: '140000' }, 403, 'OUT_OF_JURISDICTION'],
        [gov.shanxi, { ...base, regionCode: '000000' }, 403, 'OUT_OF_JURISDICTION'],
        [demander, { ...base, regionCode: '000000' }, 403, 'ALERT_RULES_NOT_ALLOWED'],
      ];
      for (const [token, body, status, code] of tries) {
        const response = await t.inject('POST', '/api/v1/alert-rules', { token, body });
        expect([response.statusCode, response.json().code], JSON.stringify(body)).toEqual([status, code]);
      }
      expect(await count('alert_rules')).toBe(rules);
      expect(await count('audit_log')).toBe(audit);
    });

    it("confines a supplier's region rule to its own facilities", async () => {
      const rule = await createRule(fac.b.token, { name: '全国我的设施', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 0, forSeconds: 0, regionCode: '000000' });
      await push('a', 'pue', 1.4);
      await push('b', 'pue', 1.4);
      await evaluateAlerts(deps());
      expect((await alertsOf(rule.id)).map((a) => a.facilityId)).toEqual([fac.b.facilityId]);
    });

    it('shows rules to their owner, the governments of their scope and administrators; only the owner changes them', async () => {
      const rule = await createRule(fac.a.token, { name: 'A 的规则', kind: 'absence', facilityId: fac.a.facilityId });
      for (const token of [admin, fac.a.token, gov.shanxi, gov.national]) expect((await t.inject('GET', `/api/v1/alert-rules/${rule.id}`, { token })).statusCode).toBe(200);
      for (const token of [fac.b.token, gov.jiangsu, demander]) expect((await t.inject('GET', `/api/v1/alert-rules/${rule.id}`, { token })).statusCode).toBe(404);
      const listed = async (token: string) => ((await t.inject('GET', '/api/v1/alert-rules', { token })).json().items as any[]).map((r) => r.id);
      expect(await listed(gov.shanxi)).toContain(rule.id);
      expect(await listed(gov.jiangsu)).not.toContain(rule.id);
      expect(await listed(fac.b.token)).not.toContain(rule.id);
      const put = await t.inject('PUT', `/api/v1/alert-rules/${rule.id}`, { token: gov.shanxi, headers: { 'if-match': '"1"' }, body: { name: 'y', kind: 'absence', facilityId: fac.a.facilityId } });
      expect([put.statusCode, put.json().code]).toEqual([403, 'NOT_RULE_OWNER']);
      expect((await t.inject('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: fac.b.token })).statusCode).toBe(404);
      expect((await t.inject('GET', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token })).json().version).toBe(1);
    });
  });

  describe('bad input', () => {
    it('answers 4xx with a stable code and changes nothing', async () => {
      const rule = await createRule(fac.a.token, { name: '输入测试', kind: 'threshold', metric: 'availability', comparison: '<', threshold: 1, facilityId: fac.a.facilityId });
      const tables = ['alert_rules', 'alert_instances', 'alert_deliveries', 'audit_log'];
      const counts = async () => Promise.all(tables.map(count));
      const before = await counts();
      const ruleBefore = await query('select * from alert_rules where id = $1', [rule.id]);
      const base = { name: 'x', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1.5, facilityId: fac.a.facilityId };
      const posts: [Record<string, unknown>, number, string][] = [
        [{ ...base, metric: 'node_load1' }, 422, 'UNKNOWN_METRIC'],
        [{ ...base, webhookUrl: 'ftp://hooks.example.cn/x' }, 422, 'INVALID_WEBHOOK_URL'],
        [{ ...base, webhookUrl: 'http://user:pw@127.0.0.1/x' }, 422, 'INVALID_WEBHOOK_URL'],
        [{ ...base, webhookUrl: 'not a url' }, 422, 'INVALID_WEBHOOK_URL'],
        [{ ...base, regionCode: '140000' }, 422, 'SCOPE_AMBIGUOUS'],
        [{ ...base, facilityId: undefined }, 422, 'SCOPE_REQUIRED'],
        [{ ...base, facilityId: 'fac_nope' }, 422, 'UNKNOWN_FACILITY'],
        [{ ...base, facilityId: undefined, regionCode: '999999' }, 422, 'UNKNOWN_REGION'],
        [{ ...base, threshold: undefined }, 422, 'THRESHOLD_REQUIRED'],
        [{ ...base, windowSeconds: 600 }, 422, 'WINDOW_NOT_ALLOWED'],
        [{ name: 'x', kind: 'pue_target', facilityId: fac.a.facilityId, threshold: 0.5 }, 422, 'INVALID_THRESHOLD'],
        [{ name: 'x', kind: 'absence', facilityId: fac.a.facilityId, windowSeconds: 30 }, 400, 'INVALID_REQUEST'],
        [{ ...base, kind: 'silence' }, 400, 'INVALID_REQUEST'],
        [{ ...base, forSeconds: -1 }, 400, 'INVALID_REQUEST'],
        [{ ...base, ownerOrgId: 'org_platform' }, 400, 'INVALID_REQUEST'],
        [{ ...base, name: '' }, 400, 'INVALID_REQUEST'],
      ];
      for (const [body, status, code] of posts) {
        const response = await t.inject('POST', '/api/v1/alert-rules', { token: fac.a.token, body });
        expect([response.statusCode, response.json().code], JSON.stringify(body)).toEqual([status, code]);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const update = { name: '输入测试', kind: 'threshold', metric: 'availability', comparison: '<', threshold: 0.5, facilityId: fac.a.facilityId };
      const puts: [Record<string, string>, Record<string, unknown>, number, string][] = [
        [{}, update, 428, 'PRECONDITION_REQUIRED'],
        [{ 'if-match': '"7"' }, update, 412, 'PRECONDITION_FAILED'],
        [{ 'if-match': '"1"' }, { ...update, metric: 'bogus' }, 422, 'UNKNOWN_METRIC'],
        [{ 'if-match': '"1"' }, { ...update, facilityId: fac.b.facilityId }, 403, 'NOT_FACILITY_OWNER'],
      ];
      for (const [headers, body, status, code] of puts) {
        const response = await t.inject('PUT', `/api/v1/alert-rules/${rule.id}`, { token: fac.a.token, headers, body });
        expect([response.statusCode, response.json().code]).toEqual([status, code]);
      }
      const gets: [string, number, string][] = [
        ['/api/v1/alerts?state=bogus', 400, 'INVALID_REQUEST'],
        ['/api/v1/alerts?region=999999', 400, 'UNKNOWN_REGION'],
        ['/api/v1/alerts?region=abc', 400, 'INVALID_REQUEST'],
        [`/api/v1/alerts?cursor=${Buffer.from(JSON.stringify({ t: 'alerts', p: { at: 'x', id: 1 } })).toString('base64url')}`, 400, 'INVALID_CURSOR'],
        ['/api/v1/alerts/alt_nope', 404, 'NOT_FOUND'],
        ['/api/v1/alert-rules/alr_nope', 404, 'NOT_FOUND'],
      ];
      for (const [url, status, code] of gets) {
        const response = await t.inject('GET', url, { token: admin });
        expect([response.statusCode, response.json().code], url).toEqual([status, code]);
      }
      expect((await t.inject('DELETE', '/api/v1/alert-rules/alr_nope', { token: admin })).statusCode).toBe(404);
      expect(await counts()).toEqual(before);
      expect(await query('select * from alert_rules where id = $1', [rule.id])).toEqual(ruleBefore);
    });
  });

  it('evaluates and delivers on a timer that stops cleanly', async () => {
    const rule = await createRule(fac.b.token, { name: '定时', kind: 'threshold', metric: 'pue', comparison: '>', threshold: 1, forSeconds: 0, facilityId: fac.b.facilityId, webhookUrl: hook.url('/hook/timer') });
    await push('b', 'pue', 1.2);
    const timer = startAlertTimer(deps(), 20);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !hook.received.some((r) => r.path === '/hook/timer')) await new Promise((resolve) => setTimeout(resolve, 20));
    await timer.stop();
    expect(hook.received.filter((r) => r.path === '/hook/timer').map((r) => r.json.status)).toEqual(['firing']);
    expect((await alertsOf(rule.id))[0].state).toBe('firing');
  });
});
