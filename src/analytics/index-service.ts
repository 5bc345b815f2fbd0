import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { childrenOf, isWithin, type Region } from '../regions/dataset.ts';
import { regionGroups } from '../regions/groups.ts';
import { type IndexInput, scoreIndex, sensitivity } from './index.ts';
import { INDEX_METHOD_DOCUMENT, INDEX_METHOD_VERSION, INDICATORS } from './index-method.ts';
import { parseWeights, resolveWeights } from './index-weights.ts';
import { analyticsStore, type IndexAggregate } from './store.ts';

export type IndexLevel = 'province' | 'city';

export interface IndexOptions {
  level: IndexLevel;
  /** id → weight, or the text form parseWeights reads (JSON or id:weight pairs). */
  weights?: Record<string, number> | string;
  year?: number;
}

/**
 * 1 when the region holds (or lies in) a national data-centre cluster, 0.5 when it lies in a national
 * hub without a cluster, 0 otherwise. Clusters are cities or counties, so a province or city holding one counts.
 */
export function hubMembership(code: string): number {
  const groups = regionGroups();
  const touches = (member: string) => isWithin(member, code) || isWithin(code, member);
  if (groups.some((group) => group.kind === 'cluster' && group.regionCodes.some(touches))) return 1;
  if (groups.some((group) => group.kind === 'hub' && group.regionCodes.some((member) => isWithin(code, member)))) return 0.5;
  return 0;
}

const ratio = (numerator: number, denominator: number, scale = 1) => (denominator > 0 ? (numerator / denominator) * scale : null);

/** The raw sub-indicator values of one region from its ledger sums (index-method.ts lists the formulas). */
export function indicatorValues(sums: IndexAggregate | undefined, membership: number): Record<string, number | null> {
  const a = sums ?? emptySums();
  return {
    'compute.fp32Equivalent': a.fp32Equivalent,
    'compute.intelligentShare': ratio(a.fp32EquivalentIntelligent, a.fp32Equivalent, 100),
    'compute.accelerators': a.accelerators,
    'storage.capacity': a.storagePb,
    'storage.advancedShare': ratio(a.advancedStoragePb, a.storagePb, 100),
    'network.egress': a.egressGbps,
    'network.egressPerRack': ratio(a.egressGbps, a.racksDesigned),
    'network.hubMembership': membership,
    'model.services': null,
    'environment.pue': ratio(a.pueRackWeighted, a.pueRacks),
    'environment.greenShare': ratio(a.greenKwh, a.annualKwh, 100),
    'environment.kwhPerRack': ratio(a.annualKwh, a.racksInUse),
  };
}

function emptySums(): IndexAggregate {
  return { key: '', facilities: 0, racksDesigned: 0, racksInUse: 0, fp32Equivalent: 0, fp32EquivalentIntelligent: 0, accelerators: 0, storagePb: 0, advancedStoragePb: 0, egressGbps: 0, pueRackWeighted: 0, pueRacks: 0, annualKwh: 0, greenKwh: 0 };
}

/** Every province, or every prefecture-level city of every province, in code order. */
function comparedRegions(level: IndexLevel): Region[] {
  const provinces = childrenOf(null);
  return level === 'province' ? provinces : provinces.flatMap((province) => childrenOf(province.code));
}

/**
 * `year` selects facilities whose ledger entry was created before the end of that year (UTC), with their
 * current figures and status: the ledger keeps no earlier figures to go back to. No year: the whole current ledger.
 */
function cutoffOf(deps: Deps, year: number | undefined): Date | undefined {
  if (year === undefined) return undefined;
  const currentYear = deps.clock.now().getUTCFullYear();
  if (!Number.isInteger(year) || year < 2000 || year > currentYear) {
    throw new AppError(400, 'INVALID_YEAR', `Year ${year} cannot be indexed: give a year from 2000 to ${currentYear}, or omit it for the current ledger.`);
  }
  return new Date(Date.UTC(year + 1, 0, 1));
}

async function loadInputs(deps: Deps, options: IndexOptions) {
  const overrides = typeof options.weights === 'string' ? parseWeights(options.weights) : (options.weights ?? {});
  const weights = resolveWeights(overrides);
  const cutoff = cutoffOf(deps, options.year);
  const sums = await analyticsStore(deps.db).indexAggregates(options.level, cutoff);
  const byCode = new Map(sums.map((row) => [row.key, row]));
  const inputs: IndexInput[] = comparedRegions(options.level).map((region) => ({
    code: region.code,
    name: region.name,
    values: indicatorValues(byCode.get(region.code), hubMembership(region.code)),
  }));
  const header = {
    level: options.level,
    year: options.year ?? null,
    selection: { status: 'in_operation', enteredLedgerBefore: cutoff ? cutoff.toISOString() : null },
    weights,
    method: INDEX_METHOD_DOCUMENT,
    version: INDEX_METHOD_VERSION,
  };
  return { inputs, weights, header };
}

/** The comprehensive computing power index (综合算力指数) of every province or city, ranked. */
export async function computeIndex(deps: Deps, options: IndexOptions) {
  const { inputs, weights, header } = await loadInputs(deps, options);
  return { ...header, indicators: INDICATORS.map((indicator) => ({ ...indicator })), regions: scoreIndex(inputs, weights) };
}

/** How every rank moves when each dimension weight moves by ±20% (the others renormalised). */
export async function computeIndexSensitivity(deps: Deps, options: IndexOptions) {
  const { inputs, weights, header } = await loadInputs(deps, options);
  const result = sensitivity(inputs, weights);
  return { ...header, step: result.step, maxRankShift: result.maxRankShift, regions: result.baseline, scenarios: result.scenarios };
}
