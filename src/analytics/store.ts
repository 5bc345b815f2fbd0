import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { facilities } from '../ledger/tables.ts';
import type { FacilityFilter } from '../ledger/store.ts';
import { and, eq, lt, type SQL } from 'drizzle-orm';

export interface Aggregate {
  key: string | null;
  facilities: number;
  inOperation: number;
  racksDesigned: number;
  racksInUse: number;
  fp32Equivalent: number;
  fp64: number;
  fp32: number;
  fp16: number;
  int8: number;
  storagePb: number;
  annualKwh: number;
  /** Sum of design PUE × designed racks over facilities that report a PUE, for the rack-weighted average. */
  pueRackWeighted: number;
  pueRacks: number;
  pueSum: number;
  pueCount: number;
}

const aggregateColumns = {
  facilities: sql<number>`count(*)::int`,
  inOperation: sql<number>`(count(*) filter (where ${facilities.status} = 'in_operation'))::int`,
  racksDesigned: sql<number>`coalesce(sum(${facilities.racksDesigned}), 0)::float8`,
  racksInUse: sql<number>`coalesce(sum(${facilities.racksInUse}), 0)::float8`,
  fp32Equivalent: sql<number>`coalesce(sum(${facilities.fp32Equivalent}), 0)::float8`,
  fp64: sql<number>`coalesce(sum(${facilities.fp64}), 0)::float8`,
  fp32: sql<number>`coalesce(sum(${facilities.fp32}), 0)::float8`,
  fp16: sql<number>`coalesce(sum(${facilities.fp16}), 0)::float8`,
  int8: sql<number>`coalesce(sum(${facilities.int8}), 0)::float8`,
  storagePb: sql<number>`coalesce(sum(${facilities.storagePb}), 0)::float8`,
  annualKwh: sql<number>`coalesce(sum(${facilities.annualKwh}), 0)::float8`,
  pueRackWeighted: sql<number>`coalesce(sum(coalesce(${facilities.pueMeasured}, ${facilities.pueDesign}) * ${facilities.racksDesigned}) filter (where coalesce(${facilities.pueMeasured}, ${facilities.pueDesign}) is not null), 0)::float8`,
  pueRacks: sql<number>`coalesce(sum(${facilities.racksDesigned}) filter (where coalesce(${facilities.pueMeasured}, ${facilities.pueDesign}) is not null), 0)::float8`,
  pueSum: sql<number>`coalesce(sum(coalesce(${facilities.pueMeasured}, ${facilities.pueDesign})), 0)::float8`,
  pueCount: sql<number>`(count(coalesce(${facilities.pueMeasured}, ${facilities.pueDesign})))::int`,
};

/** Per-region sums behind the computing power index (src/analytics/index-method.ts), facilities in operation only. */
export interface IndexAggregate {
  key: string;
  facilities: number;
  racksDesigned: number;
  racksInUse: number;
  fp32Equivalent: number;
  fp32EquivalentIntelligent: number;
  accelerators: number;
  storagePb: number;
  advancedStoragePb: number;
  egressGbps: number;
  pueRackWeighted: number;
  pueRacks: number;
  annualKwh: number;
  greenKwh: number;
}

/**
 * An exact sum: each row's float8 value is cast to numeric and summed there, so the total does not
 * depend on the order the database scans the rows (float addition does). The index is reproducible to the
 * bit across databases and plans because of this.
 */
const exactSum = (expression: SQL) => sql<number>`coalesce(sum((${expression})::numeric), 0)::float8`;
const pueOf = sql`coalesce(${facilities.pueMeasured}, ${facilities.pueDesign})`;

const indexColumns = {
  facilities: sql<number>`count(*)::int`,
  racksDesigned: exactSum(sql`${facilities.racksDesigned}`),
  racksInUse: exactSum(sql`${facilities.racksInUse}`),
  fp32Equivalent: exactSum(sql`${facilities.fp32Equivalent}`),
  fp32EquivalentIntelligent: exactSum(sql`case when ${facilities.kind} = 'intelligent' then ${facilities.fp32Equivalent} else 0 end`),
  accelerators: exactSum(sql`(select coalesce(sum((line ->> 'count')::numeric), 0) from jsonb_array_elements(${facilities.accelerators}) as line)`),
  storagePb: exactSum(sql`${facilities.storagePb}`),
  advancedStoragePb: exactSum(sql`${facilities.storagePb} * ${facilities.advancedStoragePct} / 100`),
  egressGbps: exactSum(sql`${facilities.egressGbps}`),
  pueRackWeighted: exactSum(sql`case when ${pueOf} is not null then ${pueOf} * ${facilities.racksDesigned} else 0 end`),
  pueRacks: exactSum(sql`case when ${pueOf} is not null then ${facilities.racksDesigned} else 0 end`),
  annualKwh: exactSum(sql`${facilities.annualKwh}`),
  greenKwh: exactSum(sql`${facilities.annualKwh} * ${facilities.greenPowerPct} / 100`),
};

function regionWhere(filter: FacilityFilter) {
  if (!filter.region || !filter.regionLevel) return undefined;
  const column = { province: facilities.provinceCode, city: facilities.cityCode, county: facilities.regionCode }[filter.regionLevel];
  return eq(column, filter.region);
}

export function analyticsStore(db: Db) {
  return {
    totals: async (filter: FacilityFilter): Promise<Aggregate> => {
      const rows = await db.select({ key: sql<string | null>`null`, ...aggregateColumns }).from(facilities).where(regionWhere(filter));
      return rows[0] as Aggregate;
    },
    /** Aggregates per child region: provinces of the country, cities of a province, counties of a city. */
    byChild: async (filter: FacilityFilter, childLevel: 'province' | 'city' | 'county'): Promise<Aggregate[]> => {
      const column = { province: facilities.provinceCode, city: facilities.cityCode, county: facilities.regionCode }[childLevel];
      return (await db
        .select({ key: sql<string | null>`${column}`, ...aggregateColumns })
        .from(facilities)
        .where(and(regionWhere(filter)))
        .groupBy(column)) as Aggregate[];
    },
    /**
     * The index's sums per province or city, facilities in operation only, in code order. With
     * `enteredBefore`, only facilities whose ledger entry was created before that instant. Facilities
     * registered without a city drop out of the city level.
     */
    indexAggregates: async (level: 'province' | 'city', enteredBefore?: Date): Promise<IndexAggregate[]> => {
      const column = level === 'province' ? facilities.provinceCode : facilities.cityCode;
      return (await db
        .select({ key: sql<string>`${column}`, ...indexColumns })
        .from(facilities)
        .where(and(eq(facilities.status, 'in_operation'), sql`${column} is not null`, enteredBefore ? lt(facilities.createdAt, enteredBefore) : undefined))
        .groupBy(column)
        .orderBy(column)) as IndexAggregate[];
    },
    countBy: async (filter: FacilityFilter, by: 'status' | 'kind'): Promise<{ key: string; count: number; racksDesigned: number; fp32Equivalent: number }[]> => {
      const column = by === 'status' ? facilities.status : facilities.kind;
      return db
        .select({
          key: sql<string>`${column}`,
          count: sql<number>`count(*)::int`,
          racksDesigned: sql<number>`coalesce(sum(${facilities.racksDesigned}), 0)::float8`,
          fp32Equivalent: sql<number>`coalesce(sum(${facilities.fp32Equivalent}), 0)::float8`,
        })
        .from(facilities)
        .where(regionWhere(filter))
        .groupBy(column)
        .orderBy(column);
    },
  };
}
