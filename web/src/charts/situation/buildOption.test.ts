import { describe, expect, it } from 'vitest';
import type { SituationChild, SituationPoint } from '../../features/situation/types.ts';
import { buildSituationMapOption, buildSituationTrendOption } from './buildOption.ts';

const empty = { rackUtilization: 0, itPowerKw: 0, pue: 0, acceleratorUtilization: 0, accelerators: 0, availability: 0 };
const child = (code: string, name: string, weighted: number | null, withheld: SituationChild['withheld'] = []): SituationChild => ({
  code,
  name,
  shortName: name.replace(/省$/, ''),
  lon: null,
  lat: null,
  facilities: { registered: 3, inOperation: 3, connected: 2, reporting: 2, silent: 0 },
  rackUtilization: { average: weighted, weighted },
  itPowerKw: weighted === null ? null : 1500,
  pue: weighted === null ? null : 1.3,
  acceleratorUtilization: null,
  accelerators: { healthy: null, total: null },
  availability: null,
  contributors: empty,
  withheld,
});
const labels = { measure: '上架率', reporting: '上报', itPower: 'IT 功率', pue: 'PUE', noData: '暂无数据', withheld: '不公开' };

describe('buildSituationMapOption', () => {
  const features = [
    { name: '山西', code: '14', centre: null },
    { name: '江苏', code: '32', centre: null },
    { name: '北京', code: '11', centre: null },
  ];
  const matched = new Map([
    ['山西', child('140000', '山西省', 0.625)],
    ['江苏', child('320000', '江苏省', null, ['rackUtilization', 'itPowerKw', 'pue'])],
  ]);
  const option = buildSituationMapOption({ mapName: 'china', features, matched, measure: 'rackUtilization', labels, lang: 'zh', showLabels: false });
  const series = (option.series as { data: { name: string; value: number; code: string }[] }[])[0]!;

  it('colours regions with a value in percent and leaves withheld and empty ones grey', () => {
    expect(series.data).toEqual([{ name: '山西', value: 62.5, code: '140000' }]);
    expect(option.visualMap).toMatchObject({ min: 0, max: 100 });
  });

  it('says in the tooltip what is withheld', () => {
    const format = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(format({ name: '山西' })).toContain('上架率: 62.5%');
    expect(format({ name: '山西' })).toContain('IT 功率: 1.50 MW');
    expect(format({ name: '江苏' })).toContain('上架率: 不公开');
    expect(format({ name: '北京' })).toBe('北京<br/>暂无数据');
  });
});

describe('buildSituationTrendOption', () => {
  const point = (ts: string, kw: number | null, rack: number | null, accelerator: number | null = null): SituationPoint => ({
    ...child('x', 'x', rack),
    ts,
    facilities: 2,
    itPowerKw: kw,
    acceleratorUtilization: accelerator,
  });

  it('draws IT power in MW and the utilisation in percent, with gaps where values are missing', () => {
    const option = buildSituationTrendOption([point('2026-11-26T11:00:00Z', 6500, 0.666667), point('2026-11-26T11:05:00Z', null, null)], { itPower: 'IT', rackUtilization: 'R', acceleratorUtilization: 'A' }, 'en');
    const series = option.series as { name: string; data: [number, number | null][] }[];
    expect(series.map((s) => s.name)).toEqual(['IT', 'R']);
    expect(series[0]!.data).toEqual([[Date.parse('2026-11-26T11:00:00Z'), 6.5], [Date.parse('2026-11-26T11:05:00Z'), null]]);
    expect(series[1]!.data[0]![1]).toBe(66.7);
  });

  it('adds accelerator utilisation when the region has it', () => {
    const option = buildSituationTrendOption([point('2026-11-26T11:00:00Z', 1, 0.5, 0.42)], { itPower: 'IT', rackUtilization: 'R', acceleratorUtilization: 'A' }, 'en');
    const series = option.series as { name: string; data: [number, number | null][] }[];
    expect(series[2]).toMatchObject({ name: 'A', data: [[Date.parse('2026-11-26T11:00:00Z'), 42]] });
  });
});
