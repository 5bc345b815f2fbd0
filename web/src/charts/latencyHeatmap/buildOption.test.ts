import { describe, expect, it } from 'vitest';
import type { LatencyNode, LatencyPair } from '../../networkTypes.ts';
import { buildHeatmapOption, formatMs, heatmapGrid, nodeLabel } from './buildOption.ts';

const node = (id: string, name: string, nameEn: string | null = null): LatencyNode => ({ id, name, nameEn, lon: null, lat: null, cities: 2 });
const pair = (a: string, b: string, rttMs: number, basis: LatencyPair['basis'] = 'measured'): LatencyPair => ({ a, b, rttMs, oneWayMs: rttMs / 2, minRttMs: rttMs, maxRttMs: rttMs, estimateRttMs: rttMs - 1, cityPairs: 4, measuredPairs: basis === 'estimated' ? 0 : 4, basis, origin: basis === 'estimated' ? null : 'demo' });
const NODES = [node('hub-jingjinji', '京津冀枢纽', 'Beijing–Tianjin–Hebei hub'), node('hub-gansu', '甘肃枢纽', 'Gansu hub'), node('hub-guizhou', '贵州枢纽', 'Guizhou hub')];
const PAIRS = [pair('hub-jingjinji', 'hub-jingjinji', 4.2), pair('hub-jingjinji', 'hub-gansu', 21.5), pair('hub-gansu', 'hub-guizhou', 18, 'estimated')];

describe('latency heat-map', () => {
  it('mirrors each unordered pair into both halves, the diagonal once, missing pairs left empty', () => {
    const grid = heatmapGrid(NODES, PAIRS, 'zh');
    expect(grid.names).toEqual(['京津冀', '甘肃', '贵州']);
    expect(grid.cells).toEqual([
      [0, 0, 4.2, 0],
      [0, 1, 21.5, 1],
      [1, 0, 21.5, 1],
      [1, 2, 18, 2],
      [2, 1, 18, 2],
    ]);
    expect(grid.max).toBe(21.5);
    expect(heatmapGrid(NODES, [], 'en').max).toBe(1);
  });

  it('names nodes in the language of the page', () => {
    expect(nodeLabel(NODES[0]!, 'en')).toBe('Beijing–Tianjin–Hebei');
    expect(nodeLabel(node('140000', '山西省'), 'en')).toBe('山西省');
  });

  it('colours by rtt up to the largest, with values and a tooltip that gives the one-way figure and says how the value was obtained', () => {
    const option = buildHeatmapOption(heatmapGrid(NODES, PAIRS, 'zh'), { tooltip: '{a}–{b} RTT {rtt} ms (单向 {oneWay}, 估算 {estimate}) {basis} {measured}/{pairs}', basis: { measured: '实测', estimated: '估算', mixed: '部分实测' }, unit: 'ms' });
    expect((option.visualMap as { max: number }).max).toBe(22);
    const series = (option.series as { data: unknown[]; label: { show: boolean } }[])[0]!;
    expect(series.data).toHaveLength(5);
    expect(series.label.show).toBe(true);
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(formatter({ data: [1, 2, 18, 2] })).toBe('甘肃–贵州 RTT 18.0 ms (单向 9.00, 估算 17.0) 估算 0/4');
    expect(formatMs(4.2)).toBe('4.20');
  });
});
