import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyAnswer, normaliseRule, type Observation, pueTargetOf, signBody, transition, webhookPayload, webhookUrlProblem } from './rules.ts';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const MIN = 60_000;
const breach = (value = 2): Observation => ({ kind: 'value', holds: true, value, threshold: 1.5 });
const clear: Observation = { kind: 'value', holds: false, value: 1.2, threshold: 1.5 };

describe('the state machine of one alert', () => {
  it('opens pending, fires once the condition held for `for`, and stays firing while it holds', () => {
    expect(transition(null, breach(), T0, 5 * MIN)).toEqual({ kind: 'open', state: 'pending' });
    const pending = { state: 'pending' as const, startedAt: T0 };
    expect(transition(pending, breach(), T0 + 4 * MIN, 5 * MIN)).toEqual({ kind: 'hold' });
    expect(transition(pending, breach(), T0 + 5 * MIN, 5 * MIN)).toEqual({ kind: 'fire' });
    expect(transition({ state: 'firing', startedAt: T0 }, breach(), T0 + 60 * MIN, 5 * MIN)).toEqual({ kind: 'hold' });
  });

  it('fires at once when `for` is 0', () => {
    expect(transition(null, breach(), T0, 0)).toEqual({ kind: 'open', state: 'firing' });
  });

  it('resolves when the condition clears: notifying only an alert that fired', () => {
    expect(transition({ state: 'firing', startedAt: T0 }, clear, T0 + MIN, 0)).toEqual({ kind: 'resolve', notify: true });
    expect(transition({ state: 'pending', startedAt: T0 }, clear, T0 + MIN, 5 * MIN)).toEqual({ kind: 'resolve', notify: false });
    expect(transition(null, clear, T0, 0)).toEqual({ kind: 'none' });
  });

  it('changes nothing without data, and resolves when the rule no longer watches the facility', () => {
    expect(transition({ state: 'pending', startedAt: T0 }, { kind: 'unknown' }, T0 + 60 * MIN, 5 * MIN)).toEqual({ kind: 'none' });
    expect(transition({ state: 'firing', startedAt: T0 }, { kind: 'unknown' }, T0 + 60 * MIN, 0)).toEqual({ kind: 'none' });
    expect(transition({ state: 'firing', startedAt: T0 }, { kind: 'gone' }, T0, 0)).toEqual({ kind: 'resolve', notify: true });
    expect(transition({ state: 'pending', startedAt: T0 }, { kind: 'gone' }, T0, 0)).toEqual({ kind: 'resolve', notify: false });
    expect(transition(null, { kind: 'gone' }, T0, 0)).toEqual({ kind: 'none' });
  });

  it('is a function of its inputs: the same step twice gives the same answer', () => {
    const open = { state: 'pending' as const, startedAt: T0 };
    expect(transition(open, breach(), T0 + 5 * MIN, 5 * MIN)).toEqual(transition(open, breach(), T0 + 5 * MIN, 5 * MIN));
  });
});

