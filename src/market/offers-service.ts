/** Offers: listing capacity on an approved facility, editing, withdrawing, browsing (docs/market.md). */
import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Db, Tx } from '../db/client.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { AppError, checkIfMatch, conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { findAccelerator } from '../ledger/catalogue.ts';
import { ledgerStore } from '../ledger/store.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { regionScopeOf, requireMarketRole } from './access.ts';
import { ACCELERATED_KINDS, findProduct } from './products.ts';
import { availableOver, MS_PER_HOUR, offerFieldProblems, type Reservation } from './rules.ts';
import { marketStore, OFFER_SORTS, type OfferFilter, type OfferRow, type OfferSortKey } from './store.ts';
import type { PriceUnit, ResourceKind } from './types.ts';
import { offerView } from './views.ts';

export interface OfferInput {
  facilityId: string;
  product?: string;
  title?: string;
  resourceKind?: string;
  acceleratorModel?: string;
  memoryGb?: number;
  interconnect?: string;
  quantity: number;
  window: { start: string; end: string };
  pricePerUnit: number;
  unit?: string;
  minTermHours?: number;
  slaPct?: number;
  certifications?: string[];
}

export interface OfferPatch {
  title?: string;
  memoryGb?: number | null;
  interconnect?: string | null;
  quantity?: number;
  window?: { start?: string; end?: string };
  pricePerUnit?: number;
  minTermHours?: number;
  slaPct?: number;
  certifications?: string[];
}

const KIND_NAMES: Record<ResourceKind, string> = { gpu: 'GPU', npu: 'NPU', cpu: '通用计算', storage: '存储', bare_metal: '裸金属', model_api: '模型 API' };
const UNIT_NAMES: Record<PriceUnit, string> = { card_hour: '卡时', core_hour: '核时', '1k_tokens': '千 tokens', month: '月' };

const holdingReservations = (rows: { offerId: string; startAt: Date; endAt: Date; quantity: number }[]) => {
  const byOffer = new Map<string, Reservation[]>();
  for (const r of rows) {
    const list = byOffer.get(r.offerId) ?? [];
    list.push({ startMs: r.startAt.getTime(), endMs: r.endAt.getTime(), quantity: r.quantity });
    byOffer.set(r.offerId, list);
  }
  return byOffer;
};

/** Free units per offer over [from, to] (default: the rest of each offer's window), with the window used. */
export async function availability(db: Db | Tx, offers: OfferRow[], now: Date, window?: { from: Date; to: Date }) {
  const reservations = holdingReservations(await marketStore(db).holdingOrders(offers.map((o) => o.id), window?.from ?? now));
  const available = new Map<string, number>();
  const availableFrom = new Map<string, Date>();
  const availableTo = new Map<string, Date>();
  for (const offer of offers) {
    const from = window?.from ?? new Date(Math.max(now.getTime(), offer.windowStart.getTime()));
    const to = window?.to ?? offer.windowEnd;
    const free = to.getTime() > from.getTime() ? availableOver(offer.quantityTotal, reservations.get(offer.id) ?? [], from.getTime(), to.getTime()) : 0;
    available.set(offer.id, free);
    availableFrom.set(offer.id, from);
    availableTo.set(offer.id, to);
  }
  return { available, availableFrom, availableTo, reservations };
}

export async function offerViews(db: Db | Tx, rows: OfferRow[], now: Date, window?: { from: Date; to: Date }) {
  const store = marketStore(db);
  // One after another: `db` may be a transaction, whose one connection takes one query at a time.
  const orgNames = await store.orgNames(rows.map((r) => r.supplierOrgId));
  const facilityNames = await store.facilityNames(rows.map((r) => r.facilityId));
  const ratings = await store.ratingTotals(rows.map((r) => r.supplierOrgId));
  const free = await availability(db, rows, now, window);
  return rows.map((row) => offerView(row, { orgNames, facilities: facilityNames, ratings, ...free, now }));
}

