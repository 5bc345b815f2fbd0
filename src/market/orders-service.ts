/**
 * Orders: quote → reserved → active → completed, or cancelled / disputed, with capacity reserved in
 * the transaction that creates the order (docs/market.md § The reservation guarantee).
 */
import { sql } from 'drizzle-orm';
import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Db, Tx } from '../db/client.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { canSeeDemand, canSeeOrder, isGovernmentActor, jurisdictionScope, regionScopeOf, requireMarketRole } from './access.ts';
import { availableOver, MS_PER_HOUR, type OrderState, quotedTotal, reputation, requestFingerprint, type Reservation, settlementLines } from './rules.ts';
import { marketStore, type OrderFilter, type OrderRow } from './store.ts';
import type { PriceUnit } from './types.ts';
import { orderView } from './views.ts';

export interface OrderInput {
  offerId: string;
  demandId?: string;
  quantity?: number;
  start?: string;
  end?: string;
  quote?: boolean;
}

/** How long a quote holds its price (it reserves nothing). */
export const QUOTE_TTL_MS = 24 * MS_PER_HOUR;
/** An order may start this long before now (clock skew, a form filled slowly); earlier is the past. */
export const START_GRACE_MS = 15 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Advisory lock class of Idempotency-Keys (two-key form; the audit chain uses the one-key form, 4242002). */
export const IDEMPOTENCY_LOCK_KEY = 4242003;

export async function orderViews(db: Db | Tx, rows: OrderRow[]) {
  const store = marketStore(db);
  const ids = rows.map((r) => r.id);
  // One after another: `db` may be a transaction, whose one connection takes one query at a time.
  const orgNames = await store.orgNames(rows.flatMap((r) => [r.buyerOrgId, r.supplierOrgId]));
  const offerTitles = await store.offerTitles(rows.map((r) => r.offerId));
  const settled = await store.settledTotals(ids);
  const ratings = await store.ratingsOf(ids);
  return rows.map((row) => orderView(row, { orgNames, offerTitles, settled, ratings }));
}

const auditState = (row: OrderRow) => ({
  state: row.state,
  offerId: row.offerId,
  demandId: row.demandId,
  buyerOrgId: row.buyerOrgId,
  supplierOrgId: row.supplierOrgId,
  quantity: row.quantity,
  start: row.startAt.toISOString(),
  end: row.endAt.toISOString(),
  unitPrice: row.unitPrice,
  unit: row.unit,
  totalAmount: row.totalAmount,
  idempotencyKey: row.idempotencyKey,
});

function uniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function checkKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new AppError(428, 'IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (e.g. a UUID you generate once per order): a retried request with the same key returns the same order instead of booking twice.');
  }
  if (!KEY_PATTERN.test(key)) throw new AppError(400, 'INVALID_IDEMPOTENCY_KEY', 'The Idempotency-Key must be 1–200 visible ASCII characters, e.g. a UUID.');
  return key;
}

