/**
 * Reading the latency matrix (docs/methods/latency.md): which value stands for a pair of nodes —
 * measured, derived from measured legs, or estimated from geography — the latency circles of a
 * city, the matrix between hubs, provinces or cities, and the worst links. Pure: the caller loads
 * the measured rows, the facilities and the regions.
 *
 * Units: the matrix holds round trips (rttMs) as probes measure them; an estimate is the shared
 * model's round trip (src/network-model.ts: twice the one-way estimate). The circles are one-way
 * (the national convention), so a facility's circle is decided on half its round trip.
 */
import { type CircleKey, circleOfOneWay, estimateRttMs, LATENCY_CIRCLES, type LonLat, oneWayOfRtt, RTT_OVERHEAD_MS } from '../../network-model.ts';

/** Median of the values (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds to three decimals (µs), as every answer reports them. */
export const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

export type NodeKind = 'facility' | 'city';
export type Origin = 'probe' | 'demo';
/** measured: a row of the matrix for this very pair; derived: measured legs joined; estimated: geography only. */
export type Basis = 'measured' | 'derived' | 'estimated';

export interface Measurement {
  source: string;
  target: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  rttMs: number;
  samples: number;
  origin: Origin;
  measuredAt: number;
}

export interface CityNode {
  code: string;
  name: string;
  provinceCode: string;
  point: LonLat;
}

