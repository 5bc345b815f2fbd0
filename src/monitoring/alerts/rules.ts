/**
 * Alerts, the pure part: rule validation and defaults, the state machine of one alert, webhook
 * back-off, payload and signature. No I/O; the clock comes in as a number.
 */
import { createHmac } from 'node:crypto';
import type { FieldError } from '../../errors.ts';
import { COUNTRY_CODE } from '../../identity/actor.ts';
import { regionIndex } from '../../regions/dataset.ts';
import { isInHub } from '../../regions/groups.ts';
import { VOCABULARY_NAMES } from '../vocabulary.ts';

export const ALERT_KINDS = ['threshold', 'absence', 'pue_target', 'utilisation_target'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** National green targets (DOMAIN.md): PUE < 1.5 by end-2025, < 1.25 for data centres in a national hub; rack utilisation ≥ 60 %. */
export const NATIONAL_PUE_TARGET = 1.5;
export const HUB_PUE_TARGET = 1.25;
export const UTILISATION_TARGET = 0.6;

const DAY_S = 86_400;
export const MAX_FOR_SECONDS = 7 * DAY_S;
/** Averages are read from the rollups, which keep 31 days of detail. */
export const MAX_WINDOW_SECONDS = 31 * DAY_S;
/** A threshold rule reads only values newer than this; older means silent, which the absence rule reports. */
export const FRESH_WITHIN_MS = 15 * 60_000;

/** Per kind: the metric and comparison it fixes, and the defaults of the rest. */
export const KIND_DEFAULTS: Record<AlertKind, { metric: string | null; comparison: Comparison | null; threshold: number | null; forSeconds: number; windowSeconds: number | null; minWindow: number }> = {
  threshold: { metric: null, comparison: null, threshold: null, forSeconds: 300, windowSeconds: null, minWindow: 0 },
  absence: { metric: null, comparison: null, threshold: null, forSeconds: 0, windowSeconds: 600, minWindow: 60 },
  pue_target: { metric: 'pue', comparison: '>', threshold: null, forSeconds: 0, windowSeconds: DAY_S, minWindow: 300 },
  utilisation_target: { metric: 'rack_utilization', comparison: '<', threshold: UTILISATION_TARGET, forSeconds: 0, windowSeconds: DAY_S, minWindow: 300 },
};

/** A rule as the API takes it (POST and PUT). */
export interface AlertRuleInput {
  name: string;
  kind: string;
  metric?: string | null;
  comparison?: string | null;
  threshold?: number | null;
  forSeconds?: number;
  windowSeconds?: number | null;
  facilityId?: string | null;
  regionCode?: string | null;
  severity?: string;
  webhookUrl?: string | null;
  enabled?: boolean;
}

/** A rule with its defaults filled in, as stored. */
export interface AlertRuleSpec {
  name: string;
  kind: AlertKind;
  metric: string | null;
  comparison: Comparison | null;
  threshold: number | null;
  forSeconds: number;
  windowSeconds: number | null;
  scopeFacilityId: string | null;
  scopeRegionCode: string | null;
  severity: Severity;
  webhookUrl: string | null;
  enabled: boolean;
}

/** Only http and https, no credentials in the URL; null when acceptable, else why not. */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > 2000) return 'keep the webhook URL under 2,000 characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${JSON.stringify(raw.slice(0, 100))} is not an absolute URL: give one like https://hooks.example.cn/suanli`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https webhooks are sent, not ${url.protocol.replace(':', '')}`;
  if (url.username || url.password) return 'put no user name or password in the URL: verify the X-Suanli-Signature header instead';
  if (!url.hostname) return 'the URL names no host';
  return null;
}

/**
 * Checks a rule and fills the defaults of its kind. Every problem at once, each with a JSON pointer
 * and a stable code. Scope existence (the facility) and permissions are the service's.
 */
