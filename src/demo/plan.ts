/**
 * Where the demo facilities go and how big they are: facility counts per province, a city and
 * county for each, its kind and status, and designed racks that add up to the published totals.
 */
import type { FacilityKind, FacilityStatus } from '../ledger/types.ts';
import { childrenOf, findRegion, findRegionByNames } from '../regions/dataset.ts';
import type { Region } from '../regions/dataset.ts';
import { groupsOf } from '../regions/groups.ts';
import { allocateWithin, apportion } from './allocate.ts';
import type { Bounds } from './allocate.ts';
import type { Place } from './attributes.ts';
import {
  CITY_WEIGHTS,
  DATONG,
  EXCLUDED_CITIES,
  LARGE_CAMPUS_PROVINCES,
  METRO_CITIES,
  NATIONAL_RACKS,
  PROVINCE_RACK_WEIGHTS,
  SHANXI_RACKS,
  SUPERCOMPUTING_CENTRES,
  WESTERN_CLUSTER_CITIES,
} from './profile.ts';
import type { SupercomputingCentre } from './profile.ts';
import type { Random } from './random.ts';

export interface Draft {
  province: Region;
  city: Region;
  county: Region | null;
  place: Place;
  kind: FacilityKind;
  status: FacilityStatus;
  racksDesigned: number;
  ownerKey: string | null; // preset for 大同 and the supercomputing centres; otherwise picked later
  datong: boolean;
  supercomputing: SupercomputingCentre | null;
}

/** Reference size of the demo: at this many facilities the rack totals are the national ones. */
export const REFERENCE_FACILITIES = 2400;

export interface PlanScale {
  count: number; // facilities / REFERENCE_FACILITIES, for counts
  racks: number; // share of the national rack totals represented
}

export function planScale(facilities: number): PlanScale {
  // Below 2,000 facilities the racks shrink with the count, so sizes stay realistic.
  return { count: facilities / REFERENCE_FACILITIES, racks: Math.min(1, facilities / 2000) };
}

function placeOf(province: Region, city: Region, county: Region | null): Place {
  const groups = groupsOf((county ?? city).code);
  return {
    provinceShort: province.shortName,
    cityShort: city.shortName,
    inHub: groups.some((g) => g.kind === 'hub'),
    inCluster: groups.some((g) => g.kind === 'cluster'),
  };
}

function countyWeight(county: Region, clusterBoost: boolean): number {
  if (/(?:群岛|海域|管委会)$/u.test(county.name)) return 0;
  const base = county.name.endsWith('区') ? 2 : 1;
  return clusterBoost ? base * 6 : base;
}

const countyWeightCache = new Map<string, number[]>();

function pickCounty(random: Random, city: Region): Region | null {
  const counties = childrenOf(city.code);
  if (counties.length === 0) return null;
  let weights = countyWeightCache.get(city.code);
  if (!weights) {
    // Counties named as cluster members (青浦, 吴江, 嘉善) attract their city's data centres.
    weights = counties.map((c) => countyWeight(c, groupsOf(c.code).some((g) => g.kind === 'cluster' && !g.regionCodes.includes(city.code))));
    countyWeightCache.set(city.code, weights);
  }
  const chosen = random.weighted([...counties.keys()], (i) => weights[i] ?? 0);
  return counties[chosen] ?? null;
}

function cityWeights(province: Region, excludeShort: readonly string[]): { city: Region; weight: number }[] {
  const cities = childrenOf(province.code).filter((c) => !EXCLUDED_CITIES.has(c.name) && !excludeShort.includes(c.shortName));
  const table = CITY_WEIGHTS[province.shortName] ?? {};
  const named = cities.filter((c) => table[c.shortName] !== undefined);
  const others = cities.filter((c) => table[c.shortName] === undefined);
  const namedTotal = named.reduce((s, c) => s + (table[c.shortName] ?? 0), 0);
  const rest = table['rest'] ?? (named.length === 0 ? 1 : 0);
  return cities.map((city) => {
    const listed = table[city.shortName];
    // Placeholder groupings of county-level cities (省直辖县级行政区划) count half.
    const placeholder = city.name.includes('直辖县') ? 0.5 : 1;
    const weight = listed !== undefined ? listed : others.length > 0 ? (rest * placeholder) / others.length : 0;
    return { city, weight: namedTotal + rest > 0 ? weight : 1 };
  });
}

