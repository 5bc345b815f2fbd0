/**
 * Representative points for regions, read from the china-geojson package (the maps ECharts draws),
 * so that a facility registered without coordinates still lands inside the right shape on the map.
 */
import { createRequire } from 'node:module';

export type LonLat = readonly [number, number];

interface GeoFeatureProperties {
  id?: string;
  name?: string;
  cp?: [number, number];
  longitude?: number;
  latitude?: number;
}
interface GeoCollection {
  features: { properties: GeoFeatureProperties }[];
}

const require = createRequire(import.meta.url);

// china-geojson's index maps the ECharts short province name (山西, 内蒙古 …) to that province's
// collection of prefecture-level (or, for municipalities, district-level) features.
let provinceMaps: Record<string, GeoCollection> | undefined;
function geoByProvince(): Record<string, GeoCollection> {
  provinceMaps ??= require('china-geojson') as Record<string, GeoCollection>;
  return provinceMaps;
}

function pointOf(properties: GeoFeatureProperties): LonLat | null {
  if (properties.cp) return [properties.cp[0], properties.cp[1]];
  if (typeof properties.longitude === 'number' && typeof properties.latitude === 'number') {
    return [properties.longitude, properties.latitude];
  }
  return null;
}

/** Province point by the two-digit province id, falling back to the short name. */
export function provincePoint(provinceId: string, shortName: string): LonLat | null {
  const china = geoByProvince()['China'];
  if (!china) return null;
  const feature =
    china.features.find((f) => f.properties.id === provinceId) ??
    china.features.find((f) => f.properties.name === shortName);
  return feature ? pointOf(feature.properties) : null;
}

/**
 * A feature of a province's map by any of the given names. The maps date from around 2010, so a few
 * prefectures carry their former names (襄阳 was 襄樊); FORMER_NAMES bridges those.
 */
export function featurePoint(provinceShortName: string, names: readonly string[]): LonLat | null {
  const collection = geoByProvince()[provinceShortName];
  if (!collection) return null;
  const wanted = new Set(names.flatMap((name) => [name, ...(FORMER_NAMES[name] ?? [])]));
  for (const feature of collection.features) {
    const name = feature.properties.name;
    if (name && wanted.has(name)) return pointOf(feature.properties);
  }
  return null;
}

const FORMER_NAMES: Record<string, readonly string[]> = {
  襄阳市: ['襄樊市'],
  毕节市: ['毕节地区'],
  铜仁市: ['铜仁地区'],
  海东市: ['海东地区'],
  哈密市: ['哈密地区'],
  吐鲁番市: ['吐鲁番地区'],
  日喀则市: ['日喀则地区'],
  昌都市: ['昌都地区'],
  林芝市: ['林芝地区'],
  山南市: ['山南地区'],
  那曲市: ['那曲地区'],
};

/** FNV-1a, to derive stable per-code offsets without randomness. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Offsets a point by at most `maxDegrees` (Euclidean, in degrees) in a direction and distance that
 * depend only on `code`, so the counties of one city do not stack on one pixel yet never move between runs.
 */
export function offsetPoint(point: LonLat, code: string, maxDegrees = 0.2): LonLat {
  const h = hash32(code);
  const angle = ((h & 0xffff) / 0x10000) * 2 * Math.PI;
  const radius = maxDegrees * (0.25 + 0.75 * ((h >>> 16) / 0x10000));
  return [round4(point[0] + radius * Math.cos(angle)), round4(point[1] + radius * Math.sin(angle))];
}

function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
