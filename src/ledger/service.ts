import { badRequest, checkIfMatch, conflict, forbidden, notFound, preconditionFailed, validationFailed } from '../errors.ts';
import type { Deps, RequestContext } from '../deps.ts';
import type { Db, Tx } from '../db/client.ts';
import { newId } from '../ids.ts';
import { type Actor, governs, hasMarketRole } from '../identity/actor.ts';
import { identityStore } from '../identity/store.ts';
import { regionIndex } from '../regions/dataset.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { formatComputeId, type FacilityInputWithKw, type NormalisedFacility, normaliseFacility } from './rules.ts';
import { FACILITY_SORTS, type FacilityFilter, type FacilityInsert, type FacilitySortKey, ledgerStore, type RegistrationRow } from './store.ts';
import { facilityData, facilityView, historyView, registrationView } from './views.ts';

export interface FacilityQuery {
  limit?: number;
  cursor?: string;
  region?: string;
  status?: string;
  kind?: string;
  q?: string;
  owner?: string;
  sort?: string;
}

/** Turns list query parameters into a store filter; unknown codes are the caller's mistake. */
export function facilityFilter(query: FacilityQuery): FacilityFilter {
  const filter: FacilityFilter = {};
  if (query.region && query.region !== '000000') {
    const region = regionIndex().get(query.region);
    if (!region) throw badRequest('UNKNOWN_REGION', `Unknown region code ${JSON.stringify(query.region)}: use a GB/T 2260 code from GET /api/v1/regions.`);
    filter.region = region.code;
    filter.regionLevel = region.level;
  }
  const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
  filter.status = list(query.status);
  filter.kind = list(query.kind);
  if (query.q?.trim()) filter.q = query.q.trim().slice(0, 100);
  if (query.owner) filter.ownerOrgId = query.owner;
  return filter;
}

function parseSort(sort: string | undefined): { key: FacilitySortKey; descending: boolean } {
  const raw = sort ?? 'computeId';
  const descending = raw.startsWith('-');
  const key = (descending ? raw.slice(1) : raw) as FacilitySortKey;
  if (!(key in FACILITY_SORTS)) {
    throw badRequest('INVALID_SORT', `Cannot sort by ${JSON.stringify(raw)}: use one of ${Object.keys(FACILITY_SORTS).join(', ')} (prefix - for descending).`);
  }
  return { key, descending };
}

export async function listFacilities(deps: Deps, query: FacilityQuery) {
  const filter = facilityFilter(query);
  const { key, descending } = parseSort(query.sort);
  const limit = query.limit ?? 50;
  const after = query.cursor
    ? decodeCursor<{ v: unknown; id: string }>(query.cursor, `facilities:${key}:${descending}`, (p) =>
        typeof p.id === 'string' && (key === 'updatedAt' ? typeof p.v === 'string' && !Number.isNaN(Date.parse(p.v)) : p.v === null || typeof p.v === 'string' || typeof p.v === 'number'),
      )
    : undefined;
  const store = ledgerStore(deps.db);
  const sortValue = (value: unknown) => (key === 'updatedAt' && typeof value === 'string' ? new Date(value) : value);
  const [rows, total] = await Promise.all([
    store.listFacilities(filter, key, descending, limit + 1, after ? { value: sortValue(after.v), id: after.id } : undefined),
    store.countFacilities(filter),
  ]);
  const page = rows.slice(0, limit);
  const orgNames = await identityStore(deps.db).orgNames(page.map((r) => r.row.ownerOrgId));
  const last = page.at(-1);
  const lastValue = last ? (last.sortValue instanceof Date ? last.sortValue.toISOString() : last.sortValue) : undefined;
  return {
    items: page.map((r) => facilityView(r.row, orgNames)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: lastValue, id: last.row.id }, `facilities:${key}:${descending}`) : null,
    total,
  };
}

export async function getFacility(deps: Deps, id: string) {
  const row = await ledgerStore(deps.db).getFacility(id);
  if (!row) throw notFound('Facility', id);
  return facilityView(row, await identityStore(deps.db).orgNames([row.ownerOrgId]));
}

export async function facilityHistory(deps: Deps, id: string) {
  const store = ledgerStore(deps.db);
  if (!(await store.getFacility(id))) throw notFound('Facility', id);
  const items = (await store.history('facility', id)).map(historyView);
  return { items, nextCursor: null, total: items.length };
}