function replayOf(existing: OrderRow, fingerprint: string): OrderRow {
  if (existing.requestFingerprint !== fingerprint) {
    throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used for another request (order ${existing.id}): use a new key for a new order, or resend exactly the same body to get that order back.`, { extra: { orderId: existing.id } });
  }
  return existing;
}

const isoOrRaw = (value: string | undefined) => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

export async function createOrder(deps: Deps, actor: Actor, ctx: RequestContext, input: OrderInput, idempotencyKey: string | undefined): Promise<{ order: ReturnType<typeof orderView>; replayed: boolean }> {
  requireMarketRole(actor, 'demander', 'NOT_A_DEMANDER', 'places orders');
  const key = checkKey(idempotencyKey);
  const fingerprint = requestFingerprint({ offerId: input.offerId, demandId: input.demandId, quantity: input.quantity, start: isoOrRaw(input.start), end: isoOrRaw(input.end), quote: input.quote ?? false });
  const store = marketStore(deps.db);
  const earlier = await store.findOrderByKey(actor.orgId, key);
  if (earlier) return { order: (await orderViews(deps.db, [replayOf(earlier, fingerprint)]))[0], replayed: true };

  // What to order: the body's figures, else the demand's.
  let quantity = input.quantity;
  let startMs = input.start === undefined ? undefined : Date.parse(input.start);
  let endMs = input.end === undefined ? undefined : Date.parse(input.end);
  if (input.demandId !== undefined) {
    const demand = await store.getDemand(input.demandId);
    if (!demand || demand.demanderOrgId !== actor.orgId || !canSeeDemand(actor, demand)) {
      throw validationFailed('The order cannot be placed.', [{ path: '/demandId', code: 'UNKNOWN_DEMAND', message: `no demand ${input.demandId} of your organisation` }]);
    }
    if (demand.status === 'closed') throw conflict('DEMAND_CLOSED', `Demand ${demand.id} is closed: post a new demand, or order without demandId.`);
    quantity ??= demand.count;
    startMs ??= demand.startAt.getTime();
    endMs ??= demand.endAt.getTime();
  }
  const problems = [];
  if (quantity === undefined) problems.push({ path: '/quantity', code: 'QUANTITY_REQUIRED', message: 'give quantity (or a demandId to take it from)' });
  else if (!Number.isSafeInteger(quantity) || quantity <= 0) problems.push({ path: '/quantity', code: 'INVALID_QUANTITY', message: 'quantity must be a whole number above 0' });
  if (startMs === undefined || endMs === undefined) problems.push({ path: '/start', code: 'WINDOW_REQUIRED', message: 'give start and end (or a demandId to take them from)' });
  else if (Number.isNaN(startMs) || Number.isNaN(endMs)) problems.push({ path: '/start', code: 'INVALID_TIME', message: 'start and end must be ISO 8601 times' });
  else if (!(endMs > startMs)) problems.push({ path: '/end', code: 'END_BEFORE_START', message: 'end must be after start' });
  if (problems.length) throw validationFailed('The order cannot be placed.', problems);
  const now = deps.clock.now();
  const want = { quantity: quantity!, startMs: startMs!, endMs: endMs! };
  if (want.startMs < now.getTime() - START_GRACE_MS) {
    throw validationFailed('The order cannot be placed.', [{ path: '/start', code: 'START_IN_PAST', message: `start ${new Date(want.startMs).toISOString()} is in the past (now ${now.toISOString()}): capacity can be booked from now on` }]);
  }

  let outcome: { row: OrderRow; replayed: boolean };
  try {
    outcome = await deps.db.transaction(async (tx) => {
      const txStore = marketStore(tx);
      // Requests with the same key take turns from here: a retry waits for the request still in
      // flight and then finds its order, instead of racing it.
      await tx.execute(sql`select pg_advisory_xact_lock(${IDEMPOTENCY_LOCK_KEY}, hashtext(${`${actor.orgId}:${key}`}))`);
      const raced = await txStore.findOrderByKey(actor.orgId, key);
      if (raced) return { row: replayOf(raced, fingerprint), replayed: true };
      // A first look without the offer's lock: an order the committed state already cannot serve is
      // refused here, without queueing behind the orders holding the lock. Safe: reservations commit
      // only under that lock, so a refusal is true of the state this read saw; an acceptance is
      // decided again under the lock below.
      const seen = await txStore.getOffer(input.offerId);
      if (!seen) throw validationFailed('The order cannot be placed.', [{ path: '/offerId', code: 'UNKNOWN_OFFER', message: `no offer ${input.offerId}: see GET /api/v1/offers` }]);
      checkOrderable(seen, actor, want, now);
      if (!input.quote) await reserve(tx, seen.id, seen.quantityTotal, want);
      // The lock: every order on this offer waits here for the one before it to commit or roll back.
      const offer = (await txStore.lockOffer(input.offerId))!;
      checkOrderable(offer, actor, want, now);
      const hours = (want.endMs - want.startMs) / MS_PER_HOUR;
      const state: OrderState = input.quote ? 'quote' : 'reserved';
      if (state === 'reserved') await reserve(tx, offer.id, offer.quantityTotal, want);
      const row: OrderRow = {
        id: newId('ord'),
        offerId: offer.id,
        demandId: input.demandId ?? null,
        buyerOrgId: actor.orgId,
        supplierOrgId: offer.supplierOrgId,
        facilityId: offer.facilityId,
        regionCode: offer.regionCode,
        provinceCode: offer.provinceCode,
        cityCode: offer.cityCode,
        quantity: want.quantity,
        startAt: new Date(want.startMs),
        endAt: new Date(want.endMs),
        unitPrice: offer.pricePerUnit,
        unit: offer.unit,
        currency: offer.currency,
        totalAmount: quotedTotal(offer.pricePerUnit, offer.unit as PriceUnit, want.quantity, hours),
        state,
        quoteExpiresAt: state === 'quote' ? new Date(Math.min(now.getTime() + QUOTE_TTL_MS, offer.windowEnd.getTime())) : null,
        idempotencyKey: key,
        requestFingerprint: fingerprint,
        reason: null,
        version: 1,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
        reservedAt: state === 'reserved' ? now : null,
        activatedAt: null,
        completedAt: null,
        cancelledAt: null,
        disputedAt: null,
      };
      await txStore.insertOrders([row]);
      const audits = [auditOfActor(actor, now, state === 'quote' ? 'quoted' : 'reserved', 'order', row.id, null, auditState(row), ctx.requestId)];
      if (state === 'reserved' && input.demandId) audits.push(...(await markDemandOrdered(tx, actor, ctx, input.demandId, now)));
      await appendAudit(tx, audits);
      return { row, replayed: false };
    });
  } catch (error) {
    // The same key raced in on another offer and committed first: answer as a replay would.
    if (!uniqueViolation(error)) throw error;
    const winner = await store.findOrderByKey(actor.orgId, key);
    if (!winner) throw error;
    outcome = { row: replayOf(winner, fingerprint), replayed: true };
  }
  // The view is read after the commit: the offer's lock is held no longer than the booking needs.
  return { order: (await orderViews(deps.db, [outcome.row]))[0], replayed: outcome.replayed };
}

function checkOrderable(offer: { status: string; windowStart: Date; windowEnd: Date; supplierOrgId: string; minTermHours: number; quantityTotal: number; id: string }, actor: Actor, want: { quantity: number; startMs: number; endMs: number }, now: Date) {
  if (offer.status === 'withdrawn') throw conflict('OFFER_WITHDRAWN', `Offer ${offer.id} has been withdrawn by its supplier: choose another offer (GET /api/v1/offers).`);
  if (offer.windowEnd.getTime() <= now.getTime()) {
    throw new AppError(409, 'OFFER_EXPIRED', `Offer ${offer.id} expired at ${offer.windowEnd.toISOString()}: choose an offer that is still open (GET /api/v1/offers).`, { extra: { expiredAt: offer.windowEnd.toISOString() } });
  }
  if (offer.supplierOrgId === actor.orgId) throw validationFailed('The order cannot be placed.', [{ path: '/offerId', code: 'OWN_OFFER', message: 'an organisation cannot order from its own offer' }]);
  if (want.startMs < offer.windowStart.getTime() || want.endMs > offer.windowEnd.getTime()) {
    throw validationFailed('The order cannot be placed.', [
      { path: '/start', code: 'OUTSIDE_OFFER_WINDOW', message: `the offer runs ${offer.windowStart.toISOString()} – ${offer.windowEnd.toISOString()}; the order must lie within it` },
    ]);
  }
  const hours = (want.endMs - want.startMs) / MS_PER_HOUR;
  if (hours < offer.minTermHours) throw validationFailed('The order cannot be placed.', [{ path: '/end', code: 'BELOW_MIN_TERM', message: `the offer's minimum term is ${offer.minTermHours} h; the order covers ${Math.round(hours * 100) / 100} h` }]);
}

/**
 * Checks, inside the transaction that holds the offer's row lock, that `want.quantity` units are
 * free at every instant of the order's window; throws 409 INSUFFICIENT_CAPACITY with what is left.
 */
async function reserve(tx: Db | Tx, offerId: string, total: number, want: { quantity: number; startMs: number; endMs: number }) {
  const holding = await marketStore(tx).holdingOrders([offerId], new Date(want.startMs));
  const reservations: Reservation[] = holding.map((r) => ({ startMs: r.startAt.getTime(), endMs: r.endAt.getTime(), quantity: r.quantity }));
  const remaining = availableOver(total, reservations, want.startMs, want.endMs);
  if (want.quantity > remaining) {
    throw new AppError(409, 'INSUFFICIENT_CAPACITY', `Only ${remaining} of the ${want.quantity} units asked for are free over ${new Date(want.startMs).toISOString()} – ${new Date(want.endMs).toISOString()}: order at most ${remaining}, or choose another window or offer.`, {
      extra: { remaining, requested: want.quantity, offerId },
    });
  }
}

async function markDemandOrdered(tx: Db | Tx, actor: Actor, ctx: RequestContext, demandId: string, now: Date) {
  const store = marketStore(tx);
  const demand = await store.getDemand(demandId);
  if (!demand || demand.status !== 'open') return [];
  const updated = await store.updateDemand(demand.id, demand.version, { status: 'ordered', updatedAt: now });
  return updated ? [auditOfActor(actor, now, 'ordered', 'demand', demand.id, { status: 'open' }, { status: 'ordered' }, ctx.requestId)] : [];
}

// ---------------------------------------------------------------- reading

async function visibleOrder(db: Db | Tx, actor: Actor, id: string): Promise<OrderRow> {
  const row = await marketStore(db).getOrder(id);
  if (!row || !canSeeOrder(actor, row)) throw notFound('Order', id);
  return row;
}

export async function getOrder(deps: Deps, actor: Actor, id: string) {
  return (await orderViews(deps.db, [await visibleOrder(deps.db, actor, id)]))[0];
}

export interface OrderQuery {
  state?: string;
  role?: 'buyer' | 'supplier';
  offerId?: string;
  demandId?: string;
  region?: string;
  limit?: number;
  cursor?: string;
}

export async function listOrders(deps: Deps, actor: Actor, query: OrderQuery) {
  const filter: OrderFilter = { state: query.state?.split(',').map((s) => s.trim()).filter(Boolean), offerId: query.offerId, demandId: query.demandId };
  if (actor.isAdmin || isGovernmentActor(actor)) {
    const own = jurisdictionScope(actor);
    const asked = query.region && query.region !== '000000' ? regionScopeOf(query.region) : null;
    if (asked && own && !(asked.code === own.code || regionWithin(asked.code, own))) throw forbidden('OUT_OF_JURISDICTION', `Region ${query.region} is outside your jurisdiction (${actor.jurisdictionCode}).`);
    filter.region = asked ?? own ?? undefined;
  } else {
    filter.partyOrgId = actor.orgId;
    filter.role = query.role;
  }
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor<{ at: string; id: string }>(query.cursor, 'orders', (p) => typeof p.id === 'string' && typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at))) : undefined;
  const store = marketStore(deps.db);
  const [rows, total] = await Promise.all([store.listOrders(filter, limit + 1, after ? { createdAt: new Date(after.at), id: after.id } : undefined), store.countOrders(filter)]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await orderViews(deps.db, page),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }, 'orders') : null,
    total,
  };
}