function pickKind(random: Random, place: Place): Exclude<FacilityKind, 'supercomputing'> {
  const edge = METRO_CITIES.has(place.cityShort) ? 0.16 : WESTERN_CLUSTER_CITIES.has(place.cityShort) ? 0.04 : 0.1;
  const intelligent = WESTERN_CLUSTER_CITIES.has(place.cityShort) ? 0.5 : place.inCluster ? 0.4 : 0.2;
  const roll = random.next();
  return roll < edge ? 'edge' : roll < edge + intelligent ? 'intelligent' : 'general';
}

const STATUS_MIX: Record<Exclude<FacilityKind, 'supercomputing'>, readonly [FacilityStatus, number][]> = {
  intelligent: [['in_operation', 0.68], ['under_construction', 0.2], ['planned', 0.1], ['decommissioned', 0.02]],
  general: [['in_operation', 0.84], ['under_construction', 0.08], ['planned', 0.04], ['decommissioned', 0.04]],
  edge: [['in_operation', 0.9], ['under_construction', 0.06], ['planned', 0.03], ['decommissioned', 0.01]],
};

function pickStatus(random: Random, kind: Exclude<FacilityKind, 'supercomputing'>, place: Place): FacilityStatus {
  const building = WESTERN_CLUSTER_CITIES.has(place.cityShort) ? 0.08 : 0;
  return random.weighted(STATUS_MIX[kind], ([status, p]) => (status === 'in_operation' ? p - building : status === 'under_construction' ? p + building : p))[0];
}

function sizeWeight(random: Random, kind: FacilityKind, place: Place): number {
  let weight = random.logNormal(1, 0.75);
  if (kind === 'intelligent') weight *= WESTERN_CLUSTER_CITIES.has(place.cityShort) ? 1.6 : 0.8;
  if (place.inCluster) weight *= 1.5;
  return weight;
}

function rackBounds(draft: Draft): Bounds {
  const large = LARGE_CAMPUS_PROVINCES.has(draft.place.provinceShort) && (draft.place.inHub || draft.datong || draft.place.provinceShort === '山西');
  return { min: draft.kind === 'intelligent' ? 300 : 500, max: large ? 30_000 : 15_000 };
}

/** Splits `racks` over the drafts' non-edge facilities; edge nodes get 10–200 racks of their own. */
function sizeDrafts(random: Random, drafts: Draft[], racks: number): void {
  const edges = drafts.filter((d) => d.kind === 'edge');
  for (const edge of edges) edge.racksDesigned = random.int(10, 200);
  const sized = drafts.filter((d) => d.kind !== 'edge');
  const edgeRacks = edges.reduce((s, d) => s + d.racksDesigned, 0);
  const weights = sized.map((d) => sizeWeight(random, d.kind, d.place));
  const parts = allocateWithin(Math.max(0, racks - edgeRacks), weights, sized.map(rackBounds));
  sized.forEach((draft, i) => (draft.racksDesigned = parts[i] ?? 0));
}

function draftIn(random: Random, province: Region, city: Region, kind?: Exclude<FacilityKind, 'supercomputing'>): Draft {
  const county = pickCounty(random, city);
  const place = placeOf(province, city, county);
  const chosenKind = kind ?? pickKind(random, place);
  return {
    province, city, county, place, kind: chosenKind, status: pickStatus(random, chosenKind, place),
    racksDesigned: 0, ownerKey: null, datong: false, supercomputing: null,
  };
}

function provinceDrafts(random: Random, province: Region, count: number, racks: number, excludeCities: readonly string[]): Draft[] {
  if (count <= 0) return [];
  const cities = cityWeights(province, excludeCities);
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const { city } = random.weighted(cities, (c) => c.weight ** 0.85);
    // The first facility of a province is never an edge node, so every province holds racks.
    drafts.push(draftIn(random, province, city, i === 0 ? 'general' : undefined));
  }
  sizeDrafts(random, drafts, racks);
  return drafts;
}

const DATONG_OWNERS: readonly [string, number][] = [['chindata', 4], ['china-mobile', 2], ['china-telecom', 2], ['china-unicom', 1.5], ['shanxi-cloud', 1]];

