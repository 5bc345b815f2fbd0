/**
 * Pure rules of the marketplace: free capacity over a window, settlement lines, reputation, the
 * request fingerprint behind Idempotency-Key, and the checks on an offer's fields. No I/O.
 * Method and guarantees: docs/market.md.
 */
import { createHash } from 'node:crypto';
import type { FieldError } from '../errors.ts';
import { findAccelerator } from '../ledger/catalogue.ts';
import { ACCELERATED_KINDS, UNITS_BY_KIND } from './products.ts';
import { HOURS_PER_MONTH, PRICE_UNITS, RESOURCE_KINDS } from './types.ts';
import type { PriceUnit, ResourceKind } from './types.ts';

export const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Order states; the ones that hold capacity are HOLDING_STATES. */
export const ORDER_STATES = ['quote', 'reserved', 'active', 'completed', 'cancelled', 'disputed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const HOLDING_STATES: readonly OrderState[] = ['reserved', 'active'];

export interface Reservation {
  startMs: number;
  endMs: number; // exclusive
  quantity: number;
}

/**
 * The most units held at any instant of [fromMs, toMs) by the given reservations (half-open
 * intervals: one ending at t and another starting at t do not overlap). A sweep over the
 * reservations' ends, O(n log n).
 */
export function peakReserved(reservations: readonly Reservation[], fromMs: number, toMs: number): number {
  const events: [number, number][] = [];
  for (const r of reservations) {
    const start = Math.max(r.startMs, fromMs);
    const end = Math.min(r.endMs, toMs);
    if (end <= start || r.quantity <= 0) continue;
    events.push([start, r.quantity], [end, -r.quantity]);
  }
  // At equal times a release comes before a take, so back-to-back reservations do not add up.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let held = 0;
  let peak = 0;
  for (const [, delta] of events) {
    held += delta;
    if (held > peak) peak = held;
  }
  return peak;
}

/** Units of an offer free over all of [fromMs, toMs). */
export function availableOver(total: number, reservations: readonly Reservation[], fromMs: number, toMs: number): number {
  return Math.max(0, total - peakReserved(reservations, fromMs, toMs));
}

// ---------------------------------------------------------------- money

export const roundCny = (x: number) => Math.round(x * 100) / 100;

/** The quoted total of an order in CNY, or null for per-token offers (billed on metered use). */
export function quotedTotal(unitPrice: number, unit: PriceUnit, quantity: number, hours: number): number | null {
  switch (unit) {
    case 'card_hour':
    case 'core_hour':
      return roundCny(unitPrice * quantity * hours);
    case 'month':
      return roundCny(unitPrice * quantity * Math.ceil(hours / HOURS_PER_MONTH));
    case '1k_tokens':
      return null;
  }
}

export interface UsageRecord {
  periodStartMs: number;
  periodEndMs: number;
  quantity: number; // in the offer's unit: card-hours, core-hours, 1k tokens, months
}

export interface SettlementLine {
  period: string; // 'YYYY-MM-DD': the UTC day, or the first day of a billing month of 730 h
  periodStartMs: number;
  periodEndMs: number;
  quantity: number;
  unitPrice: number;
  amount: number; // CNY, rounded to the fen per line
  basis: 'reserved' | 'metered';
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const floorDay = (ms: number) => Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;

/**
 * Settlement of an order over [startMs, billedEndMs): quantity × price per period.
 * - metered use reported: one line per UTC day of the use's period start, the day's quantities summed;
 * - else card-hour and core-hour orders bill the reserved units for the hours of each UTC day;
 * - monthly orders bill the units once per started billing month of 730 h, one line each, named by its first day;
 * - per-token orders without metered use bill nothing.
 */
export function settlementLines(order: { quantity: number; unitPrice: number; unit: PriceUnit; startMs: number }, billedEndMs: number, usage: readonly UsageRecord[]): SettlementLine[] {
  const { quantity, unitPrice, unit, startMs } = order;
  const line = (period: string, from: number, to: number, units: number, basis: SettlementLine['basis']): SettlementLine => ({
    period,
    periodStartMs: from,
    periodEndMs: to,
    quantity: Math.round(units * 1e6) / 1e6,
    unitPrice,
    amount: roundCny(units * unitPrice),
    basis,
  });
  if (usage.length > 0) {
    const byDay = new Map<number, number>();
    for (const u of usage) byDay.set(floorDay(u.periodStartMs), (byDay.get(floorDay(u.periodStartMs)) ?? 0) + u.quantity);
    return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, units]) => line(dayOf(day), day, day + MS_PER_DAY, units, 'metered'));
  }
  if (billedEndMs <= startMs) return [];
  switch (unit) {
    case 'card_hour':
    case 'core_hour': {
      const lines: SettlementLine[] = [];
      for (let day = floorDay(startMs); day < billedEndMs; day += MS_PER_DAY) {
        const from = Math.max(day, startMs);
        const to = Math.min(day + MS_PER_DAY, billedEndMs);
        lines.push(line(dayOf(day), from, to, (quantity * (to - from)) / MS_PER_HOUR, 'reserved'));
      }
      return lines;
    }
    case 'month': {
      const hours = (billedEndMs - startMs) / MS_PER_HOUR;
      const months = Math.ceil(hours / HOURS_PER_MONTH);
      const lines: SettlementLine[] = [];
      for (let m = 0; m < months; m++) {
        const from = startMs + m * HOURS_PER_MONTH * MS_PER_HOUR;
        const to = Math.min(from + HOURS_PER_MONTH * MS_PER_HOUR, billedEndMs);
        lines.push(line(dayOf(from), from, to, quantity, 'reserved'));
      }
      return lines;
    }
    case '1k_tokens':
      return [];
  }
}