function facilityColumns(value: NormalisedFacility): Omit<FacilityInsert, 'id' | 'computeId' | 'ownerOrgId' | 'createdAt' | 'updatedAt'> {
  return {
    name: value.name,
    regionCode: value.regionCode,
    provinceCode: value.provinceCode,
    cityCode: value.cityCode,
    address: value.address,
    lon: value.lon,
    lat: value.lat,
    status: value.status,
    kind: value.kind,
    racksDesigned: value.racksDesigned,
    racksInUse: value.racksInUse,
    fp64: value.compute.fp64,
    fp32: value.compute.fp32,
    fp16: value.compute.fp16,
    int8: value.compute.int8,
    computeDeclared: value.computeDeclared,
    accelerators: value.accelerators,
    storagePb: value.storagePb,
    advancedStoragePct: value.advancedStoragePct,
    egressGbps: value.egressGbps,
    pueDesign: value.pueDesign,
    pueMeasured: value.pueMeasured,
    annualKwh: value.annualKwh,
    greenPowerPct: value.greenPowerPct,
    contacts: value.contacts,
  };
}

export interface NewLedgerEntry {
  value: NormalisedFacility;
  ownerOrgId: string;
  /** Keep an identifier assigned elsewhere (import, federation); otherwise one is allocated. */
  computeId?: string;
  registrationId?: string;
}

export interface ChangeAuthor {
  actorId: string | null;
  actorName: string;
  orgId: string | null;
  requestId: string;
}

/** Enters approved facilities into the ledger inside the caller's transaction, with their history. */
export async function insertLedgerEntries(tx: Db | Tx, entries: NewLedgerEntry[], author: ChangeAuthor, action: string, now: Date): Promise<string[]> {
  const store = ledgerStore(tx);
  // Identifiers kept from elsewhere first raise their region's sequence, so new ones cannot collide.
  for (const entry of entries) {
    const match = entry.computeId ? /^CN-(\d{6})-(\d{5})$/.exec(entry.computeId) : null;
    if (match) await store.bumpComputeSequence(match[1], Number(match[2]));
  }
  // One reservation per region for the rest: a block of consecutive sequence values.
  const needed = new Map<string, number>();
  for (const entry of entries) if (!entry.computeId) needed.set(entry.value.regionCode, (needed.get(entry.value.regionCode) ?? 0) + 1);
  const next = new Map<string, number>();
  for (const [regionCode, count] of needed) next.set(regionCode, await store.reserveComputeSequence(regionCode, count));
  const rows: FacilityInsert[] = entries.map((entry) => {
    let computeId = entry.computeId;
    if (!computeId) {
      const sequence = next.get(entry.value.regionCode)!;
      next.set(entry.value.regionCode, sequence + 1);
      computeId = formatComputeId(entry.value.regionCode, sequence);
    }
    return { id: newId('fac'), computeId, ownerOrgId: entry.ownerOrgId, createdAt: now, updatedAt: now, version: 1, ...facilityColumns(entry.value) };
  });
  for (let i = 0; i < rows.length; i += 500) await store.insertFacilities(rows.slice(i, i + 500));
  const changes = rows.map((row, i) => ({
    objectType: 'facility',
    objectId: row.id!,
    version: 1,
    action,
    actorId: author.actorId,
    actorName: author.actorName,
    orgId: author.orgId,
    requestId: author.requestId,
    relatedId: entries[i].registrationId ?? null,
    before: null,
    after: { computeId: row.computeId, ownerOrgId: row.ownerOrgId, ...dataOf(entries[i].value) },
    at: now,
  }));
  for (let i = 0; i < changes.length; i += 500) await store.appendChanges(changes.slice(i, i + 500));
  return rows.map((r) => r.id!);
}

/** The editable fields of a normalised facility, in the shape a registration carries. */
export function dataOf(value: NormalisedFacility) {
  return {
    name: value.name,
    regionCode: value.regionCode,
    address: value.address,
    lon: value.lon,
    lat: value.lat,
    status: value.status,
    kind: value.kind,
    racksDesigned: value.racksDesigned,
    racksInUse: value.racksInUse,
    compute: value.computeDeclared,
    accelerators: value.accelerators.map(({ model, count }) => ({ model, count })),
    storagePb: value.storagePb,
    advancedStoragePct: value.advancedStoragePct,
    egressGbps: value.egressGbps,
    pueDesign: value.pueDesign,
    pueMeasured: value.pueMeasured,
    annualKwh: value.annualKwh,
    greenPowerPct: value.greenPowerPct,
    contacts: value.contacts,
  };
}

