/**
 * Pure helpers of the marketplace pages: prices, local times for the datetime inputs, the demand
 * form (client-side checks, the request body, where a server field error belongs), the actions an
 * order allows, and the score bar's segments. No React, so the unit tests need no browser.
 */
import type { Lang } from '../../format.ts';
import type { User } from '../../types.ts';
import { DEFAULT_WEIGHTS, type Demand, type Order, type RelaxHint, WEIGHT_TERMS, type WeightTerm, type Weights } from './types.ts';

const DASH = '—';
const localeOf = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN');

/** CNY with two decimals, e.g. ¥11,530.56; small unit prices (model APIs) keep up to four. */
export function formatCny(amount: number | null | undefined, lang: Lang): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return DASH;
  const small = Math.abs(amount) > 0 && Math.abs(amount) < 1;
  return `¥${new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 2, maximumFractionDigits: small ? 4 : 2 }).format(amount)}`;
}

/** A price per unit, e.g. ¥20.02/卡时 — `unitLabel` is the translated unit. */
export function formatUnitPrice(price: number | null | undefined, unitLabel: string, lang: Lang): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return DASH;
  return `${formatCny(price, lang)}/${unitLabel}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of a datetime-local input as UTC ISO 8601, or null when empty or invalid. */
export function fromLocalInput(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The next whole day after `now`, local midnight: a sensible default start. */
export function nextLocalMidnight(now: Date): Date {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
  return next;
}

export function hoursBetween(startIso: string, endIso: string): number {
  return (Date.parse(endIso) - Date.parse(startIso)) / 3_600_000;
}

// ---------------------------------------------------------------- the demand form

export interface DemandFormValues {
  title?: string;
  resourceKind?: string;
  by: 'model' | 'tflops';
  acceleratorModel?: string;
  minTflops?: number | null;
  precision?: string;
  count?: number | null;
  memoryGb?: number | null;
  start?: string;
  timing: 'duration' | 'end';
  durationHours?: number | null;
  end?: string;
  regionsAllowed?: string[];
  dataResidency?: string;
  latencyFrom?: string;
  latencyMaxMs?: number | null;
  maxPricePerUnit?: number | null;
  weights: Weights;
}

export type FieldName = (string | number)[];

/** A client-side problem: the form field and the message key (web/src/i18n.ts). */
export interface DemandIssue {
  name: FieldName;
  key:
    | 'market.v.modelRequired'
    | 'market.v.tflopsPositive'
    | 'market.v.precisionRequired'
    | 'market.v.countPositive'
    | 'market.v.memoryPositive'
    | 'market.v.startRequired'
    | 'market.v.durationPositive'
    | 'market.v.endRequired'
    | 'market.v.endAfterStart'
    | 'market.v.latencyOrigin'
    | 'market.v.latencyPositive'
    | 'market.v.priceNonNegative'
    | 'market.v.weightNonNegative';
}

const given = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function defaultDemandValues(now: Date): DemandFormValues {
  return { by: 'model', count: 8, start: toLocalInput(nextLocalMidnight(now)), timing: 'duration', durationHours: 24, regionsAllowed: [], weights: { ...DEFAULT_WEIGHTS } };
}

/** Every problem the form can see by itself; the server checks the rest (a start in the past, unknown codes …). */
export function validateDemand(v: DemandFormValues): DemandIssue[] {
  const issues: DemandIssue[] = [];
  if (v.by === 'model') {
    if (!v.acceleratorModel?.trim()) issues.push({ name: ['acceleratorModel'], key: 'market.v.modelRequired' });
  } else {
    if (!(given(v.minTflops) && v.minTflops > 0)) issues.push({ name: ['minTflops'], key: 'market.v.tflopsPositive' });
    if (!v.precision) issues.push({ name: ['precision'], key: 'market.v.precisionRequired' });
  }
  if (!(given(v.count) && Number.isInteger(v.count) && v.count >= 1)) issues.push({ name: ['count'], key: 'market.v.countPositive' });
  if (v.memoryGb !== null && v.memoryGb !== undefined && !(v.memoryGb > 0)) issues.push({ name: ['memoryGb'], key: 'market.v.memoryPositive' });
  const start = fromLocalInput(v.start);
  if (!start) issues.push({ name: ['start'], key: 'market.v.startRequired' });
  if (v.timing === 'duration') {
    if (!(given(v.durationHours) && v.durationHours > 0)) issues.push({ name: ['durationHours'], key: 'market.v.durationPositive' });
  } else {
    const end = fromLocalInput(v.end);
    if (!end) issues.push({ name: ['end'], key: 'market.v.endRequired' });
    else if (start && !(Date.parse(end) > Date.parse(start))) issues.push({ name: ['end'], key: 'market.v.endAfterStart' });
  }
  const hasBound = given(v.latencyMaxMs);
  if (hasBound && !v.latencyFrom) issues.push({ name: ['latencyFrom'], key: 'market.v.latencyOrigin' });
  if (v.latencyFrom && !(hasBound && v.latencyMaxMs! > 0)) issues.push({ name: ['latencyMaxMs'], key: 'market.v.latencyPositive' });
  if (given(v.maxPricePerUnit) && v.maxPricePerUnit < 0) issues.push({ name: ['maxPricePerUnit'], key: 'market.v.priceNonNegative' });
  for (const term of WEIGHT_TERMS) {
    const w = v.weights?.[term];
    if (given(w) && w < 0) issues.push({ name: ['weights', term], key: 'market.v.weightNonNegative' });
  }
  return issues;
}

/** The body of POST /api/v1/demands from the form. */
export function demandBody(v: DemandFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.title?.trim()) body.title = v.title.trim();
  if (v.resourceKind) body.resourceKind = v.resourceKind;
  body.hard = v.by === 'model' ? { acceleratorModel: v.acceleratorModel?.trim() } : { minTflops: v.minTflops, precision: v.precision };
  body.count = v.count;
  if (given(v.memoryGb)) body.memoryGb = v.memoryGb;
  body.start = fromLocalInput(v.start);
  if (v.timing === 'end') body.end = fromLocalInput(v.end);
  else body.durationHours = v.durationHours;
  if (v.regionsAllowed?.length) body.regionsAllowed = [...v.regionsAllowed];
  if (v.dataResidency) body.dataResidency = v.dataResidency;
  if (v.latencyFrom && given(v.latencyMaxMs)) body.latency = { fromRegionCode: v.latencyFrom, maxMs: v.latencyMaxMs };
  if (given(v.maxPricePerUnit)) body.maxPricePerUnit = v.maxPricePerUnit;
  const weights: Partial<Weights> = {};
  for (const term of WEIGHT_TERMS) weights[term] = given(v.weights?.[term]) ? v.weights[term] : DEFAULT_WEIGHTS[term];
  body.weights = weights;
  return body;
}

/** Where a server field error (a JSON pointer into the body) belongs in the form; null: nowhere. */
export function demandFieldOf(path: string, v: Pick<DemandFormValues, 'by' | 'timing'>): FieldName | null {
  const parts = path.replace(/^body/, '').split('/').filter(Boolean);
  const [head, next] = parts;
  switch (head) {
    case 'title':
    case 'resourceKind':
    case 'count':
    case 'memoryGb':
    case 'start':
    case 'dataResidency':
    case 'maxPricePerUnit':
      return [head];
    case 'hard':
      if (next === 'acceleratorModel' || next === 'minTflops' || next === 'precision') return [next];
      return v.by === 'model' ? ['acceleratorModel'] : ['minTflops'];
    case 'end':
      return v.timing === 'end' ? ['end'] : ['durationHours'];
    case 'durationHours':
      return v.timing === 'duration' ? ['durationHours'] : ['end'];
    case 'regionsAllowed':
      return ['regionsAllowed'];
    case 'latency':
      return next === 'maxMs' ? ['latencyMaxMs'] : ['latencyFrom'];
    case 'weights':
      return next && (WEIGHT_TERMS as readonly string[]).includes(next) ? ['weights', next] : null;
    default:
      return null;
  }
}

/** A posted demand back as form values: to post it again with a hint applied. */
export function demandToFormValues(d: Demand): DemandFormValues {
  const local = (iso: string) => toLocalInput(new Date(iso));
  return {
    title: d.title,
    resourceKind: d.resourceKind ?? undefined,
    by: d.hard.acceleratorModel ? 'model' : 'tflops',
    acceleratorModel: d.hard.acceleratorModel,
    minTflops: d.hard.minTflops ?? null,
    precision: d.hard.precision ?? undefined,
    count: d.count,
    memoryGb: d.memoryGb,
    start: local(d.start),
    timing: 'duration',
    durationHours: d.durationHours,
    end: local(d.end),
    regionsAllowed: [...d.regionsAllowed],
    dataResidency: d.dataResidency ?? undefined,
    latencyFrom: d.latency?.fromRegionCode,
    latencyMaxMs: d.latency?.maxMs ?? null,
    maxPricePerUnit: d.maxPricePerUnit,
    weights: { ...DEFAULT_WEIGHTS, ...d.weights },
  };
}

/** The form values with one relaxation hint of the matches applied (docs/methods/ranking.md §5). */
export function applyHint(v: DemandFormValues, hint: RelaxHint): DemandFormValues {
  const to = hint.to;
  if (to === null) return v;
  const num = typeof to === 'number' ? to : Number(to);
  switch (hint.parameter) {
    case 'latency.maxMs':
      return { ...v, latencyMaxMs: num };
    case 'maxPricePerUnit':
      return { ...v, maxPricePerUnit: num };
    case 'count':
      return { ...v, count: num };
    case 'memoryGb':
      return { ...v, memoryGb: num };
    case 'hard.minTflops':
      return { ...v, by: 'tflops', minTflops: num };
    case 'hard.acceleratorModel':
      return { ...v, by: 'model', acceleratorModel: String(to) };
    case 'regionsAllowed':
      return { ...v, regionsAllowed: [...new Set([...(v.regionsAllowed ?? []), String(to)])] };
    case 'dataResidency':
      return { ...v, dataResidency: String(to) };
    default:
      return v;
  }
}

// ---------------------------------------------------------------- orders

export type OrderAction = 'confirm' | 'activate' | 'cancel' | 'complete' | 'dispute' | 'rate' | 'statement';

/** What the user may do with an order (docs/market.md §2): parties only; administrators and governments watch. */
export function orderActions(order: Pick<Order, 'state' | 'buyerOrgId' | 'supplierOrgId' | 'rating'>, user: Pick<User, 'orgId'> | null | undefined): OrderAction[] {
  if (!user) return [];
  const buyer = order.buyerOrgId === user.orgId;
  const supplier = order.supplierOrgId === user.orgId;
  const actions: OrderAction[] = [];
  switch (order.state) {
    case 'quote':
      if (buyer) actions.push('confirm');
      if (buyer || supplier) actions.push('cancel');
      break;
    case 'reserved':
      if (supplier) actions.push('activate');
      if (buyer || supplier) actions.push('cancel');
      break;
    case 'active':
      if (buyer || supplier) actions.push('complete', 'dispute');
      break;
    case 'completed':
      if (buyer && !order.rating) actions.push('rate');
      if (buyer || supplier) actions.push('dispute');
      break;
    default:
      break;
  }
  if (order.state === 'completed' || order.state === 'disputed') actions.push('statement');
  return actions;
}

// ---------------------------------------------------------------- the score bar

export interface ScoreSegment {
  term: WeightTerm;
  value: number;
  /** Share of the widest possible score (Σ weights), 0–1. */
  share: number;
}

/**
 * The score's five terms as segments of one bar whose full length is the best score possible, Σ
 * weights (each term is weight × a value in [0, 1]); terms of zero are left out.
 */
export function scoreSegments(terms: Weights, weights: Weights): ScoreSegment[] {
  const full = WEIGHT_TERMS.reduce((sum, term) => sum + Math.max(0, weights[term] ?? 0), 0);
  if (!(full > 0)) return [];
  return WEIGHT_TERMS.filter((term) => (terms[term] ?? 0) > 0).map((term) => ({ term, value: terms[term], share: terms[term] / full }));
}

/** The normalised value behind a term (term / weight), or null when the weight is 0. */
export function termValue(term: number, weight: number): number | null {
  return weight > 0 ? term / weight : null;
}

// ---------------------------------------------------------------- idempotency

/**
 * A fresh Idempotency-Key (a v4 UUID) for one intended order. crypto.randomUUID exists only in
 * secure contexts (https, localhost); getRandomValues everywhere, so it is the fallback.
 */
export function newIdempotencyKey(source: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = globalThis.crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