function regionWithin(code: string, scope: { level: string; code: string }): boolean {
  const asked = regionScopeOf(code);
  if (scope.level === 'province') return code.slice(0, 2) === scope.code.slice(0, 2);
  if (scope.level === 'city') return asked.level !== 'province' && code.slice(0, 4) === scope.code.slice(0, 4);
  return code === scope.code;
}

// ---------------------------------------------------------------- transitions

type Party = 'buyer' | 'supplier' | 'either';

/** Loads the order for a change: invisible → 404, visible but not the right party → 403. */
async function orderForChange(tx: Db | Tx, actor: Actor, id: string, party: Party): Promise<OrderRow> {
  const row = await visibleOrder(tx, actor, id);
  const isBuyer = row.buyerOrgId === actor.orgId;
  const isSupplier = row.supplierOrgId === actor.orgId;
  if (party === 'buyer' && !isBuyer) throw forbidden('NOT_THE_BUYER', 'Only the buying organisation can do this.');
  if (party === 'supplier' && !isSupplier) throw forbidden('NOT_THE_SUPPLIER', 'Only the supplier of the offer can do this.');
  if (party === 'either' && !isBuyer && !isSupplier) throw forbidden('NOT_A_PARTY', 'Only the buyer or the supplier of this order can do this.');
  return row;
}

