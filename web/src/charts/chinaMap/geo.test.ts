import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OverviewChild } from '../../types.ts';
import { PROVINCE_GEO_FILES, featureInfos, fullCode, matchFeatures, provinceGeoFile, unmatchedChildren, type GeoCollection } from './geo.ts';

const geoDir = join(dirname(createRequire(import.meta.url).resolve('china-geojson/package.json')), 'src', 'geojson');
const readGeo = (file: string) => JSON.parse(readFileSync(join(geoDir, file), 'utf8')) as GeoCollection;

const child = (code: string, name: string, shortName: string, facilities = 1): OverviewChild => ({
  code,
  name,
  shortName,
  facilities,
  racksDesigned: 100,
  racksInUse: 50,
  rackUtilization: 0.5,
  fp32Equivalent: 1000,
  fp16: 2000,
});

describe('province geojson files', () => {
  it('cover every province of the national map', () => {
    const provinces = featureInfos(readGeo('china.json')).filter((f) => /^\d{2}$/.test(f.code));
    expect(provinces.length).toBeGreaterThanOrEqual(32);
    for (const province of provinces) expect(PROVINCE_GEO_FILES[province.code], province.name).toBeDefined();
  });

  it.each(Object.entries(PROVINCE_GEO_FILES))('code %s is the file whose features carry that code', (code, stem) => {
    const features = featureInfos(readGeo(`${stem}_geo.json`));
    expect(features.length).toBeGreaterThan(0);
    for (const feature of features) expect(feature.code.slice(0, 2)).toBe(code);
  });

  it('tells 山西 (14) from 陕西 (61)', () => {
    expect(provinceGeoFile('140200')).toBe('shan_xi_2');
    expect(provinceGeoFile('610000')).toBe('shan_xi_1');
    expect(provinceGeoFile('990000')).toBeNull();
  });
});

describe('matchFeatures', () => {
  it('joins short province names on the national map', () => {
    const features = featureInfos(readGeo('china.json'));
    const matched = matchFeatures(features, [child('140000', '山西省', '山西'), child('320000', '江苏省', '江苏')]);
    expect(matched.get('山西')?.code).toBe('140000');
    expect(matched.get('江苏')?.code).toBe('320000');
    expect(matched.has('陕西')).toBe(false);
  });

  it('joins city names with or without the suffix, and renamed cities by name', () => {
    const features = [
      { name: '大同市', code: '1402', centre: null },
      { name: '毕节地区', code: '5224', centre: null },
      { name: '襄樊市', code: '4206', centre: null },
    ];
    const matched = matchFeatures(features, [child('140200', '大同市', '大同'), child('520500', '毕节市', '毕节'), child('420600', '襄阳市', '襄阳')]);
    expect(matched.get('大同市')?.code).toBe('140200');
    expect(matched.get('毕节地区')?.code).toBe('520500');
    expect(matched.get('襄樊市')?.code).toBe('420600');
  });

  it('uses each child once and reports what the map cannot show', () => {
    const children = [child('140200', '大同市', '大同'), child('149900', '新区', '新区', 2), child('149800', '空区', '空区', 0)];
    const matched = matchFeatures([{ name: '大同市', code: '1402', centre: null }], children);
    expect(unmatchedChildren(matched, children).map((c) => c.code)).toEqual(['149900']);
  });

  it('pads feature codes to six digits', () => {
    expect(fullCode('14')).toBe('140000');
    expect(fullCode('1402')).toBe('140200');
    expect(fullCode('')).toBe('');
  });
});