/** The offer's fields after the product template (if any) filled what the request left out. */
function resolveInput(input: OfferInput) {
  const product = input.product === undefined ? undefined : findProduct(input.product);
  if (input.product !== undefined && !product) {
    throw validationFailed('The offer cannot be listed.', [{ path: '/product', code: 'UNKNOWN_PRODUCT', message: `no standard product "${input.product}": see GET /api/v1/market/products, or leave product out for a custom offer` }]);
  }
  if (!product && input.resourceKind === undefined) {
    throw validationFailed('The offer cannot be listed.', [{ path: '/resourceKind', code: 'RESOURCE_KIND_REQUIRED', message: 'give resourceKind (gpu, npu, cpu, storage, bare_metal, model_api) or a standard product' }]);
  }
  if (!product && input.unit === undefined) {
    throw validationFailed('The offer cannot be listed.', [{ path: '/unit', code: 'UNIT_REQUIRED', message: 'give unit (card_hour, core_hour, 1k_tokens, month) or a standard product' }]);
  }
  return {
    product: product?.code ?? null,
    resourceKind: product?.resourceKind ?? input.resourceKind!,
    acceleratorModel: input.acceleratorModel ?? product?.acceleratorModel ?? undefined,
    memoryGb: input.memoryGb ?? product?.memoryGb ?? undefined,
    interconnect: input.interconnect ?? product?.interconnect ?? null,
    unit: product?.unit ?? input.unit!,
    minTermHours: input.minTermHours ?? product?.minTermHours ?? 1,
    productName: product?.name,
  };
}

async function checkFacility(tx: Db | Tx, actor: Actor, facilityId: string, kind: string, model: string | null, quantity: number) {
  const ledger = ledgerStore(tx);
  const facility = await ledger.getFacility(facilityId);
  if (!facility) {
    const registration = await ledger.getRegistration(facilityId);
    if (registration && registration.orgId === actor.orgId) {
      throw new AppError(422, 'FACILITY_NOT_APPROVED', `${facilityId} is a registration (${registration.status}), not a facility of the ledger: an offer needs an approved facility; once a reviewer approves it, use the facility id it gets.`);
    }
    throw new AppError(422, 'UNKNOWN_FACILITY', `No approved facility has the id ${JSON.stringify(facilityId)}: use the id of one of your facilities from GET /api/v1/facilities?owner=${actor.orgId}.`);
  }
  if (facility.ownerOrgId !== actor.orgId) throw forbidden('NOT_FACILITY_OWNER', `Facility ${facility.computeId} belongs to another organisation: a supplier lists offers only on its own facilities.`);
  if (facility.status !== 'in_operation') {
    throw new AppError(422, 'FACILITY_NOT_IN_OPERATION', `Facility ${facility.computeId} is ${facility.status}: only a facility in operation can sell capacity; change its status through a registration first.`);
  }
  if (ACCELERATED_KINDS.includes(kind as ResourceKind) && model) {
    const line = facility.accelerators.find((l) => findAccelerator(l.model)?.model === model);
    if (!line) {
      throw new AppError(422, 'ACCELERATOR_NOT_AT_FACILITY', `Facility ${facility.computeId} lists no ${model} in its registered inventory (${facility.accelerators.map((l) => `${l.count}×${l.model}`).join(', ') || 'none'}): offer a card it has, or register the cards first.`);
    }
    if (quantity > line.count) {
      throw new AppError(422, 'QUANTITY_EXCEEDS_INVENTORY', `Facility ${facility.computeId} has ${line.count} × ${model} registered; an offer of ${quantity} cannot be backed: lower quantity to at most ${line.count}.`);
    }
  }
  return facility;
}

