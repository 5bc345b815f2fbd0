import { badRequest } from '../errors.ts';
import type { Deps } from '../deps.ts';
import type { FacilityFilter } from '../ledger/store.ts';
import { childrenOf, regionIndex } from '../regions/dataset.ts';
import { type Aggregate, analyticsStore } from './store.ts';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarise(a: Aggregate) {
  return {
    facilities: a.facilities,
    inOperation: a.inOperation,
    racksDesigned: a.racksDesigned,
    racksInUse: a.racksInUse,
    rackUtilization: a.racksDesigned > 0 ? round(a.racksInUse / a.racksDesigned) : null,
    fp32Equivalent: round(a.fp32Equivalent, 1),
    compute: { fp64: round(a.fp64, 1), fp32: round(a.fp32, 1), fp16: round(a.fp16, 1), int8: round(a.int8, 1) },
    storagePb: round(a.storagePb, 2),
    annualKwh: round(a.annualKwh, 0),
    avgPue: a.pueCount > 0 ? round(a.pueSum / a.pueCount, 3) : null,
    weightedPue: a.pueRacks > 0 ? round(a.pueRackWeighted / a.pueRacks, 3) : null,
  };
}

/** The overview (算力总览) of a region and its children: provinces of the country, cities of a province. */
export async function overview(deps: Deps, regionCode: string | undefined) {
  const code = regionCode && regionCode !== '000000' ? regionCode : null;
  const filter: FacilityFilter = {};
  let childLevel: 'province' | 'city' | 'county' = 'province';
  let name = '全国';
  if (code) {
    const region = regionIndex().get(code);
    if (!region) throw badRequest('UNKNOWN_REGION', `Unknown region code ${JSON.stringify(code)}: use a GB/T 2260 code from GET /api/v1/regions, or omit it for the whole country.`);
    filter.region = region.code;
    filter.regionLevel = region.level;
    childLevel = region.level === 'province' ? 'city' : 'county';
    name = region.name;
  }
  const store = analyticsStore(deps.db);
  const [totals, children, byStatus, byKind] = await Promise.all([
    store.totals(filter),
    store.byChild(filter, childLevel),
    store.countBy(filter, 'status'),
    store.countBy(filter, 'kind'),
  ]);
  const byCode = new Map(children.map((c) => [c.key ?? '', c]));
  // Every child region appears, with zeros where nothing is registered, so maps and tables are complete.
  const childRegions = childrenOf(code);
  const childRows = childRegions.map((region) => {
    const aggregate = byCode.get(region.code);
    return {
      code: region.code,
      name: region.name,
      shortName: region.shortName,
      lon: region.lon,
      lat: region.lat,
      ...(aggregate ? summarise(aggregate) : summarise(emptyAggregate())),
    };
  });
  return {
    region: { code: code ?? '000000', name, level: code ? regionIndex().get(code)!.level : 'country' },
    totals: summarise(totals),
    byStatus,
    byKind,
    children: childRows,
  };
}

function emptyAggregate(): Aggregate {
  return { key: null, facilities: 0, inOperation: 0, racksDesigned: 0, racksInUse: 0, fp32Equivalent: 0, fp64: 0, fp32: 0, fp16: 0, int8: 0, storagePb: 0, annualKwh: 0, pueRackWeighted: 0, pueRacks: 0, pueSum: 0, pueCount: 0 };
}