/** Only the fields that differ, so the history reads as "what changed". */
function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changedBefore[key] = before[key];
      changedAfter[key] = after[key];
    }
  }
  return { before: changedBefore, after: changedAfter };
}

// ---------------------------------------------------------------- registrations

export interface RegistrationInput {
  type: 'create' | 'change';
  facilityId?: string;
  data: FacilityInputWithKw;
  submit?: boolean;
}

export const authorOf = (actor: Actor, ctx: RequestContext): ChangeAuthor => ({
  actorId: actor.userId,
  actorName: actor.displayName,
  orgId: actor.orgId,
  requestId: ctx.requestId,
});

function validated(data: FacilityInputWithKw): NormalisedFacility {
  const { value, errors } = normaliseFacility(data);
  if (!value) throw validationFailed('The facility data is not valid.', errors.map((e) => ({ ...e, path: `/data${e.path}` })));
  return value;
}

function canSeeRegistration(actor: Actor, row: RegistrationRow): boolean {
  return actor.isAdmin || row.orgId === actor.orgId || governs(actor, row.regionCode);
}

async function registrationNames(db: Db | Tx, rows: RegistrationRow[]) {
  const identity = identityStore(db);
  return {
    orgs: await identity.orgNames(rows.map((r) => r.orgId)),
    users: await identity.userNames(rows.flatMap((r) => [r.createdBy, r.decidedBy ?? r.createdBy])),
    computeIds: await ledgerStore(db).computeIdsOf(rows.map((r) => r.facilityId).filter((id): id is string => !!id)),
  };
}

async function viewOf(db: Db | Tx, row: RegistrationRow) {
  return registrationView(row, await registrationNames(db, [row]));
}

export async function createRegistration(deps: Deps, actor: Actor, ctx: RequestContext, input: RegistrationInput, ifMatch: string | undefined) {
  if (!hasMarketRole(actor, 'supplier')) {
    throw forbidden('NOT_A_SUPPLIER', 'Only a supplier organisation registers facilities; ask an administrator to give your organisation the supplier role.');
  }
  const value = validated(input.data);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const store = ledgerStore(tx);
    let baseVersion: number | null = null;
    if (input.type === 'change') {
      if (!input.facilityId) throw badRequest('FACILITY_REQUIRED', 'A change names the facility it changes: give facilityId.');
      const facility = await store.getFacility(input.facilityId);
      if (!facility) throw notFound('Facility', input.facilityId);
      if (facility.ownerOrgId !== actor.orgId) throw forbidden('NOT_OWNER', 'Only the organisation that owns this facility can request a change to it.');
      checkIfMatch(ifMatch, facility.version, 'facility');
      baseVersion = facility.version;
    } else if (input.facilityId) {
      throw badRequest('UNEXPECTED_FACILITY', 'A create registration registers a new facility: leave facilityId out, or use type "change".');
    } else {
      const sameName = await store.findByNames([value.name]);
      if (sameName.some((f) => f.regionCode === value.regionCode)) {
        throw conflict('DUPLICATE_FACILITY', `A facility named ${JSON.stringify(value.name)} is already in the ledger for this region: request a change to it instead.`);
      }
    }
    const row: RegistrationRow = {
      id: newId('reg'),
      type: input.type,
      status: input.submit ? 'submitted' : 'draft',
      facilityId: input.facilityId ?? null,
      orgId: actor.orgId,
      regionCode: value.regionCode,
      provinceCode: value.provinceCode,
      cityCode: value.cityCode,
      data: dataOf(value),
      baseVersion,
      reason: null,
      createdBy: actor.userId,
      submittedAt: input.submit ? now : null,
      decidedBy: null,
      decidedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await store.insertRegistration(row);
    await store.appendChanges([registrationChange(row, input.submit ? 'submitted' : 'drafted', actor, ctx, null, row.data, now)]);
    return viewOf(tx, row);
  });
}

export function registrationChange(row: RegistrationRow, action: string, actor: Actor, ctx: RequestContext, before: unknown, after: unknown, now: Date) {
  return {
    objectType: 'registration',
    objectId: row.id,
    version: row.version,
    action,
    actorId: actor.userId,
    actorName: actor.displayName,
    orgId: actor.orgId,
    requestId: ctx.requestId,
    relatedId: row.facilityId,
    before: before ?? null,
    after: after ?? null,
    at: now,
  };
}