function requireState(row: OrderRow, allowed: readonly OrderState[], action: string) {
  if (!allowed.includes(row.state as OrderState)) {
    throw conflict('INVALID_ORDER_STATE', `Order ${row.id} is ${row.state}; ${action} needs it to be ${allowed.join(' or ')}.`);
  }
}

async function transition(tx: Db | Tx, actor: Actor, ctx: RequestContext, row: OrderRow, action: string, values: Partial<OrderRow>, now: Date, extraAudit: unknown = undefined) {
  const updated = await marketStore(tx).updateOrder(row.id, row.version, { ...values, updatedAt: now });
  if (!updated) throw conflict('CONCURRENT_UPDATE', 'The order changed at the same moment: reload it.');
  await appendAudit(tx, [auditOfActor(actor, now, action, 'order', row.id, { state: row.state }, { state: updated.state, ...(values.reason ? { reason: values.reason } : {}), ...(extraAudit ? { detail: extraAudit } : {}) }, ctx.requestId)]);
  return updated;
}

/** quote → reserved: reserves the capacity now, at the quoted price. */
export async function confirmOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const peek = await orderForChange(tx, actor, id, 'buyer');
    // Offer first, then the order: the same lock order as order creation.
    const offer = await marketStore(tx).lockOffer(peek.offerId);
    const row = (await marketStore(tx).getOrder(id))!;
    requireState(row, ['quote'], 'confirming');
    if (row.quoteExpiresAt && row.quoteExpiresAt.getTime() <= now.getTime()) throw conflict('QUOTE_EXPIRED', `The quote expired at ${row.quoteExpiresAt.toISOString()}: ask for a new one.`);
    if (!offer) throw notFound('Offer', row.offerId);
    checkOrderable(offer, actor, { quantity: row.quantity, startMs: row.startAt.getTime(), endMs: row.endAt.getTime() }, now);
    await reserve(tx, offer.id, offer.quantityTotal, { quantity: row.quantity, startMs: row.startAt.getTime(), endMs: row.endAt.getTime() });
    const updated = await transition(tx, actor, ctx, row, 'reserved', { state: 'reserved', reservedAt: now }, now);
    if (row.demandId) await appendAudit(tx, await markDemandOrdered(tx, actor, ctx, row.demandId, now));
    return (await orderViews(tx, [updated]))[0];
  });
}

