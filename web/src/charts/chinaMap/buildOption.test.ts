import { describe, expect, it } from 'vitest';
import type { OverviewChild } from '../../types.ts';
import { buildMapOption, type MapDatum } from './buildOption.ts';

const child = (code: string, name: string, racksDesigned: number, rackUtilization: number | null): OverviewChild => ({
  code,
  name,
  shortName: name,
  facilities: 3,
  racksDesigned,
  racksInUse: 0,
  rackUtilization,
  fp32Equivalent: racksDesigned * 10,
  fp16: 0,
});

const labels = { measure: '设计机架', racksUnit: '架', facilities: '设施', noData: '暂无数据' };
const features = [
  { name: '山西', code: '14', centre: null },
  { name: '江苏', code: '32', centre: null },
  { name: '西藏', code: '54', centre: null },
];
const matched = new Map([
  ['山西', child('140000', '山西', 5000, 0.8)],
  ['江苏', child('320000', '江苏', 2000, null)],
]);

function seriesData(option: ReturnType<typeof buildMapOption>): MapDatum[] {
  const series = option.series as { data: MapDatum[]; map: string }[];
  return series[0]!.data;
}

describe('buildMapOption', () => {
  it('gives one datum per matched feature, named as on the map', () => {
    const option = buildMapOption({ mapName: 'china', features, matched, measure: 'racksDesigned', labels, lang: 'zh', showLabels: false });
    expect(seriesData(option)).toEqual([
      { name: '山西', value: 5000, code: '140000', facilities: 3 },
      { name: '江苏', value: 2000, code: '320000', facilities: 3 },
    ]);
    expect((option.series as { map: string }[])[0]!.map).toBe('china');
    expect((option.visualMap as { max: number }).max).toBe(5000);
  });

  it('scales utilisation from 0 to 100% whatever the data', () => {
    const option = buildMapOption({ mapName: 'china', features, matched, measure: 'rackUtilization', labels, lang: 'zh', showLabels: false });
    expect((option.visualMap as { max: number; text: string[] }).max).toBe(1);
    expect((option.visualMap as { text: string[] }).text).toEqual(['100%', '0%']);
    expect(seriesData(option).map((d) => d.value)).toEqual([0.8, 0]);
  });

  it('shows compute in the unit of the largest figure', () => {
    const option = buildMapOption({ mapName: 'china', features, matched, measure: 'fp32Equivalent', labels, lang: 'en', showLabels: false });
    expect((option.visualMap as { text: string[] }).text[0]).toBe('50 PFLOPS');
  });

  it('keeps a usable scale when there is no data', () => {
    const option = buildMapOption({ mapName: 'china', features, matched: new Map(), measure: 'racksDesigned', labels, lang: 'zh', showLabels: true });
    expect(seriesData(option)).toEqual([]);
    expect((option.visualMap as { max: number }).max).toBe(1);
  });

  it('writes a tooltip that escapes names and says when there is no data', () => {
    const option = buildMapOption({ mapName: 'china', features, matched, measure: 'racksDesigned', labels, lang: 'zh', showLabels: false });
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(formatter({ name: '山西', data: seriesData(option)[0] })).toContain('5,000 架');
    expect(formatter({ name: '<西藏>', data: null })).toBe('&#60;西藏&#62;<br/>暂无数据');
  });
});