export function normaliseRule(input: AlertRuleInput): { value?: AlertRuleSpec; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const problem = (path: string, code: string, message: string) => errors.push({ path, code, message });
  const name = (input.name ?? '').trim();
  if (!name) problem('/name', 'NAME_REQUIRED', 'give the rule a name');
  if (name.length > 200) problem('/name', 'NAME_TOO_LONG', 'keep the name under 200 characters');
  if (!(ALERT_KINDS as readonly string[]).includes(input.kind)) {
    problem('/kind', 'INVALID_KIND', `kind must be one of ${ALERT_KINDS.join(', ')}`);
    return { errors };
  }
  const kind = input.kind as AlertKind;
  const defaults = KIND_DEFAULTS[kind];
  const given = (value: unknown) => value !== undefined && value !== null;

  let metric = defaults.metric;
  let comparison = defaults.comparison;
  let threshold = defaults.threshold;
  if (kind === 'threshold') {
    if (!given(input.metric)) problem('/metric', 'METRIC_REQUIRED', `a threshold rule needs a metric of the vocabulary (${[...VOCABULARY_NAMES].join(', ')})`);
    else if (!VOCABULARY_NAMES.has(input.metric!)) problem('/metric', 'UNKNOWN_METRIC', `${JSON.stringify(input.metric)} is not in the metric vocabulary: use one of ${[...VOCABULARY_NAMES].join(', ')}`);
    else metric = input.metric!;
    if (!given(input.comparison)) problem('/comparison', 'COMPARISON_REQUIRED', `a threshold rule needs a comparison (${COMPARISONS.join(' ')})`);
    else if (!(COMPARISONS as readonly string[]).includes(input.comparison!)) problem('/comparison', 'INVALID_COMPARISON', `comparison must be one of ${COMPARISONS.join(' ')}`);
    else comparison = input.comparison as Comparison;
    if (!given(input.threshold)) problem('/threshold', 'THRESHOLD_REQUIRED', 'a threshold rule needs a threshold');
    else threshold = input.threshold!;
  } else {
    if (given(input.metric) && input.metric !== defaults.metric) {
      problem('/metric', 'METRIC_NOT_ALLOWED', defaults.metric ? `a ${kind} rule always reads ${defaults.metric}: leave metric out` : `an ${kind} rule reads no metric: leave metric out`);
    }
    if (given(input.comparison) && input.comparison !== defaults.comparison) {
      problem('/comparison', 'COMPARISON_NOT_ALLOWED', defaults.comparison ? `a ${kind} rule always compares with ${defaults.comparison}: leave comparison out` : `an ${kind} rule compares nothing: leave comparison out`);
    }
    if (kind === 'absence' && given(input.threshold)) problem('/threshold', 'THRESHOLD_NOT_ALLOWED', 'an absence rule has no threshold: set windowSeconds, the silence that counts');
    else if (given(input.threshold)) threshold = input.threshold!;
  }
  if (threshold !== null && !Number.isFinite(threshold)) problem('/threshold', 'INVALID_THRESHOLD', 'the threshold must be a finite number');
  if (kind === 'pue_target' && threshold !== null && threshold < 1) problem('/threshold', 'INVALID_THRESHOLD', 'a PUE is never below 1: give a target of at least 1, or leave it out for the national target');

  const forSeconds = input.forSeconds ?? defaults.forSeconds;
  if (!Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > MAX_FOR_SECONDS) problem('/forSeconds', 'INVALID_FOR', `forSeconds must be a whole number of seconds from 0 to ${MAX_FOR_SECONDS} (7 days)`);

  let windowSeconds = defaults.windowSeconds;
  if (kind === 'threshold') {
    if (given(input.windowSeconds)) problem('/windowSeconds', 'WINDOW_NOT_ALLOWED', 'a threshold rule compares the newest value: leave windowSeconds out and use forSeconds');
  } else if (given(input.windowSeconds)) {
    const w = input.windowSeconds!;
    if (!Number.isInteger(w) || w < defaults.minWindow || w > MAX_WINDOW_SECONDS) {
      problem('/windowSeconds', 'INVALID_WINDOW', `windowSeconds must be a whole number of seconds from ${defaults.minWindow} to ${MAX_WINDOW_SECONDS} (31 days)`);
    } else windowSeconds = w;
  }

  const facilityId = given(input.facilityId) ? input.facilityId!.trim() : null;
  const regionCode = given(input.regionCode) ? input.regionCode! : null;
  if (facilityId && regionCode) problem('/regionCode', 'SCOPE_AMBIGUOUS', 'give either facilityId (one facility) or regionCode (a region), not both');
  else if (!facilityId && !regionCode) problem('/regionCode', 'SCOPE_REQUIRED', `give the scope: facilityId for one facility, or regionCode for a region (${COUNTRY_CODE} for the whole country)`);
  else if (regionCode && regionCode !== COUNTRY_CODE && !regionIndex().has(regionCode)) {
    problem('/regionCode', 'UNKNOWN_REGION', `unknown region code ${JSON.stringify(regionCode)}: use a six-digit GB/T 2260 code from GET /api/v1/regions, or ${COUNTRY_CODE} for the whole country`);
  }

  const severity = input.severity ?? 'warning';
  if (!(SEVERITIES as readonly string[]).includes(severity)) problem('/severity', 'INVALID_SEVERITY', `severity must be one of ${SEVERITIES.join(', ')}`);

  const webhookUrl = given(input.webhookUrl) && input.webhookUrl!.trim() !== '' ? input.webhookUrl!.trim() : null;
  if (webhookUrl) {
    const why = webhookUrlProblem(webhookUrl);
    if (why) problem('/webhookUrl', 'INVALID_WEBHOOK_URL', why);
  }
  if (errors.length) return { errors };
  return {
    value: {
      name,
      kind,
      metric,
      comparison,
      threshold,
      forSeconds,
      windowSeconds,
      scopeFacilityId: facilityId,
      scopeRegionCode: regionCode,
      severity: severity as Severity,
      webhookUrl,
      enabled: input.enabled ?? true,
    },
    errors,
  };
}