/** reserved → active: the supplier has handed over access. */
export async function activateOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'supplier');
    requireState(row, ['reserved'], 'activating');
    if (row.endAt.getTime() <= now.getTime()) throw conflict('ORDER_ENDED', `The order's window ended at ${row.endAt.toISOString()}: it can no longer be activated; cancel it.`);
    return (await orderViews(tx, [await transition(tx, actor, ctx, row, 'activated', { state: 'active', activatedAt: now }, now)]))[0];
  });
}

/** quote | reserved → cancelled: the capacity is free again at once. */
export async function cancelOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string, reason: string | undefined) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'either');
    if (row.state === 'active') throw conflict('INVALID_ORDER_STATE', `Order ${row.id} is active: an active order ends by completion (POST …/complete) or a dispute (POST …/dispute), not by cancellation.`);
    requireState(row, ['quote', 'reserved'], 'cancelling');
    return (await orderViews(tx, [await transition(tx, actor, ctx, row, 'cancelled', { state: 'cancelled', cancelledAt: now, reason: reason?.trim() || null }, now)]))[0];
  });
}

/** active → completed: bills the use (metered, else the reserved units over the hours used) in settlement lines. */
export async function completeOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'either');
    requireState(row, ['active'], 'completing');
    const store = marketStore(tx);
    const usage = await store.usageOf(row.id);
    const billedEndMs = Math.min(row.endAt.getTime(), Math.max(row.startAt.getTime(), now.getTime()));
    const lines = settlementLines(
      { quantity: row.quantity, unitPrice: row.unitPrice, unit: row.unit as PriceUnit, startMs: row.startAt.getTime() },
      billedEndMs,
      usage.map((u) => ({ periodStartMs: u.periodStart.getTime(), periodEndMs: u.periodEnd.getTime(), quantity: u.quantity })),
    );
    await store.insertSettlement(
      lines.map((l) => ({ id: newId('stl'), orderId: row.id, period: l.period, periodStart: new Date(l.periodStartMs), periodEnd: new Date(l.periodEndMs), quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, basis: l.basis, createdAt: now })),
    );
    const settled = Math.round(lines.reduce((s, l) => s + l.amount, 0) * 100) / 100;
    const updated = await transition(tx, actor, ctx, row, 'completed', { state: 'completed', completedAt: now }, now, { settlementLines: lines.length, settledAmount: settled });
    return (await orderViews(tx, [updated]))[0];
  });
}

