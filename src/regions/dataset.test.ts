import { describe, expect, it } from 'vitest';
import { ancestorsOf, childrenOf, describePath, findRegion, findRegionByNames, isWithin, loadRegions, regionIndex } from './dataset.ts';
import { cityShortName, countyShortName, provinceShortName } from './shortName.ts';

describe('region dataset', () => {
  it('has the 31 mainland provinces with six-digit codes and ECharts short names', () => {
    const provinces = childrenOf(null);
    expect(provinces).toHaveLength(31);
    expect(provinces.every((p) => /^\d{2}0000$/.test(p.code) && p.level === 'province' && p.parentCode === null)).toBe(true);
    const shortNames = provinces.map((p) => p.shortName);
    for (const name of ['北京', '内蒙古', '广西', '新疆', '宁夏', '西藏', '黑龙江', '山西']) expect(shortNames).toContain(name);
    expect(provinces.every((p) => p.lon !== null && p.lat !== null)).toBe(true);
  });

  it('places 大同 under 山西 with coordinates near the city', () => {
    const datong = findRegion('140200');
    expect(datong).toMatchObject({ name: '大同市', shortName: '大同', level: 'city', parentCode: '140000', provinceCode: '140000', cityCode: '140200' });
    expect(Math.abs((datong?.lon ?? 0) - 113.3)).toBeLessThan(0.6);
    expect(Math.abs((datong?.lat ?? 0) - 40.1)).toBeLessThan(0.6);
    expect(findRegion('140213')).toMatchObject({ name: '平城区', level: 'county', parentCode: '140200', cityCode: '140200' });
  });

  it('gives every county an existing parent city, and every code once', () => {
    const index = regionIndex();
    const regions = loadRegions();
    expect(index.size).toBe(regions.length);
    for (const county of regions.filter((r) => r.level === 'county')) {
      const city = index.get(county.parentCode ?? '');
      expect(city?.level, county.code).toBe('city');
      expect(city?.parentCode).toBe(county.provinceCode);
      expect(county.lon).not.toBeNull();
    }
  });

  it('names the municipalities’ placeholder cities after the municipality', () => {
    expect(findRegion('110100')).toMatchObject({ name: '北京市', shortName: '北京', level: 'city' });
    expect(findRegion('500100')?.name).toBe('重庆市');
    for (const province of childrenOf(null)) expect(childrenOf(province.code).length, province.name).toBeGreaterThan(0);
  });

  it('keeps county points within 0.2° of their city unless the map draws them', () => {
    const county = findRegion('140221'); // 阳高县
    const city = findRegion('140200');
    const distance = Math.hypot((county?.lon ?? 0) - (city?.lon ?? 0), (county?.lat ?? 0) - (city?.lat ?? 0));
    expect(distance).toBeGreaterThan(0);
    expect(distance).toBeLessThanOrEqual(0.2001);
  });

  it('answers containment', () => {
    expect(isWithin('140213', '140213')).toBe(true);
    expect(isWithin('140213', '140200')).toBe(true);
    expect(isWithin('140213', '140000')).toBe(true);
    expect(isWithin('140200', '140213')).toBe(false);
    expect(isWithin('140213', '320000')).toBe(false);
    expect(isWithin('999999', '999999')).toBe(false);
    expect(isWithin('441900', '440000')).toBe(true); // 东莞 has no districts and must not loop
  });

  it('describes paths and finds regions by names', () => {
    expect(describePath('140213')).toEqual(['山西省', '大同市', '平城区']);
    expect(describePath('110105')).toEqual(['北京市', '朝阳区']);
    expect(describePath('nope')).toEqual([]);
    expect(ancestorsOf('140213').map((r) => r.code)).toEqual(['140000', '140200', '140213']);
    expect(findRegionByNames(['山西', '大同'])?.code).toBe('140200');
    expect(findRegionByNames(['上海', '青浦区'])?.code).toBe('310118');
    expect(findRegionByNames(['山西', '苏州'])).toBeUndefined();
  });

  it('is memoised', () => {
    expect(loadRegions()).toBe(loadRegions());
    expect(regionIndex()).toBe(regionIndex());
  });
});

describe('short names', () => {
  it('strips administrative and ethnic suffixes', () => {
    expect(provinceShortName('广西壮族自治区')).toBe('广西');
    expect(provinceShortName('内蒙古自治区')).toBe('内蒙古');
    expect(provinceShortName('新疆维吾尔自治区')).toBe('新疆');
    expect(cityShortName('黔东南苗族侗族自治州')).toBe('黔东南');
    expect(cityShortName('伊犁哈萨克自治州')).toBe('伊犁');
    expect(cityShortName('锡林郭勒盟')).toBe('锡林郭勒');
    expect(cityShortName('阿克苏地区')).toBe('阿克苏');
    expect(countyShortName('石柱土家族自治县')).toBe('石柱');
    expect(countyShortName('城区')).toBe('城区');
    expect(countyShortName('山西大同经济开发区')).toBe('山西大同经济开发区');
  });
});