export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** The PUE a facility is held to: the rule's own threshold, else 1.25 in a national hub and 1.5 elsewhere. */
export function pueTargetOf(regionCode: string, ruleThreshold: number | null): number {
  if (ruleThreshold !== null) return ruleThreshold;
  return isInHub(regionCode) ? HUB_PUE_TARGET : NATIONAL_PUE_TARGET;
}

// ---------------------------------------------------------------- the state machine

/** What an evaluation saw at one facility for one rule. */
export type Observation =
  /** The condition was evaluated on data. */
  | { kind: 'value'; holds: boolean; value: number; threshold: number | null }
  /** No data to decide on (no fresh value, nothing in the window): the alert is left as it is. */
  | { kind: 'unknown' }
  /** The facility is no longer watched by the rule (rule disabled or deleted, scope changed, facility gone). */
  | { kind: 'gone' };

export interface OpenAlert {
  state: 'pending' | 'firing';
  startedAt: number;
}

export type Transition =
  | { kind: 'none' }
  /** A new alert: pending, or firing at once when forSeconds is 0. */
  | { kind: 'open'; state: 'pending' | 'firing' }
  /** Still holding: record the value. */
  | { kind: 'hold' }
  /** Pending long enough: firing. */
  | { kind: 'fire' }
  /** The condition cleared (or the rule no longer watches the facility): resolved; notify only when it had fired. */
  | { kind: 'resolve'; notify: boolean };

/**
 * One step of an alert: pending → firing once the condition held for `forMs`; pending or firing →
 * resolved when it clears; nothing changes without data. A condition holding again after resolve
 * opens a new alert (the caller sees no open one).
 */
export function transition(open: OpenAlert | null, observation: Observation, nowMs: number, forMs: number): Transition {
  if (observation.kind === 'gone') return open ? { kind: 'resolve', notify: open.state === 'firing' } : { kind: 'none' };
  if (observation.kind === 'unknown') return { kind: 'none' };
  if (!observation.holds) return open ? { kind: 'resolve', notify: open.state === 'firing' } : { kind: 'none' };
  if (!open) return { kind: 'open', state: forMs <= 0 ? 'firing' : 'pending' };
  if (open.state === 'pending' && nowMs - open.startedAt >= forMs) return { kind: 'fire' };
  return { kind: 'hold' };
}