export async function createOffer(deps: Deps, actor: Actor, ctx: RequestContext, input: OfferInput) {
  requireMarketRole(actor, 'supplier', 'NOT_A_SUPPLIER', 'lists offers');
  const now = deps.clock.now();
  const resolved = resolveInput(input);
  const model = resolved.acceleratorModel ? (findAccelerator(resolved.acceleratorModel)?.model ?? resolved.acceleratorModel) : null;
  const fields = {
    resourceKind: resolved.resourceKind,
    acceleratorModel: resolved.acceleratorModel ?? null,
    quantity: input.quantity,
    memoryGb: resolved.memoryGb ?? null,
    windowStartMs: Date.parse(input.window.start),
    windowEndMs: Date.parse(input.window.end),
    pricePerUnit: input.pricePerUnit,
    unit: resolved.unit,
    minTermHours: resolved.minTermHours,
    slaPct: input.slaPct ?? 99.9,
  };
  const problems = offerFieldProblems(fields, now.getTime());
  if (problems.length) throw validationFailed('The offer cannot be listed.', problems);
  return deps.db.transaction(async (tx) => {
    const facility = await checkFacility(tx, actor, input.facilityId, fields.resourceKind, model, input.quantity);
    const kind = fields.resourceKind as ResourceKind;
    const row: OfferRow = {
      id: newId('off'),
      supplierOrgId: actor.orgId,
      facilityId: facility.id,
      regionCode: facility.regionCode,
      provinceCode: facility.provinceCode,
      cityCode: facility.cityCode,
      product: resolved.product,
      title: input.title?.trim() || resolved.productName || `${model ?? KIND_NAMES[kind]}（${UNIT_NAMES[fields.unit as PriceUnit]}）· ${facility.name}`,
      resourceKind: kind,
      acceleratorModel: model,
      memoryGb: fields.memoryGb ?? (model ? (findAccelerator(model)?.memoryGb ?? null) : null),
      interconnect: resolved.interconnect,
      quantityTotal: input.quantity,
      windowStart: new Date(fields.windowStartMs),
      windowEnd: new Date(fields.windowEndMs),
      pricePerUnit: input.pricePerUnit,
      unit: fields.unit,
      currency: 'CNY',
      minTermHours: fields.minTermHours,
      slaPct: fields.slaPct,
      certifications: [...new Set((input.certifications ?? []).map((c) => c.trim()).filter(Boolean))],
      greenPowerPct: facility.greenPowerPct,
      status: 'open',
      version: 1,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await marketStore(tx).insertOffers([row]);
    await appendAudit(tx, [auditOfActor(actor, now, 'created', 'offer', row.id, null, auditState(row), ctx.requestId)]);
    return (await offerViews(tx, [row], now))[0];
  });
}

/** The offer as its audit entries record it (what a change is about; not the computed availability). */
function auditState(row: OfferRow) {
  const { createdAt: _c, updatedAt: _u, ...rest } = row;
  return { ...rest, windowStart: row.windowStart.toISOString(), windowEnd: row.windowEnd.toISOString() };
}

export async function getOffer(deps: Deps, id: string, window?: { from: Date; to: Date }) {
  const row = await marketStore(deps.db).getOffer(id);
  if (!row) throw notFound('Offer', id);
  return (await offerViews(deps.db, [row], deps.clock.now(), window))[0];
}

async function lockOwnOffer(tx: Db | Tx, actor: Actor, id: string) {
  const offer = await marketStore(tx).lockOffer(id);
  if (!offer) throw notFound('Offer', id);
  if (offer.supplierOrgId !== actor.orgId) throw forbidden('NOT_OFFER_OWNER', 'Only the supplier that listed this offer can change or withdraw it.');
  return offer;
}

export async function updateOffer(deps: Deps, actor: Actor, ctx: RequestContext, id: string, patch: OfferPatch, ifMatch: string | undefined) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const offer = await lockOwnOffer(tx, actor, id);
    checkIfMatch(ifMatch, offer.version, 'offer');
    if (offer.status === 'withdrawn') throw conflict('OFFER_WITHDRAWN', 'This offer is withdrawn and can no longer be changed: list a new one.');
    const next = {
      title: patch.title?.trim() || offer.title,
      memoryGb: patch.memoryGb === undefined ? offer.memoryGb : patch.memoryGb,
      interconnect: patch.interconnect === undefined ? offer.interconnect : patch.interconnect,
      quantityTotal: patch.quantity ?? offer.quantityTotal,
      windowStart: patch.window?.start !== undefined ? new Date(Date.parse(patch.window.start)) : offer.windowStart,
      windowEnd: patch.window?.end !== undefined ? new Date(Date.parse(patch.window.end)) : offer.windowEnd,
      pricePerUnit: patch.pricePerUnit ?? offer.pricePerUnit,
      minTermHours: patch.minTermHours ?? offer.minTermHours,
      slaPct: patch.slaPct ?? offer.slaPct,
      certifications: patch.certifications ? [...new Set(patch.certifications.map((c) => c.trim()).filter(Boolean))] : offer.certifications,
    };
    const problems = offerFieldProblems(
      {
        resourceKind: offer.resourceKind,
        acceleratorModel: offer.acceleratorModel,
        quantity: next.quantityTotal,
        memoryGb: next.memoryGb,
        windowStartMs: next.windowStart.getTime(),
        windowEndMs: next.windowEnd.getTime(),
        pricePerUnit: next.pricePerUnit,
        unit: offer.unit,
        minTermHours: next.minTermHours,
        slaPct: next.slaPct,
      },
      now.getTime(),
    );
    if (problems.length) throw validationFailed('The change cannot be made.', problems);
    if (patch.quantity !== undefined && patch.quantity > offer.quantityTotal && ACCELERATED_KINDS.includes(offer.resourceKind as ResourceKind)) {
      await checkFacility(tx, actor, offer.facilityId, offer.resourceKind, offer.acceleratorModel, patch.quantity);
    }
    // Capacity already sold stays sold: the total cannot drop below what orders hold, nor the window cut them.
    const store = marketStore(tx);
    const { available } = await availability(tx, [offer], now);
    const held = offer.quantityTotal - (available.get(offer.id) ?? 0);
    if (next.quantityTotal < held) {
      throw new AppError(409, 'CAPACITY_IN_USE', `Orders hold up to ${held} units of this offer at once: quantity cannot go below ${held}.`, { extra: { held } });
    }
    const latestEnd = await store.latestHoldingEnd(offer.id);
    const earliestStart = await store.earliestHoldingStart(offer.id);
    if ((latestEnd && next.windowEnd < latestEnd) || (earliestStart && next.windowStart > earliestStart)) {
      throw new AppError(409, 'WINDOW_IN_USE', `Orders hold this offer from ${earliestStart?.toISOString()} to ${latestEnd?.toISOString()}: the window must keep covering them.`);
    }
    const updated = await store.updateOffer(offer.id, offer.version, { ...next, updatedAt: now });
    if (!updated) throw conflict('CONCURRENT_UPDATE', 'The offer changed at the same moment: reload it.');
    const before = auditState(offer);
    const after = auditState(updated);
    const changedKeys = Object.keys(after).filter((k) => k !== 'version' && JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(after[k as keyof typeof after]));
    await appendAudit(tx, [
      auditOfActor(actor, now, 'changed', 'offer', offer.id, Object.fromEntries(changedKeys.map((k) => [k, before[k as keyof typeof before]])), Object.fromEntries(changedKeys.map((k) => [k, after[k as keyof typeof after]])), ctx.requestId),
    ]);
    return (await offerViews(tx, [updated], now))[0];
  });
}