/** active | completed → disputed: settlement is frozen for the platform's mediation; the capacity is released. */
export async function disputeOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string, reason: string) {
  const trimmed = reason.trim();
  if (!trimmed) throw validationFailed('Say what is disputed.', [{ path: '/reason', code: 'REASON_REQUIRED', message: 'give the reason for the dispute' }]);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'either');
    requireState(row, ['active', 'completed'], 'disputing');
    return (await orderViews(tx, [await transition(tx, actor, ctx, row, 'disputed', { state: 'disputed', disputedAt: now, reason: trimmed }, now)]))[0];
  });
}

export interface UsageInput {
  periodStart: string;
  periodEnd: string;
  quantity: number;
}

/** The supplier's metered use of an active order, in the offer's unit; completion bills it instead of the reservation. */
export async function recordUsage(deps: Deps, actor: Actor, ctx: RequestContext, id: string, input: UsageInput) {
  const now = deps.clock.now();
  const from = Date.parse(input.periodStart);
  const to = Date.parse(input.periodEnd);
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'supplier');
    requireState(row, ['active'], 'recording use');
    const problems = [];
    if (Number.isNaN(from) || Number.isNaN(to)) problems.push({ path: '/periodStart', code: 'INVALID_TIME', message: 'periodStart and periodEnd must be ISO 8601 times' });
    else if (!(to > from)) problems.push({ path: '/periodEnd', code: 'END_BEFORE_START', message: 'periodEnd must be after periodStart' });
    else if (from < row.startAt.getTime() || to > row.endAt.getTime()) problems.push({ path: '/periodStart', code: 'OUTSIDE_ORDER_WINDOW', message: `the period must lie within the order's window ${row.startAt.toISOString()} – ${row.endAt.toISOString()}` });
    if (!(Number.isFinite(input.quantity) && input.quantity >= 0)) problems.push({ path: '/quantity', code: 'INVALID_QUANTITY', message: 'quantity must be 0 or more, in the offer unit' });
    else if ((row.unit === 'card_hour' || row.unit === 'core_hour') && problems.length === 0 && input.quantity > (row.quantity * (to - from)) / MS_PER_HOUR + 1e-9) {
      problems.push({ path: '/quantity', code: 'USAGE_EXCEEDS_RESERVATION', message: `${row.quantity} units over ${(to - from) / MS_PER_HOUR} h make at most ${(row.quantity * (to - from)) / MS_PER_HOUR} ${row.unit.replace('_', '-')}s` });
    }
    if (problems.length) throw validationFailed('The use cannot be recorded.', problems);
    const usage = { id: newId('use'), orderId: row.id, periodStart: new Date(from), periodEnd: new Date(to), quantity: input.quantity, recordedBy: actor.userId, createdAt: now };
    await marketStore(tx).insertUsage([usage]);
    await appendAudit(tx, [auditOfActor(actor, now, 'usage-recorded', 'order', row.id, null, { periodStart: usage.periodStart.toISOString(), periodEnd: usage.periodEnd.toISOString(), quantity: usage.quantity }, ctx.requestId)]);
    return { id: usage.id, orderId: row.id, periodStart: usage.periodStart.toISOString(), periodEnd: usage.periodEnd.toISOString(), quantity: usage.quantity, unit: row.unit, createdAt: now.toISOString() };
  });
}