async function loadVisible(tx: Db | Tx, actor: Actor, id: string): Promise<RegistrationRow> {
  const row = await ledgerStore(tx).getRegistration(id);
  if (!row || !canSeeRegistration(actor, row)) throw notFound('Registration', id);
  return row;
}

export async function getRegistration(deps: Deps, actor: Actor, id: string) {
  return viewOf(deps.db, await loadVisible(deps.db, actor, id));
}

export async function registrationHistory(deps: Deps, actor: Actor, id: string) {
  await loadVisible(deps.db, actor, id);
  const items = (await ledgerStore(deps.db).history('registration', id)).map(historyView);
  return { items, nextCursor: null, total: items.length };
}

export async function updateDraft(deps: Deps, actor: Actor, ctx: RequestContext, id: string, data: FacilityInputWithKw, ifMatch: string | undefined) {
  const value = validated(data);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await loadVisible(tx, actor, id);
    if (row.orgId !== actor.orgId) throw forbidden('NOT_OWNER', 'Only the organisation that drafted this registration can edit it.');
    if (row.status !== 'draft') throw conflict('NOT_A_DRAFT', `This registration is ${row.status}; only drafts can be edited. Start a new registration instead.`);
    checkIfMatch(ifMatch, row.version, 'draft');
    const next = dataOf(value);
    const updated = await ledgerStore(tx).updateRegistration(id, row.version, {
      data: next,
      regionCode: value.regionCode,
      provinceCode: value.provinceCode,
      cityCode: value.cityCode,
      updatedAt: now,
    });
    if (!updated) throw preconditionFailed('The draft changed while you saved it: reload it and apply your edit again.');
    const changed = diff(row.data as Record<string, unknown>, next);
    await ledgerStore(tx).appendChanges([registrationChange(updated, 'edited', actor, ctx, changed.before, changed.after, now)]);
    return viewOf(tx, updated);
  });
}

export async function submitRegistration(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await loadVisible(tx, actor, id);
    if (row.orgId !== actor.orgId) throw forbidden('NOT_OWNER', 'Only the organisation that drafted this registration can submit it.');
    if (row.status !== 'draft') throw conflict('NOT_A_DRAFT', `This registration is already ${row.status}.`);
    const updated = await ledgerStore(tx).updateRegistration(id, row.version, { status: 'submitted', submittedAt: now, updatedAt: now });
    if (!updated) throw conflict('CONCURRENT_UPDATE', 'The registration changed at the same moment: reload it.');
    await ledgerStore(tx).appendChanges([registrationChange(updated, 'submitted', actor, ctx, { status: 'draft' }, { status: 'submitted' }, now)]);
    return viewOf(tx, updated);
  });
}

function requireReviewer(actor: Actor, regionCode: string) {
  if (actor.orgKind !== 'government' && !actor.isAdmin) {
    throw forbidden('NOT_A_REVIEWER', 'Only a government reviewer decides registrations.');
  }
  if (!governs(actor, regionCode)) {
    const name = regionIndex().get(regionCode)?.name ?? regionCode;
    throw forbidden('OUT_OF_JURISDICTION', `This facility lies in ${name} (${regionCode}), outside your jurisdiction (${actor.jurisdictionCode}); a reviewer of that region must decide it.`);
  }
}

