/**
 * Pure geography helpers for the china-geojson maps: which file holds a province, and which
 * overview child (from the API) a map feature stands for. No I/O here; loading is in loadMap.ts.
 */
import type { OverviewChild } from '../../types.ts';

/**
 * Province code prefix (GB/T 2260, first two digits) → china-geojson file stem. Checked against
 * the files' own feature ids by geo.test.ts: note shan_xi_1 is 陕西 (61) and shan_xi_2 is 山西 (14).
 */
export const PROVINCE_GEO_FILES: Readonly<Record<string, string>> = {
  '11': 'bei_jing',
  '12': 'tian_jin',
  '13': 'he_bei',
  '14': 'shan_xi_2',
  '15': 'nei_meng_gu',
  '21': 'liao_ning',
  '22': 'ji_lin',
  '23': 'hei_long_jiang',
  '31': 'shang_hai',
  '32': 'jiang_su',
  '33': 'zhe_jiang',
  '34': 'an_hui',
  '35': 'fu_jian',
  '36': 'jiang_xi',
  '37': 'shan_dong',
  '41': 'he_nan',
  '42': 'hu_bei',
  '43': 'hu_nan',
  '44': 'guang_dong',
  '45': 'guang_xi',
  '46': 'hai_nan',
  '50': 'chong_qing',
  '51': 'si_chuan',
  '52': 'gui_zhou',
  '53': 'yun_nan',
  '54': 'xi_zang',
  '61': 'shan_xi_1',
  '62': 'gan_su',
  '63': 'qing_hai',
  '64': 'ning_xia',
  '65': 'xin_jiang',
  '71': 'tai_wan',
  '81': 'xiang_gang',
  '82': 'ao_men',
};

/** The geojson file stem for a region code of any level, or null if there is none. */
export function provinceGeoFile(regionCode: string): string | null {
  return PROVINCE_GEO_FILES[regionCode.slice(0, 2)] ?? null;
}

export interface GeoFeature {
  id?: string | number;
  properties?: { id?: string | number; name?: string; cp?: [number, number] } | null;
}

export interface GeoCollection {
  type: string;
  features: GeoFeature[];
}

export interface FeatureInfo {
  /** The name ECharts uses to join data to the shape. */
  name: string;
  /** The feature's code prefix as in the file: 2 digits (province), 4 (city) or 6 (county); '' if none. */
  code: string;
  centre: [number, number] | null;
}

export function featureInfos(collection: GeoCollection): FeatureInfo[] {
  return collection.features.flatMap((feature) => {
    const name = feature.properties?.name;
    if (!name) return [];
    const rawCode = feature.properties?.id ?? feature.id ?? '';
    return [{ name, code: String(rawCode), centre: feature.properties?.cp ?? null }];
  });
}

/** Full six-digit code of a feature code prefix: '14' → '140000', '1402' → '140200'. */
export function fullCode(prefix: string): string {
  return /^\d{2,6}$/.test(prefix) ? prefix.padEnd(6, '0') : '';
}

/** What a map joins on: any region row with a code and names (the overview's children, the situation's). */
export type MapChild = Pick<OverviewChild, 'code' | 'name' | 'shortName'>;

/**
 * Join map features to the API's children. Names first (the maps are older than some codes,
 * e.g. 毕节地区 is now 毕节市 with a new code), then the code; each child is used once.
 */
export function matchFeatures<T extends MapChild = OverviewChild>(features: FeatureInfo[], children: T[]): Map<string, T> {
  const result = new Map<string, T>();
  const used = new Set<string>();
  const take = (feature: FeatureInfo, child: T | undefined) => {
    if (!child || used.has(child.code) || result.has(feature.name)) return;
    result.set(feature.name, child);
    used.add(child.code);
  };
  for (const feature of features) {
    take(feature, children.find((c) => c.name === feature.name || c.shortName === feature.name));
  }
  for (const feature of features) {
    if (result.has(feature.name)) continue;
    const candidates = children
      .filter((c) => !used.has(c.code) && c.shortName.length >= 2 && (feature.name.startsWith(c.shortName) || c.name.startsWith(feature.name)))
      .sort((a, b) => b.shortName.length - a.shortName.length);
    take(feature, candidates[0]);
  }
  for (const feature of features) {
    if (result.has(feature.name) || !feature.code) continue;
    const code = fullCode(feature.code);
    take(feature, children.find((c) => !used.has(c.code) && c.code === code));
  }
  return result;
}

/** Children the map cannot show (no matching shape): listed under the map so nothing is hidden. */
export function unmatchedChildren(matched: Map<string, OverviewChild>, children: OverviewChild[]): OverviewChild[] {
  const shown = new Set([...matched.values()].map((c) => c.code));
  return children.filter((c) => !shown.has(c.code) && c.facilities > 0);
}

/** A province code (xx0000, not the country): the level whose city map can be drawn and drilled into. */
export const isProvinceCode = (code: string) => /^\d{2}0000$/.test(code) && code !== '000000';
