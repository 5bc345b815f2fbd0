import { describe, expect, it } from 'vitest';
import type { OverviewChild } from '../../types.ts';
import { buildTopBarOption, rankChildren } from './buildOption.ts';

const child = (code: string, shortName: string, racksDesigned: number, facilities = 1): OverviewChild => ({
  code,
  name: `${shortName}市`,
  shortName,
  facilities,
  racksDesigned,
  racksInUse: racksDesigned / 2,
  rackUtilization: racksDesigned ? 0.5 : null,
  fp32Equivalent: racksDesigned * 1000,
  fp16: 0,
});

describe('rankChildren', () => {
  it('ranks largest first, drops regions without facilities, keeps at most the limit', () => {
    const children = Array.from({ length: 14 }, (_, i) => child(`14${String(i + 1).padStart(2, '0')}00`, `城${i}`, i * 10));
    children.push(child('149900', '空', 9999, 0));
    const ranked = rankChildren(children, 'racksDesigned');
    expect(ranked).toHaveLength(10);
    expect(ranked[0]).toEqual({ code: '141400', label: '城13', value: 130 });
    expect(ranked.some((r) => r.code === '149900')).toBe(false);
  });
});

describe('buildTopBarOption', () => {
  it('puts labels on the category axis and scales compute to one unit', () => {
    const option = buildTopBarOption({
      children: [child('140200', '大同', 300), child('140100', '太原', 100)],
      measure: 'fp32Equivalent',
      measureLabel: '算力',
      racksUnit: '架',
      lang: 'zh',
    });
    expect((option.yAxis as { data: string[] }).data).toEqual(['大同', '太原']);
    const series = option.series as { data: { value: number; code: string }[] }[];
    expect(series[0]!.data).toEqual([
      { value: 300, code: '140200' },
      { value: 100, code: '140100' },
    ]);
  });

  it('shows utilisation in percent', () => {
    const option = buildTopBarOption({ children: [child('140200', '大同', 300)], measure: 'rackUtilization', measureLabel: '上架率', racksUnit: '架', lang: 'en' });
    const series = option.series as { data: { value: number }[] }[];
    expect(series[0]!.data[0]!.value).toBe(50);
  });
});
