/** Loads and registers the china-geojson maps with ECharts: the country at once, provinces on demand. */
import chinaGeo from 'china-geojson/src/geojson/china.json';
import { echarts } from '../echarts.ts';
import { featureInfos, provinceGeoFile, type FeatureInfo, type GeoCollection } from './geo.ts';

// Vite turns this into one lazily loaded chunk per province file.
const provinceLoaders = import.meta.glob<GeoCollection>('../../../../node_modules/china-geojson/src/geojson/*_geo.json', { import: 'default' });

export interface LoadedMap {
  mapName: string;
  features: FeatureInfo[];
}

const loaded = new Map<string, LoadedMap>();

type RegisterMapInput = Parameters<typeof echarts.registerMap>[1];

function register(mapName: string, collection: GeoCollection): LoadedMap {
  const existing = loaded.get(mapName);
  if (existing) return existing;
  echarts.registerMap(mapName, collection as unknown as RegisterMapInput);
  const map = { mapName, features: featureInfos(collection) };
  loaded.set(mapName, map);
  return map;
}

export function loadChinaMap(): LoadedMap {
  return register('china', chinaGeo as unknown as GeoCollection);
}

/** The map of a province (its cities), or null when china-geojson has no file for the code. */
export async function loadProvinceMap(provinceCode: string): Promise<LoadedMap | null> {
  const stem = provinceGeoFile(provinceCode);
  if (!stem) return null;
  const mapName = `province-${provinceCode.slice(0, 2)}`;
  const cached = loaded.get(mapName);
  if (cached) return cached;
  const loader = Object.entries(provinceLoaders).find(([path]) => path.endsWith(`/${stem}_geo.json`))?.[1];
  if (!loader) return null;
  return register(mapName, await loader());
}