describe('rule validation and defaults', () => {
  it('fills the defaults of each kind', () => {
    expect(normaliseRule({ name: 'PUE', kind: 'pue_target', regionCode: '000000' }).value).toMatchObject({ metric: 'pue', comparison: '>', threshold: null, forSeconds: 0, windowSeconds: 86_400, severity: 'warning', enabled: true });
    expect(normaliseRule({ name: 'U', kind: 'utilisation_target', regionCode: '140000' }).value).toMatchObject({ metric: 'rack_utilization', comparison: '<', threshold: 0.6, windowSeconds: 86_400 });
    expect(normaliseRule({ name: 'A', kind: 'absence', facilityId: 'fac_1' }).value).toMatchObject({ metric: null, comparison: null, threshold: null, windowSeconds: 600, forSeconds: 0, scopeFacilityId: 'fac_1' });
    expect(normaliseRule({ name: 'T', kind: 'threshold', metric: 'availability', comparison: '<', threshold: 1, facilityId: 'fac_1' }).value).toMatchObject({ forSeconds: 300, windowSeconds: null });
  });

  it('reports every problem at once with a stable code', () => {
    const { value, errors } = normaliseRule({ name: ' ', kind: 'threshold', metric: 'node_load1', comparison: '!=', windowSeconds: 60, facilityId: 'fac_1', regionCode: '140000', severity: 'loud', webhookUrl: 'ftp://x' });
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.code).sort()).toEqual(
      ['NAME_REQUIRED', 'UNKNOWN_METRIC', 'INVALID_COMPARISON', 'THRESHOLD_REQUIRED', 'WINDOW_NOT_ALLOWED', 'SCOPE_AMBIGUOUS', 'INVALID_SEVERITY', 'INVALID_WEBHOOK_URL'].sort(),
    );
    expect(normaliseRule({ name: 'x', kind: 'absence', threshold: 3, regionCode: '999999' }).errors.map((e) => e.code)).toEqual(['THRESHOLD_NOT_ALLOWED', 'UNKNOWN_REGION']);
    expect(normaliseRule({ name: 'x', kind: 'pue_target', metric: 'it_power_kw', threshold: 0.9, windowSeconds: 100 }).errors.map((e) => e.code)).toEqual([
      'METRIC_NOT_ALLOWED',
      'INVALID_THRESHOLD',
      'INVALID_WINDOW',
      'SCOPE_REQUIRED',
    ]);
    expect(normaliseRule({ name: 'x', kind: 'silence', regionCode: '000000' }).errors.map((e) => e.code)).toEqual(['INVALID_KIND']);
  });

  it('accepts only http and https webhooks without credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.cn/suanli')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9000/x')).toBeNull();
    expect(webhookUrlProblem('file:///etc/passwd')).toMatch(/only http and https/);
    expect(webhookUrlProblem('javascript:alert(1)')).toMatch(/only http and https/);
    expect(webhookUrlProblem('https://user:secret@hooks.example.cn/')).toMatch(/no user name or password/);
    expect(webhookUrlProblem('not a url')).toMatch(/not an absolute URL/);
  });

  it('holds facilities in a national hub to PUE 1.25, others to 1.5, unless the rule sets its own', () => {
    expect(pueTargetOf('140213', null)).toBe(1.5); // 大同, Shanxi: no hub
    expect(pueTargetOf('320102', null)).toBe(1.25); // 南京, Jiangsu: Yangtze River Delta hub
    expect(pueTargetOf('640500', null)).toBe(1.25); // 中卫, Ningxia hub
    expect(pueTargetOf('320102', 1.4)).toBe(1.4);
  });
});

describe('webhooks', () => {
  it('backs off exponentially from 30 s, capped at one hour', () => {
    expect([1, 2, 3, 4, 8, 20].map((n) => backoffMs(n))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
    expect(backoffMs(3, 1000, 5000)).toBe(4000);
  });

  it('retries no answer, 408, 429 and 5xx; gives up on other refusals', () => {
    expect(classifyAnswer(200)).toBe('delivered');
    expect(classifyAnswer(204)).toBe('delivered');
    for (const status of [null, 408, 429, 500, 502, 503]) expect(classifyAnswer(status)).toBe('retry');
    for (const status of [301, 400, 401, 404, 410]) expect(classifyAnswer(status)).toBe('failed');
  });

  it('signs the exact body with HMAC-SHA256', () => {
    const body = '{"a":1}';
    expect(signBody('s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
  });

  it('shapes the payload like an Alertmanager webhook', () => {
    const payload = webhookPayload({
      event: 'resolved',
      alertId: 'alt_1',
      rule: { id: 'alr_1', name: 'PUE', kind: 'pue_target', severity: 'warning', metric: 'pue', comparison: '>' },
      facility: { id: 'fac_1', name: '大同一号', computeId: 'CN-140213-0001', regionCode: '140213' },
      value: 1.62,
      threshold: 1.5,
      startedAt: new Date(T0),
      firedAt: new Date(T0),
      resolvedAt: new Date(T0 + 60 * MIN),
    });
    expect(payload).toMatchObject({
      version: '4',
      status: 'resolved',
      groupKey: 'alr_1:fac_1',
      alerts: [{ status: 'resolved', fingerprint: 'alt_1', startsAt: '2026-11-26T10:00:00.000Z', endsAt: '2026-11-26T11:00:00.000Z', labels: { alertname: 'PUE', severity: 'warning', facility_id: 'fac_1', compute_id: 'CN-140213-0001' } }],
      suanli: { alertId: 'alt_1', value: 1.62, threshold: 1.5 },
    });
    expect(payload.commonAnnotations.summary).toBe('大同一号: average PUE 1.62 above the target 1.5');
  });
});