export async function approveRegistration(deps: Deps, actor: Actor, ctx: RequestContext, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const store = ledgerStore(tx);
    const row = await store.getRegistration(id);
    if (!row) throw notFound('Registration', id);
    requireReviewer(actor, row.regionCode);
    if (row.status !== 'submitted') throw conflict('NOT_SUBMITTED', `This registration is ${row.status}; only submitted registrations can be decided.`);
    const value = validated(row.data as FacilityInputWithKw);
    let facilityId = row.facilityId;
    if (row.type === 'create') {
      [facilityId] = await insertLedgerEntries(tx, [{ value, ownerOrgId: row.orgId, registrationId: row.id }], authorOf(actor, ctx), 'created', now);
    } else {
      const facility = await store.getFacility(row.facilityId!);
      if (!facility) throw notFound('Facility', row.facilityId!);
      requireReviewer(actor, facility.regionCode);
      if (facility.version !== row.baseVersion) {
        throw conflict('STALE_CHANGE', `The facility moved on (version ${facility.version}) since this change was drafted against version ${row.baseVersion}: reject it and ask the supplier to resubmit.`);
      }
      const updated = await store.updateFacility(facility.id, facility.version, { ...facilityColumns(value), updatedAt: now });
      if (!updated) throw conflict('CONCURRENT_UPDATE', 'The facility changed at the same moment: reload and decide again.');
      const changed = diff(facilityData(facility), dataOf(value));
      await store.appendChanges([
        { objectType: 'facility', objectId: facility.id, version: updated.version, action: 'changed', ...authorOf(actor, ctx), relatedId: row.id, before: changed.before, after: changed.after, at: now },
      ]);
    }
    const decided = await store.updateRegistration(id, row.version, { status: 'approved', facilityId, decidedBy: actor.userId, decidedAt: now, updatedAt: now });
    if (!decided) throw conflict('CONCURRENT_UPDATE', 'Another reviewer decided this registration at the same moment: reload it.');
    await store.appendChanges([registrationChange(decided, 'approved', actor, ctx, { status: 'submitted' }, { status: 'approved', facilityId }, now)]);
    return viewOf(tx, decided);
  });
}

export async function rejectRegistration(deps: Deps, actor: Actor, ctx: RequestContext, id: string, reason: string) {
  const trimmed = reason.trim();
  if (!trimmed) throw validationFailed('Give a reason.', [{ path: '/reason', code: 'REASON_REQUIRED', message: 'say why the registration is rejected so the supplier can fix it' }]);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const store = ledgerStore(tx);
    const row = await store.getRegistration(id);
    if (!row) throw notFound('Registration', id);
    requireReviewer(actor, row.regionCode);
    if (row.status !== 'submitted') throw conflict('NOT_SUBMITTED', `This registration is ${row.status}; only submitted registrations can be decided.`);
    const decided = await store.updateRegistration(id, row.version, { status: 'rejected', reason: trimmed, decidedBy: actor.userId, decidedAt: now, updatedAt: now });
    if (!decided) throw conflict('CONCURRENT_UPDATE', 'Another reviewer decided this registration at the same moment: reload it.');
    await store.appendChanges([registrationChange(decided, 'rejected', actor, ctx, { status: 'submitted' }, { status: 'rejected', reason: trimmed }, now)]);
    return viewOf(tx, decided);
  });
}

export async function listRegistrations(deps: Deps, actor: Actor, query: { status?: string; region?: string; limit?: number; cursor?: string }) {
  const scope: { orgId?: string; jurisdiction?: { level: 'province' | 'city' | 'county'; code: string } } = {};
  const regionOf = (code: string) => {
    const region = regionIndex().get(code);
    if (!region) throw badRequest('UNKNOWN_REGION', `Unknown region code ${JSON.stringify(code)}: use a GB/T 2260 code from GET /api/v1/regions.`);
    return { level: region.level, code: region.code };
  };
  if (actor.isAdmin) {
    if (query.region && query.region !== '000000') scope.jurisdiction = regionOf(query.region);
  } else if (actor.orgKind === 'government') {
    const code = query.region && query.region !== '000000' ? query.region : actor.jurisdictionCode;
    if (code && code !== '000000') {
      if (!governs(actor, code)) throw forbidden('OUT_OF_JURISDICTION', `Region ${code} is outside your jurisdiction (${actor.jurisdictionCode}).`);
      scope.jurisdiction = regionOf(code);
    }
  } else {
    scope.orgId = actor.orgId;
    if (query.region) regionOf(query.region);
  }
  const status = query.status?.split(',').map((s) => s.trim()).filter(Boolean);
  const limit = query.limit ?? 50;
  const after = query.cursor
    ? decodeCursor<{ at: string; id: string }>(query.cursor, 'registrations', (p) => typeof p.id === 'string' && typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at)))
    : undefined;
  const store = ledgerStore(deps.db);
  const [rows, total] = await Promise.all([
    store.listRegistrations(scope, status, limit + 1, after ? { createdAt: new Date(after.at), id: after.id } : undefined),
    store.countRegistrations(scope, status),
  ]);
  const page = rows.slice(0, limit);
  const names = await registrationNames(deps.db, page);
  const last = page.at(-1);
  return {
    items: page.map((row) => registrationView(row, names)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }, 'registrations') : null,
    total,
  };
}
