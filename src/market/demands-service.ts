/** Demands, their ranked matches with explanations, and the batch assignment (docs/market.md, docs/methods/ranking.md). */
import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { AppError, forbidden, notFound, validationFailed } from '../errors.ts';
import type { FieldError } from '../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { findAccelerator } from '../ledger/catalogue.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { regionIndex } from '../regions/dataset.ts';
import { canSeeDemand, isGovernmentActor, jurisdictionScope, regionScopeOf, requireMarketRole } from './access.ts';
import { assignBatch, type BatchObjective } from './batch.ts';
import { DEFAULT_WEIGHTS, engineOffers, loadMarket, toEngineDemand } from './engine-input.ts';
import { matchDemand } from './match.ts';
import { measuredLatency } from './network-latency.ts';
import { offerViews } from './offers-service.ts';
import { marketStore, type DemandFilter, type DemandRow } from './store.ts';
import type { Demand, SoftWeights } from './types.ts';
import { demandInterval, demandProblems } from './validate.ts';
import { demandView } from './views.ts';

export interface DemandInput {
  title?: string;
  resourceKind?: string;
  hard: { acceleratorModel?: string; minTflops?: number; precision?: string };
  count: number;
  memoryGb?: number;
  start: string;
  end?: string;
  durationHours?: number;
  regionsAllowed?: string[];
  dataResidency?: string;
  latency?: { fromRegionCode: string; maxMs: number };
  maxPricePerUnit?: number;
  weights?: Partial<SoftWeights>;
}

const MAX_DEMAND_HOURS = 5 * 365 * 24;

function engineDemandOf(input: DemandInput): { demand: Demand; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const { acceleratorModel, minTflops, precision } = input.hard;
  let hard: Demand['hard'];
  if (acceleratorModel !== undefined && (minTflops !== undefined || precision !== undefined)) {
    problems.push({ path: '/hard', code: 'AMBIGUOUS_REQUIREMENT', message: 'give either hard.acceleratorModel or hard.minTflops with hard.precision, not both' });
    hard = { acceleratorModel };
  } else if (acceleratorModel !== undefined) {
    hard = { acceleratorModel };
  } else if (minTflops !== undefined && precision !== undefined) {
    hard = { minTflops, precision: precision as 'fp16' };
  } else {
    problems.push({ path: '/hard', code: 'HARD_REQUIREMENT_REQUIRED', message: 'say what is needed: hard.acceleratorModel (e.g. H200), or hard.minTflops with hard.precision (e.g. 300 and fp16)' });
    hard = { acceleratorModel: '' };
  }
  const demand: Demand = { id: 'new', hard, count: input.count, start: input.start, weights: { ...DEFAULT_WEIGHTS, ...input.weights } };
  if (input.resourceKind !== undefined) demand.resourceKind = input.resourceKind as Demand['resourceKind'];
  if (input.memoryGb !== undefined) demand.memoryGb = input.memoryGb;
  if (input.end !== undefined) demand.end = input.end;
  if (input.durationHours !== undefined) demand.durationHours = input.durationHours;
  if (input.regionsAllowed?.length) demand.regionsAllowed = input.regionsAllowed;
  if (input.dataResidency !== undefined) demand.dataResidency = input.dataResidency;
  if (input.latency) demand.latency = input.latency;
  if (input.maxPricePerUnit !== undefined) demand.maxPricePerUnit = input.maxPricePerUnit;
  problems.push(...demandProblems(demand).filter((p) => !(p.path.startsWith('/hard/acceleratorModel') && acceleratorModel === undefined)));
  return { demand, problems };
}