export interface FacilityNode {
  id: string;
  computeId: string;
  name: string;
  regionCode: string;
  /** The facility's city (GB/T 2260), null when it was registered at province level. */
  cityCode: string | null;
  /** Its own coordinates, else its county's or city's point. */
  point: LonLat;
  racksDesigned: number;
  racksInUse: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`);

export interface MatrixIndex {
  /** The newest measurement of each unordered pair of nodes. */
  pairs: Map<string, Measurement>;
  /** City pairs measured directly (city ↔ city rows). */
  cityDirect: Map<string, Measurement>;
  /** City pairs measured through facilities in them (facility ↔ city or facility ↔ facility rows): the rtts. */
  cityViaFacilities: Map<string, { values: number[]; newest: Measurement }>;
  /** Facility id → its city code, for the facilities of the ledger. */
  facilityCity: Map<string, string | null>;
}

/**
 * Indexes the measured rows. A pair is symmetric: of its two directions the newer measurement
 * counts. Rows naming a facility that is not (or no longer) in `facilities` are left out.
 */
export function indexMeasurements(rows: readonly Measurement[], facilities: readonly FacilityNode[]): MatrixIndex {
  const facilityCity = new Map(facilities.map((f) => [f.id, f.cityCode]));
  const pairs = new Map<string, Measurement>();
  for (const row of rows) {
    if (row.source === row.target) continue;
    if ((row.sourceKind === 'facility' && !facilityCity.has(row.source)) || (row.targetKind === 'facility' && !facilityCity.has(row.target))) continue;
    const key = pairKey(row.source, row.target);
    const existing = pairs.get(key);
    if (!existing || existing.measuredAt < row.measuredAt) pairs.set(key, row);
  }
  const cityDirect = new Map<string, Measurement>();
  const cityViaFacilities = new Map<string, { values: number[]; newest: Measurement }>();
  const cityOfNode = (id: string, kind: NodeKind) => (kind === 'city' ? id : (facilityCity.get(id) ?? null));
  for (const row of pairs.values()) {
    const a = cityOfNode(row.source, row.sourceKind);
    const b = cityOfNode(row.target, row.targetKind);
    if (!a || !b || a === b) continue;
    const key = pairKey(a, b);
    if (row.sourceKind === 'city' && row.targetKind === 'city') {
      cityDirect.set(key, row);
      continue;
    }
    const entry = cityViaFacilities.get(key);
    if (!entry) cityViaFacilities.set(key, { values: [row.rttMs], newest: row });
    else {
      entry.values.push(row.rttMs);
      if (entry.newest.measuredAt < row.measuredAt) entry.newest = row;
    }
  }
  return { pairs, cityDirect, cityViaFacilities, facilityCity };
}

export interface PairValue {
  /** Round trip, ms: measured, derived from measured legs, or the model's round-trip estimate. */
  rttMs: number;
  basis: Basis;
  /** Where the measured part comes from; null for an estimate. */
  origin: Origin | null;
}

/** A measured city pair: the city ↔ city row, else the median of measurements between facilities in them. */
export function measuredCityPair(index: MatrixIndex, a: string, b: string): PairValue | null {
  if (a === b) return null;
  const key = pairKey(a, b);
  const direct = index.cityDirect.get(key);
  if (direct) return { rttMs: direct.rttMs, basis: 'measured', origin: direct.origin };
  const via = index.cityViaFacilities.get(key);
  if (via) return { rttMs: median(via.values), basis: 'measured', origin: via.newest.origin };
  return null;
}

/** A city pair: measured when it can be, else estimated between the cities' centroids. */
export function cityPair(index: MatrixIndex, a: CityNode, b: CityNode): PairValue {
  return measuredCityPair(index, a.code, b.code) ?? { rttMs: estimateRttMs(a.point, b.point), basis: 'estimated', origin: null };
}

/**
 * From a city's PoP to a facility, in order of preference:
 * 1. measured: a row between the city and the facility;
 * 2. derived: the measured city pair (the city, the facility's city) plus what the facility's
 *    access leg (its row with its own city, else the estimate from its city's centroid) adds beyond
 *    the model's fixed round-trip overhead, which the measured pair already holds (never less than
 *    the measured pair);
 * 3. estimated: from the city's centroid to the facility's point.
 */
export function cityToFacility(index: MatrixIndex, city: CityNode, facility: FacilityNode, cities: ReadonlyMap<string, CityNode>): PairValue {
  const direct = index.pairs.get(pairKey(city.code, facility.id));
  if (direct) return { rttMs: direct.rttMs, basis: 'measured', origin: direct.origin };
  const home = facility.cityCode ? cities.get(facility.cityCode) : undefined;
  if (home && home.code !== city.code) {
    const leg = measuredCityPair(index, city.code, home.code);
    if (leg) {
      const access = index.pairs.get(pairKey(home.code, facility.id))?.rttMs ?? estimateRttMs(home.point, facility.point);
      return { rttMs: leg.rttMs + Math.max(0, access - RTT_OVERHEAD_MS), basis: 'derived', origin: leg.origin };
    }
  }
  return { rttMs: estimateRttMs(city.point, facility.point), basis: 'estimated', origin: null };
}

// ---------------------------------------------------------------- circles

export interface CircleEntry {
  facility: FacilityNode;
  value: PairValue;
  /** Half the round trip: what the circles are drawn on. */
  oneWayMs: number;
  circle: CircleKey;
}

export interface CircleSummary {
  key: CircleKey;
  /** The circle's bound, one-way ms. */
  maxOneWayMs: number;
  facilities: number;
  racksDesigned: number;
  racksInUse: number;
  byBasis: Record<Basis, number>;
}

export interface CirclesResult {
  /** Cumulative: the 5 ms circle includes the facilities within 1 ms. */
  circles: CircleSummary[];
  /** Every facility within the widest circle, nearest first (ties by compute ID). */
  entries: CircleEntry[];
}

/** The facilities a city reaches within each latency circle, by one-way latency (half the round trip). */
export function computeCircles(index: MatrixIndex, city: CityNode, facilities: readonly FacilityNode[], cities: ReadonlyMap<string, CityNode>): CirclesResult {
  const entries: CircleEntry[] = [];
  for (const facility of facilities) {
    const value = cityToFacility(index, city, facility, cities);
    const oneWayMs = oneWayOfRtt(value.rttMs);
    const circle = circleOfOneWay(oneWayMs);
    if (circle) entries.push({ facility, value, oneWayMs, circle });
  }
  entries.sort((a, b) => a.oneWayMs - b.oneWayMs || (a.facility.computeId < b.facility.computeId ? -1 : a.facility.computeId > b.facility.computeId ? 1 : 0));
  const circles = LATENCY_CIRCLES.map((circle) => {
    const inside = entries.filter((e) => e.oneWayMs <= circle.maxOneWayMs);
    const byBasis: Record<Basis, number> = { measured: 0, derived: 0, estimated: 0 };
    for (const e of inside) byBasis[e.value.basis] += 1;
    return {
      key: circle.key,
      maxOneWayMs: circle.maxOneWayMs,
      facilities: inside.length,
      racksDesigned: inside.reduce((sum, e) => sum + e.facility.racksDesigned, 0),
      racksInUse: inside.reduce((sum, e) => sum + e.facility.racksInUse, 0),
      byBasis,
    };
  });
  return { circles, entries };
}

// ---------------------------------------------------------------- the matrix between groups

export interface GroupNode {
  id: string;
  name: string;
  /** The cities that stand for the group (those hosting facilities, else all of its cities). */
  cities: CityNode[];
}

export interface GroupPair {
  a: string;
  b: string;
  /** Median round trip over the city pairs between (or, for a = b, within) the groups. */
  rttMs: number;
  /** Half of rttMs: the one-way figure the circles and demand bounds use. */
  oneWayMs: number;
  minRttMs: number;
  maxRttMs: number;
  /** Median of the round-trip estimates of the same city pairs, for comparison. */
  estimateRttMs: number;
  cityPairs: number;
  measuredPairs: number;
  basis: 'measured' | 'estimated' | 'mixed';
  origin: Origin | null;
}

/**
 * The value of every unordered pair of groups, a ≤ b in the given order: the median over the city
 * pairs (c1 in a, c2 in b, c1 ≠ c2) of the measured value, else the estimate. Within a group
 * (a = b) over its distinct city pairs; left out when a group has a single city.
 */
export function groupMatrix(index: MatrixIndex, groups: readonly GroupNode[], options: { diagonal: boolean }): GroupPair[] {
  const out: GroupPair[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = options.diagonal ? i : i + 1; j < groups.length; j++) {
      const a = groups[i];
      const b = groups[j];
      const values: number[] = [];
      const estimates: number[] = [];
      let measured = 0;
      const origins = new Set<Origin>();
      const add = (c1: CityNode, c2: CityNode) => {
        const estimate = estimateRttMs(c1.point, c2.point);
        const m = measuredCityPair(index, c1.code, c2.code);
        estimates.push(estimate);
        values.push(m ? m.rttMs : estimate);
        if (m) {
          measured += 1;
          if (m.origin) origins.add(m.origin);
        }
      };
      if (i === j) {
        for (let x = 0; x < a.cities.length; x++) for (let y = x + 1; y < a.cities.length; y++) add(a.cities[x], a.cities[y]);
      } else {
        for (const c1 of a.cities) for (const c2 of b.cities) if (c1.code !== c2.code) add(c1, c2);
      }
      if (values.length === 0) continue;
      const rttMs = median(values);
      out.push({
        a: a.id,
        b: b.id,
        rttMs,
        oneWayMs: oneWayOfRtt(rttMs),
        minRttMs: Math.min(...values),
        maxRttMs: Math.max(...values),
        estimateRttMs: median(estimates),
        cityPairs: values.length,
        measuredPairs: measured,
        basis: measured === 0 ? 'estimated' : measured === values.length ? 'measured' : 'mixed',
        origin: origins.has('probe') ? 'probe' : origins.has('demo') ? 'demo' : null,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- worst links

export interface WorstLink {
  measurement: Measurement;
  /** The model's round trip between the two nodes' points. */
  estimateRttMs: number;
  /** rtt − estimate: how much slower the link's round trip is than its geography predicts. */
  excessRttMs: number;
}

/**
 * The measured links that exceed their geographic estimate the most (excess = rtt − round-trip estimate),
 * of those whose two ends `inScope` accepts; at most `limit`.
 */
export function worstLinks(
  index: MatrixIndex,
  pointOf: (id: string, kind: NodeKind) => LonLat | null,
  inScope: (m: Measurement) => boolean,
  limit: number,
): WorstLink[] {
  const links: WorstLink[] = [];
  for (const m of index.pairs.values()) {
    if (!inScope(m)) continue;
    const a = pointOf(m.source, m.sourceKind);
    const b = pointOf(m.target, m.targetKind);
    if (!a || !b) continue;
    const estimate = estimateRttMs(a, b);
    links.push({ measurement: m, estimateRttMs: estimate, excessRttMs: m.rttMs - estimate });
  }
  links.sort((x, y) => y.excessRttMs - x.excessRttMs || (x.measurement.source + x.measurement.target < y.measurement.source + y.measurement.target ? -1 : 1));
  return links.slice(0, limit);
}