// ---------------------------------------------------------------- webhooks

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_MAX_ATTEMPTS = 8;
export const WEBHOOK_BACKOFF_BASE_MS = 30_000;
export const WEBHOOK_BACKOFF_CAP_MS = 3600_000;

/** The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min … at most 1 h. */
export function backoffMs(attempts: number, baseMs = WEBHOOK_BACKOFF_BASE_MS, capMs = WEBHOOK_BACKOFF_CAP_MS): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * What an answer means for a delivery: 2xx delivered; 408, 429 and 5xx (and no answer at all) worth
 * retrying; any other status — the receiver refuses this request — a failure at once.
 */
export function classifyAnswer(status: number | null): 'delivered' | 'retry' | 'failed' {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/** X-Suanli-Signature: `sha256=` and the hex HMAC-SHA256 of the exact body with the rule's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface PayloadFacts {
  event: 'firing' | 'resolved';
  alertId: string;
  rule: { id: string; name: string; kind: AlertKind; severity: Severity; metric: string | null; comparison: Comparison | null };
  facility: { id: string; name: string; computeId: string; regionCode: string };
  value: number | null;
  threshold: number | null;
  startedAt: Date;
  firedAt: Date | null;
  resolvedAt: Date | null;
}

/** One line saying what is wrong, in English (receivers may translate by labels.kind). */
export function summaryOf(facts: Pick<PayloadFacts, 'rule' | 'facility' | 'value' | 'threshold'>): string {
  const { rule, facility, value, threshold } = facts;
  const v = value === null ? 'no value' : formatNumber(value);
  const t = threshold === null ? '' : formatNumber(threshold);
  switch (rule.kind) {
    case 'absence':
      return `${facility.name} sent no sample for ${value === null ? '?' : Math.round(value / 60)} min (limit ${threshold === null ? '?' : Math.round(threshold / 60)} min)`;
    case 'pue_target':
      return `${facility.name}: average PUE ${v} above the target ${t}`;
    case 'utilisation_target':
      return `${facility.name}: average rack utilisation ${v} below the target ${t}`;
    default:
      return `${facility.name}: ${rule.metric} ${v} ${rule.comparison} ${t}`;
  }
}

const formatNumber = (n: number) => String(Math.round(n * 1000) / 1000);

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * The webhook body, shaped like Alertmanager's webhook (version 4) so that receivers written for it
 * (chat bots, incident tools) read it as is, plus Suanli's own `suanli` block.
 */
export function webhookPayload(facts: PayloadFacts) {
  const labels = {
    alertname: facts.rule.name,
    rule_id: facts.rule.id,
    kind: facts.rule.kind,
    severity: facts.rule.severity,
    facility_id: facts.facility.id,
    compute_id: facts.facility.computeId,
    region_code: facts.facility.regionCode,
    ...(facts.rule.metric ? { metric: facts.rule.metric } : {}),
  };
  const annotations = {
    summary: summaryOf(facts),
    facility_name: facts.facility.name,
    value: facts.value === null ? '' : String(facts.value),
    threshold: facts.threshold === null ? '' : String(facts.threshold),
  };
  return {
    version: '4',
    groupKey: `${facts.rule.id}:${facts.facility.id}`,
    truncatedAlerts: 0,
    status: facts.event,
    receiver: facts.rule.id,
    groupLabels: { rule_id: facts.rule.id, facility_id: facts.facility.id },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status: facts.event,
        labels,
        annotations,
        startsAt: (facts.firedAt ?? facts.startedAt).toISOString(),
        endsAt: facts.resolvedAt ? facts.resolvedAt.toISOString() : ZERO_TIME,
        generatorURL: `/alerts/${facts.alertId}`,
        fingerprint: facts.alertId,
      },
    ],
    suanli: {
      alertId: facts.alertId,
      event: facts.event,
      value: facts.value,
      threshold: facts.threshold,
      startedAt: facts.startedAt.toISOString(),
      firedAt: facts.firedAt?.toISOString() ?? null,
      resolvedAt: facts.resolvedAt?.toISOString() ?? null,
    },
  };
}