export async function createDemand(deps: Deps, actor: Actor, ctx: RequestContext, input: DemandInput) {
  requireMarketRole(actor, 'demander', 'NOT_A_DEMANDER', 'posts demands');
  const now = deps.clock.now();
  const { demand, problems } = engineDemandOf(input);
  if (problems.length === 0) {
    const { startMs, endMs, hours } = demandInterval(demand);
    if (!(endMs > now.getTime())) problems.push({ path: input.end !== undefined ? '/end' : '/start', code: 'DEMAND_IN_PAST', message: `the demand ends before now (${now.toISOString()}): move start into the future` });
    if (hours > MAX_DEMAND_HOURS) problems.push({ path: '/end', code: 'DEMAND_TOO_LONG', message: `a demand spans at most ${MAX_DEMAND_HOURS / 8760} years` });
    if (!Number.isFinite(startMs)) problems.push({ path: '/start', code: 'INVALID_TIME', message: 'start must be an ISO 8601 time' });
  }
  if (problems.length) throw validationFailed('The demand cannot be posted.', problems);
  const { startMs, endMs } = demandInterval(demand);
  const place = input.latency?.fromRegionCode ?? input.dataResidency ?? input.regionsAllowed?.[0] ?? null;
  const region = place ? regionIndex().get(place) : undefined;
  const model = 'acceleratorModel' in demand.hard ? (findAccelerator(demand.hard.acceleratorModel)?.model ?? demand.hard.acceleratorModel) : null;
  const row: DemandRow = {
    id: newId('dem'),
    demanderOrgId: actor.orgId,
    title: input.title?.trim() || `${input.count} × ${model ?? `≥ ${input.hard.minTflops} TFLOPS ${input.hard.precision}`}`,
    resourceKind: input.resourceKind ?? null,
    acceleratorModel: model,
    minTflops: 'minTflops' in demand.hard ? demand.hard.minTflops : null,
    precision: 'precision' in demand.hard ? demand.hard.precision : null,
    count: input.count,
    memoryGb: input.memoryGb ?? null,
    startAt: new Date(startMs),
    endAt: new Date(endMs),
    regionsAllowed: input.regionsAllowed ?? [],
    dataResidency: input.dataResidency ?? null,
    latencyFromRegionCode: input.latency?.fromRegionCode ?? null,
    latencyMaxMs: input.latency?.maxMs ?? null,
    maxPricePerUnit: input.maxPricePerUnit ?? null,
    weights: demand.weights,
    regionCode: region?.code ?? null,
    provinceCode: region?.provinceCode ?? null,
    cityCode: region?.cityCode ?? null,
    status: 'open',
    version: 1,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  return deps.db.transaction(async (tx) => {
    await marketStore(tx).insertDemands([row]);
    const { createdAt: _c, updatedAt: _u, ...state } = row;
    await appendAudit(tx, [auditOfActor(actor, now, 'created', 'demand', row.id, null, state, ctx.requestId)]);
    return demandView(row, await marketStore(tx).orgNames([row.demanderOrgId]));
  });
}

async function visibleDemand(deps: Deps, actor: Actor, id: string): Promise<DemandRow> {
  const row = await marketStore(deps.db).getDemand(id);
  if (!row || !canSeeDemand(actor, row)) throw notFound('Demand', id);
  return row;
}

export async function getDemand(deps: Deps, actor: Actor, id: string) {
  const row = await visibleDemand(deps, actor, id);
  return demandView(row, await marketStore(deps.db).orgNames([row.demanderOrgId]));
}

export async function listDemands(deps: Deps, actor: Actor, query: { status?: string; region?: string; limit?: number; cursor?: string }) {
  const filter: DemandFilter = { status: query.status?.split(',').map((s) => s.trim()).filter(Boolean) };
  if (actor.isAdmin || isGovernmentActor(actor)) {
    const own = jurisdictionScope(actor);
    if (query.region && query.region !== '000000') {
      const scope = regionScopeOf(query.region);
      if (own && !isWithinScope(scope.code, actor)) throw forbidden('OUT_OF_JURISDICTION', `Region ${query.region} is outside your jurisdiction (${actor.jurisdictionCode}).`);
      filter.region = scope;
    } else if (own) filter.region = own;
  } else {
    filter.demanderOrgId = actor.orgId;
  }
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor<{ at: string; id: string }>(query.cursor, 'demands', (p) => typeof p.id === 'string' && typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at))) : undefined;
  const store = marketStore(deps.db);
  const [rows, total] = await Promise.all([store.listDemands(filter, limit + 1, after ? { createdAt: new Date(after.at), id: after.id } : undefined), store.countDemands(filter)]);
  const page = rows.slice(0, limit);
  const names = await store.orgNames(page.map((r) => r.demanderOrgId));
  const last = page.at(-1);
  return {
    items: page.map((r) => demandView(r, names)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }, 'demands') : null,
    total,
  };
}