/** 大同: its published figures are held exactly; the anchor supplier owns about two thirds. */
function datongDrafts(random: Random, datong: Region, province: Region, scale: PlanScale): Draft[] {
  const count = Math.max(3, Math.round(DATONG.facilities * scale.count));
  const building = Math.max(1, Math.round((count * 4) / 60));
  const edges = Math.round((count * 3) / 60);
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i < building ? 'intelligent' : i < building + edges ? 'edge' : random.chance(0.3) ? 'intelligent' : 'general';
    const draft = draftIn(random, province, datong, kind);
    draft.status = i < building ? 'under_construction' : 'in_operation';
    draft.datong = true;
    drafts.push(draft);
  }
  const owned = Math.round(count * 0.65);
  random.shuffle([...drafts.keys()]).forEach((index, rank) => {
    const draft = drafts[index] as Draft;
    draft.ownerKey = rank < owned ? 'datong-supplier' : random.weighted(DATONG_OWNERS, ([, w]) => w)[0];
  });
  sizeDrafts(random, drafts.slice(building), Math.round(DATONG.builtRacks * scale.racks));
  sizeDrafts(random, drafts.slice(0, building), Math.round(DATONG.underConstructionRacks * scale.racks));
  return drafts;
}

function supercomputingDrafts(count: number, scale: PlanScale): Draft[] {
  return SUPERCOMPUTING_CENTRES.slice(0, count).map((centre): Draft => {
    const region = findRegionByNames(centre.path);
    const county = region?.level === 'county' ? region : null;
    const city = county ? findRegion(county.parentCode ?? '') : region;
    const province = region ? findRegion(region.provinceCode) : undefined;
    if (!city || city.level !== 'city' || !province) throw new Error(`supercomputing centre ${centre.name}: no region ${centre.path.join(' / ')}`);
    return {
      province, city, county, place: placeOf(province, city, county),
      kind: 'supercomputing', status: 'in_operation', racksDesigned: Math.max(100, Math.round(centre.racks * scale.racks)),
      ownerKey: centre.name.includes('济南') ? 'inspur' : 'sugon', datong: false, supercomputing: centre,
    };
  });
}

/** All drafts for a dataset of `facilities` facilities. */
export function planFacilities(random: Random, facilities: number): Draft[] {
  const scale = planScale(facilities);
  const provinces = childrenOf(null);
  const shanxi = provinces.find((p) => p.shortName === '山西');
  const datongCity = findRegionByNames(['山西', '大同']);
  if (!shanxi || !datongCity) throw new Error('region dataset lacks 山西 / 大同');

  const superCount = Math.min(SUPERCOMPUTING_CENTRES.length, Math.round(SUPERCOMPUTING_CENTRES.length * scale.count));
  const supers = supercomputingDrafts(superCount, scale);
  const datong = datongDrafts(random.fork('datong'), datongCity, shanxi, scale);
  const datongRacks = datong.reduce((s, d) => s + d.racksDesigned, 0);

  const otherRacks = (NATIONAL_RACKS - SHANXI_RACKS) * scale.racks;
  const weightTotal = Object.values(PROVINCE_RACK_WEIGHTS).reduce((s, w) => s + w, 0);
  const racksOf = (p: Region): number =>
    p === shanxi ? SHANXI_RACKS * scale.racks - datongRacks : (otherRacks * (PROVINCE_RACK_WEIGHTS[p.shortName] ?? 0)) / weightTotal;

  const remaining = Math.max(0, facilities - datong.length - supers.length);
  const minimum = Math.min(Math.floor(remaining / provinces.length), Math.max(1, Math.round(12 * scale.count)));
  // Counts grow slower than racks: big provinces have bigger campuses, not only more of them.
  const counts = apportion(remaining, provinces.map((p) => racksOf(p) ** 0.75), minimum);

  const drafts: Draft[] = [...datong, ...supers];
  provinces.forEach((province, i) => {
    const superRacks = supers.filter((d) => d.province === province).reduce((s, d) => s + d.racksDesigned, 0);
    const exclude = province === shanxi ? [datongCity.shortName] : [];
    drafts.push(...provinceDrafts(random.fork(`province-${province.code}`), province, counts[i] ?? 0, racksOf(province) - superRacks, exclude));
  });
  return drafts;
}