export async function withdrawOffer(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const offer = await lockOwnOffer(tx, actor, id);
    if (offer.status === 'withdrawn') throw conflict('OFFER_WITHDRAWN', 'This offer is already withdrawn.');
    const updated = await marketStore(tx).updateOffer(offer.id, offer.version, { status: 'withdrawn', updatedAt: now });
    if (!updated) throw conflict('CONCURRENT_UPDATE', 'The offer changed at the same moment: reload it.');
    await appendAudit(tx, [auditOfActor(actor, now, 'withdrawn', 'offer', offer.id, { status: offer.status }, { status: 'withdrawn' }, ctx.requestId)]);
    return (await offerViews(tx, [updated], now))[0];
  });
}

export interface OfferQuery {
  limit?: number;
  cursor?: string;
  status?: string;
  kind?: string;
  model?: string;
  product?: string;
  unit?: string;
  region?: string;
  supplier?: string;
  facility?: string;
  maxPrice?: number;
  minPrice?: number;
  minGreen?: number;
  start?: string;
  end?: string;
  q?: string;
  sort?: string;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

export async function listOffers(deps: Deps, query: OfferQuery) {
  const now = deps.clock.now();
  const status = (list(query.status) ?? ['open']) as OfferFilter['status'];
  for (const s of status ?? []) {
    if (!['open', 'withdrawn', 'expired'].includes(s)) throw new AppError(400, 'INVALID_STATUS', `Unknown offer status ${JSON.stringify(s)}: use open, withdrawn or expired (comma-separated).`);
  }
  const window = listWindow(query.start, query.end);
  const filter: OfferFilter = {
    status,
    now,
    kind: list(query.kind),
    model: list(query.model)?.map((m) => findAccelerator(m)?.model ?? m),
    product: list(query.product),
    unit: list(query.unit),
    region: query.region && query.region !== '000000' ? regionScopeOf(query.region) : undefined,
    supplierOrgId: query.supplier,
    facilityId: query.facility,
    maxPrice: query.maxPrice,
    minPrice: query.minPrice,
    minGreen: query.minGreen,
    coverStart: window?.from,
    coverEnd: window?.to,
    q: query.q?.trim() ? query.q.trim().slice(0, 100) : undefined,
  };
  const raw = query.sort ?? '-createdAt';
  const descending = raw.startsWith('-');
  const key = (descending ? raw.slice(1) : raw) as OfferSortKey;
  if (!(key in OFFER_SORTS)) throw new AppError(400, 'INVALID_SORT', `Cannot sort offers by ${JSON.stringify(raw)}: use one of ${Object.keys(OFFER_SORTS).join(', ')} (prefix - for descending).`);
  const limit = query.limit ?? 50;
  const tag = `offers:${key}:${descending}`;
  const after = query.cursor
    ? decodeCursor<{ v: string | number; id: string }>(query.cursor, tag, (p) => typeof p.id === 'string' && (key === 'pricePerUnit' ? typeof p.v === 'number' : typeof p.v === 'string' && !Number.isNaN(Date.parse(p.v))))
    : undefined;
  const store = marketStore(deps.db);
  const [rows, total] = await Promise.all([
    store.listOffers(filter, key, descending, limit + 1, after ? { value: key === 'pricePerUnit' ? after.v : new Date(after.v as string), id: after.id } : undefined),
    store.countOffers(filter),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const sortValue = (row: OfferRow) => (key === 'pricePerUnit' ? row.pricePerUnit : row[key].toISOString());
  return {
    items: await offerViews(deps.db, page, now, window),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: sortValue(last), id: last.id }, tag) : null,
    total,
  };
}

/** The window a list reports free capacity for: both ends or neither. */
function listWindow(start: string | undefined, end: string | undefined): { from: Date; to: Date } | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) throw new AppError(400, 'WINDOW_INCOMPLETE', 'Give both start and end (ISO 8601) to see the capacity free over that window, or neither.');
  const from = Date.parse(start);
  const to = Date.parse(end);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new AppError(400, 'INVALID_TIME', 'start and end must be ISO 8601 times.');
  if (!(to > from)) throw new AppError(400, 'END_BEFORE_START', 'end must be after start.');
  if (to - from > 20 * 365 * 24 * MS_PER_HOUR) throw new AppError(400, 'WINDOW_TOO_LONG', 'A window longer than 20 years is not a market window: shorten it.');
  return { from: new Date(from), to: new Date(to) };
}