function isWithinScope(code: string, actor: Actor): boolean {
  const own = jurisdictionScope(actor);
  if (!own) return true;
  const region = regionIndex().get(code);
  if (!region) return false;
  return own.level === 'province' ? region.provinceCode === own.code : own.level === 'city' ? region.cityCode === own.code : region.code === own.code;
}

export interface MatchQuery {
  topK?: number;
  excludedOffset?: number;
  excludedLimit?: number;
  nearestMisses?: number;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs the engine for a stored demand over the open offers (free capacity over the demand's window). */
export async function demandMatches(deps: Deps, actor: Actor, id: string, query: MatchQuery) {
  const row = await visibleDemand(deps, actor, id);
  const now = deps.clock.now();
  const demand = toEngineDemand(row);
  const { startMs, endMs } = demandInterval(demand);
  const market = await loadMarket(deps.db, now);
  const offers = engineOffers(market, { fromMs: startMs, toMs: endMs });
  const latency = demand.latency ? await measuredLatency(deps) : null;
  const offset = query.excludedOffset ?? 0;
  const excludedLimit = query.excludedLimit ?? 50;
  const started = performance.now();
  const result = matchDemand(demand, offers, { now, topK: query.topK ?? 10, excludedLimit: offset + excludedLimit, nearestMisses: query.nearestMisses ?? 10, latency: latency?.source });
  const matchMs = performance.now() - started;
  const byId = new Map(market.rows.map((r) => [r.offer.id, r.offer]));
  const shown = [...new Set([...result.candidates.map((c) => c.offerId), ...result.nearestMisses.map((m) => m.offerId)])].map((offerId) => byId.get(offerId)!);
  const views = new Map((await offerViews(deps.db, shown, now, { from: new Date(startMs), to: new Date(endMs) })).map((v) => [v.id, v]));
  const basis = (offerId: string) => (demand.latency ? (latency?.basisOf.get(offerId) ?? 'estimated') : null);
  const excludedTotal = Object.values(result.excludedCounts).reduce((s, n) => s + n, 0);
  return {
    demandId: row.id,
    evaluatedAt: now.toISOString(),
    offersConsidered: offers.length,
    feasibleCount: result.feasibleCount,
    candidates: result.candidates.map((c, i) => ({
      rank: i + 1,
      offerId: c.offerId,
      score: round(c.score, 6),
      terms: { price: round(c.terms.price, 6), latency: round(c.terms.latency, 6), green: round(c.terms.green, 6), reputation: round(c.terms.reputation, 6), utilisation: round(c.terms.utilisation, 6) },
      latencyMs: c.latencyMs === null ? null : round(c.latencyMs, 3),
      latencyBasis: c.latencyMs === null ? null : basis(c.offerId),
      totalPrice: c.totalPrice === null ? null : Math.round(c.totalPrice * 100) / 100,
      offer: views.get(c.offerId)!,
    })),
    excluded: result.excluded.slice(offset).map((e) => ({ offerId: e.offerId, ...e.failed })),
    excludedOffset: offset,
    excludedTotal,
    excludedCounts: result.excludedCounts,
    nearestMisses: result.nearestMisses.map((m) => ({ offerId: m.offerId, ...m.failed, gap: round(m.gap, 4), offer: views.get(m.offerId)! })),
    hints: result.hints,
    message: result.message,
    weights: demand.weights,
    method: 'docs/methods/ranking.md',
    matchMs: round(matchMs, 2),
  };
}

export interface BatchInput {
  objective?: BatchObjective;
  demandIds?: string[];
  region?: string;
}

export const MAX_BATCH_DEMANDS = 5000;

/** Assigns open demands to the open offers' free capacity at once (government bodies and administrators). */
export async function batchAssignment(deps: Deps, actor: Actor, input: BatchInput) {
  if (!actor.isAdmin && !isGovernmentActor(actor)) throw forbidden('NOT_A_GOVERNMENT', 'Batch assignment is a planning tool of government bodies and administrators.');
  const now = deps.clock.now();
  const store = marketStore(deps.db);
  let demands: DemandRow[];
  if (input.demandIds && input.demandIds.length) {
    const ids = [...new Set(input.demandIds)];
    if (ids.length > MAX_BATCH_DEMANDS) throw new AppError(422, 'TOO_MANY_DEMANDS', `At most ${MAX_BATCH_DEMANDS} demands per batch; split the batch.`);
    const found = new Map((await store.getDemands(ids)).map((d) => [d.id, d]));
    const problems: FieldError[] = [];
    ids.forEach((id, i) => {
      const demand = found.get(id);
      if (!demand || !canSeeDemand(actor, demand)) problems.push({ path: `/demandIds/${i}`, code: 'UNKNOWN_DEMAND', message: `no demand ${id} that you can see` });
      else if (demand.status !== 'open') problems.push({ path: `/demandIds/${i}`, code: 'DEMAND_NOT_OPEN', message: `demand ${id} is ${demand.status}` });
    });
    if (problems.length) throw validationFailed('The batch cannot be assigned.', problems.slice(0, 100));
    demands = ids.map((id) => found.get(id)!);
  } else {
    const filter: DemandFilter = { status: ['open'] };
    if (input.region && input.region !== '000000') {
      const scope = regionScopeOf(input.region);
      if (!isWithinScope(scope.code, actor)) throw forbidden('OUT_OF_JURISDICTION', `Region ${input.region} is outside your jurisdiction (${actor.jurisdictionCode}).`);
      filter.region = scope;
    } else {
      filter.region = jurisdictionScope(actor) ?? undefined;
    }
    const total = await store.countDemands(filter);
    if (total > MAX_BATCH_DEMANDS) throw new AppError(422, 'TOO_MANY_DEMANDS', `${total} open demands in scope; at most ${MAX_BATCH_DEMANDS} per batch: narrow it with region or demandIds.`);
    demands = await store.listDemands(filter, MAX_BATCH_DEMANDS);
  }
  // Demands already over are nothing to assign; the rest in id order (the greedy baseline's order).
  const live = demands.filter((d) => d.endAt > now).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const market = await loadMarket(deps.db, now);
  // One capacity per offer: what is free over the whole rest of its window (conservative for shorter demands).
  const offers = engineOffers(market, { remainingFromMs: now.getTime() });
  const latency = live.some((d) => d.latencyFromRegionCode) ? await measuredLatency(deps) : null;
  const objective = input.objective ?? 'score';
  const result = await assignBatch(live.map(toEngineDemand), offers, { objective, now, latency: latency?.source, timeLimitSeconds: 10 });
  const gap = (x: number) => (result.bound > 0 ? round((100 * (result.bound - x)) / result.bound, 3) : 0);
  return {
    objectiveKind: objective,
    demands: live.length,
    offers: offers.length,
    assignment: result.assignment,
    objective: round(result.objective, 6),
    greedyObjective: round(result.greedyObjective, 6),
    bound: round(result.bound, 6),
    gapPct: gap(result.objective),
    greedyGapPct: gap(result.greedyObjective),
    method: result.method,
    served: result.served,
    greedyServed: result.greedyServed,
    totalCost: Math.round(result.totalCost * 100) / 100,
    variables: result.variables,
    solveMs: round(result.solveMs, 1),
    lpMs: round(result.lpMs, 1),
    evaluatedAt: now.toISOString(),
  };
}