// ---------------------------------------------------------------- reputation

/** Prior of the reputation: a supplier without ratings stands at PRIOR_STARS, as if rated PRIOR_WEIGHT times. */
export const REPUTATION_PRIOR_STARS = 4;
export const REPUTATION_PRIOR_WEIGHT = 3;

/** Bayesian average of the stars (1–5), shrunk towards the prior while ratings are few. */
export function reputation(starsSum: number, ratings: number): number {
  return (REPUTATION_PRIOR_STARS * REPUTATION_PRIOR_WEIGHT + starsSum) / (REPUTATION_PRIOR_WEIGHT + ratings);
}

// ---------------------------------------------------------------- idempotency

/** JSON with object keys sorted at every level and undefined left out: the same request, the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const requestFingerprint = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

// ---------------------------------------------------------------- offers

export interface OfferFields {
  resourceKind: string;
  acceleratorModel?: string | null;
  quantity: number;
  memoryGb?: number | null;
  windowStartMs: number;
  windowEndMs: number;
  pricePerUnit: number;
  unit: string;
  minTermHours: number;
  slaPct: number;
}

/** Every problem with an offer's own fields at once (the facility is checked by the service). */
export function offerFieldProblems(offer: OfferFields, nowMs: number): FieldError[] {
  const problems: FieldError[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const kind = offer.resourceKind as ResourceKind;
  if (!RESOURCE_KINDS.includes(kind)) add('/resourceKind', 'UNKNOWN_RESOURCE_KIND', `resourceKind must be one of ${RESOURCE_KINDS.join(', ')}`);
  if (!Number.isSafeInteger(offer.quantity) || offer.quantity <= 0) add('/quantity', 'INVALID_QUANTITY', 'quantity must be a whole number above 0 (cards, cores, TB or request slots)');
  if (RESOURCE_KINDS.includes(kind)) {
    if (ACCELERATED_KINDS.includes(kind)) {
      if (!offer.acceleratorModel) add('/acceleratorModel', 'ACCELERATOR_REQUIRED', `a ${kind} offer names its accelerator: use a model of GET /api/v1/catalogue/accelerators, e.g. H200`);
      else if (!findAccelerator(offer.acceleratorModel)) add('/acceleratorModel', 'UNKNOWN_ACCELERATOR', `no catalogue entry for "${offer.acceleratorModel}": use a model of GET /api/v1/catalogue/accelerators (e.g. H200, Ascend 910B)`);
    } else if (offer.acceleratorModel && kind !== 'model_api') {
      add('/acceleratorModel', 'UNEXPECTED_ACCELERATOR', `a ${kind} offer has no accelerator: leave acceleratorModel out`);
    } else if (offer.acceleratorModel && !findAccelerator(offer.acceleratorModel)) {
      add('/acceleratorModel', 'UNKNOWN_ACCELERATOR', `no catalogue entry for "${offer.acceleratorModel}": name the card serving the API as in GET /api/v1/catalogue/accelerators, or leave it out`);
    }
    if (!(PRICE_UNITS as readonly string[]).includes(offer.unit)) add('/unit', 'UNKNOWN_UNIT', `unit must be one of ${PRICE_UNITS.join(', ')}`);
    else if (!UNITS_BY_KIND[kind].includes(offer.unit as PriceUnit)) add('/unit', 'UNIT_NOT_FOR_KIND', `a ${kind} offer is priced per ${UNITS_BY_KIND[kind].join(' or ')}, not ${offer.unit}`);
  }
  if (offer.memoryGb !== undefined && offer.memoryGb !== null && !(offer.memoryGb > 0)) add('/memoryGb', 'INVALID_MEMORY', 'memoryGb must be above 0');
  if (Number.isNaN(offer.windowStartMs)) add('/window/start', 'INVALID_TIME', 'window.start must be an ISO 8601 time');
  if (Number.isNaN(offer.windowEndMs)) add('/window/end', 'INVALID_TIME', 'window.end must be an ISO 8601 time');
  if (!Number.isNaN(offer.windowStartMs) && !Number.isNaN(offer.windowEndMs)) {
    if (!(offer.windowEndMs > offer.windowStartMs)) add('/window/end', 'END_BEFORE_START', 'window.end must be after window.start');
    else if (!(offer.windowEndMs > nowMs)) add('/window/end', 'WINDOW_IN_PAST', `the window ends before now (${new Date(nowMs).toISOString()}): nothing could be sold; move window.end into the future`);
    else if (offer.minTermHours * MS_PER_HOUR > offer.windowEndMs - offer.windowStartMs) add('/minTermHours', 'MIN_TERM_TOO_LONG', 'minTermHours is longer than the window: no order could fit');
  }
  if (!(Number.isFinite(offer.pricePerUnit) && offer.pricePerUnit > 0)) add('/pricePerUnit', 'INVALID_PRICE', 'pricePerUnit must be a positive amount in CNY per unit');
  if (!(offer.minTermHours >= 0)) add('/minTermHours', 'INVALID_TERM', 'minTermHours must be 0 or more');
  if (!(offer.slaPct > 0 && offer.slaPct <= 100)) add('/slaPct', 'INVALID_SLA', 'slaPct is an availability in percent: above 0 and at most 100');
  return problems;
}