export async function statementOf(deps: Deps, actor: Actor, id: string) {
  const row = await visibleOrder(deps.db, actor, id);
  const store = marketStore(deps.db);
  const [lines, usage, [order]] = await Promise.all([store.settlementOf(row.id), store.usageOf(row.id), orderViews(deps.db, [row])]);
  return {
    order,
    lines: lines.map((l) => ({ period: l.period, periodStart: l.periodStart.toISOString(), periodEnd: l.periodEnd.toISOString(), quantity: l.quantity, unit: row.unit, unitPrice: l.unitPrice, amount: l.amount, basis: l.basis })),
    usage: usage.map((u) => ({ periodStart: u.periodStart.toISOString(), periodEnd: u.periodEnd.toISOString(), quantity: u.quantity })),
    total: Math.round(lines.reduce((s, l) => s + l.amount, 0) * 100) / 100,
    currency: row.currency,
    settled: lines.length > 0 || row.state === 'completed',
  };
}

/** The statement as CSV (UTF-8 with BOM, so spreadsheets read the Chinese names). */
export function statementCsv(statement: Awaited<ReturnType<typeof statementOf>>): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const o = statement.order;
  const header = ['order_id', 'buyer', 'supplier', 'offer', 'period', 'period_start', 'period_end', 'quantity', 'unit', 'unit_price_cny', 'amount_cny', 'basis'];
  const rows = statement.lines.map((l) => [o.id, o.buyerOrgName, o.supplierOrgName, o.offerTitle, l.period, l.periodStart, l.periodEnd, l.quantity, l.unit, l.unitPrice, l.amount.toFixed(2), l.basis]);
  rows.push([o.id, o.buyerOrgName, o.supplierOrgName, o.offerTitle, 'total', '', '', '', '', '', statement.total.toFixed(2), '']);
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export async function rateOrder(deps: Deps, actor: Actor, ctx: RequestContext, id: string, input: { stars: number; comment?: string }) {
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) throw validationFailed('The rating cannot be recorded.', [{ path: '/stars', code: 'INVALID_STARS', message: 'stars is a whole number from 1 to 5' }]);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await orderForChange(tx, actor, id, 'buyer');
    requireState(row, ['completed'], 'rating');
    const store = marketStore(tx);
    if (await store.ratingOf(row.id)) throw conflict('ALREADY_RATED', 'This order has been rated; a rating cannot be changed.');
    const rating = { id: newId('rat'), orderId: row.id, supplierOrgId: row.supplierOrgId, buyerOrgId: row.buyerOrgId, stars: input.stars, comment: input.comment?.trim() ?? '', createdBy: actor.userId, createdAt: now };
    await store.insertRatings([rating]);
    await appendAudit(tx, [auditOfActor(actor, now, 'rated', 'order', row.id, null, { stars: rating.stars, comment: rating.comment }, ctx.requestId)]);
    const totals = (await store.ratingTotals([row.supplierOrgId])).get(row.supplierOrgId) ?? { sum: 0, count: 0 };
    return { orderId: row.id, stars: rating.stars, comment: rating.comment, createdAt: now.toISOString(), supplierOrgId: row.supplierOrgId, supplierReputation: Math.round(reputation(totals.sum, totals.count) * 100) / 100, supplierRatings: totals.count };
  });
}

