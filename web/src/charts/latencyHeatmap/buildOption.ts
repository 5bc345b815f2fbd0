/**
 * The latency heat-map: nodes (hubs or provinces) × nodes, each cell the median round trip (RTT) in
 * ms between them (the diagonal: within the node); the tooltip adds the one-way figure (RTT / 2) the
 * latency circles use. Symmetric: the API sends each unordered pair once. Pure, so the tests need no
 * browser.
 */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../format.ts';
import type { LatencyNode, LatencyPair } from '../../networkTypes.ts';

export interface HeatmapLabels {
  /** Tooltip with {a}, {b}, {rtt}, {oneWay}, {estimate} (round trip), {basis}, {measured}, {pairs} placeholders. */
  tooltip: string;
  basis: Record<LatencyPair['basis'], string>;
  unit: string;
}

export interface HeatmapGrid {
  names: string[];
  /** [column, row, rttMs, pair index] for both halves of the matrix. */
  cells: [number, number, number, number][];
  pairs: LatencyPair[];
  max: number;
}

export const nodeLabel = (node: LatencyNode, lang: Lang) => (lang === 'en' && node.nameEn ? node.nameEn.replace(/ hub$/, '') : node.name.replace(/枢纽$/, ''));

export function heatmapGrid(nodes: readonly LatencyNode[], pairs: readonly LatencyPair[], lang: Lang): HeatmapGrid {
  const position = new Map(nodes.map((node, i) => [node.id, i]));
  const cells: HeatmapGrid['cells'] = [];
  let max = 0;
  pairs.forEach((pair, index) => {
    const a = position.get(pair.a);
    const b = position.get(pair.b);
    if (a === undefined || b === undefined) return;
    cells.push([a, b, pair.rttMs, index]);
    if (a !== b) cells.push([b, a, pair.rttMs, index]);
    max = Math.max(max, pair.rttMs);
  });
  return { names: nodes.map((node) => nodeLabel(node, lang)), cells, pairs: [...pairs], max: max > 0 ? max : 1 };
}

const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

/** One decimal from 10 ms up, two below. */
export const formatMs = (ms: number) => (ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** Height that gives every row a readable band. */
export const heatmapHeight = (count: number) => Math.max(300, Math.min(count, 40) * 22 + 120);

export function buildHeatmapOption(grid: HeatmapGrid, labels: HeatmapLabels): EChartsOption {
  const showValues = grid.names.length <= 12;
  return {
    animation: false,
    tooltip: {
      position: 'top',
      formatter: (raw: unknown) => {
        const cell = (raw as { data?: [number, number, number, number] }).data;
        if (!cell) return '';
        const pair = grid.pairs[cell[3]];
        if (!pair) return '';
        return fill(labels.tooltip, {
          a: grid.names[cell[0]] ?? '',
          b: grid.names[cell[1]] ?? '',
          rtt: formatMs(pair.rttMs),
          oneWay: formatMs(pair.oneWayMs),
          estimate: formatMs(pair.estimateRttMs),
          basis: labels.basis[pair.basis],
          measured: pair.measuredPairs,
          pairs: pair.cityPairs,
        });
      },
    },
    grid: { top: 8, left: 8, right: 16, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: grid.names, splitArea: { show: true }, axisLabel: { interval: 0, rotate: grid.names.length > 8 ? 45 : 0, fontSize: 11 } },
    yAxis: { type: 'category', data: grid.names, inverse: true, splitArea: { show: true }, axisLabel: { interval: 0, fontSize: 11 } },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: Math.ceil(grid.max),
      dimension: 2,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 200,
      text: [`${Math.ceil(grid.max)} ${labels.unit}`, `0 ${labels.unit}`],
      textGap: 6,
      inRange: { color: ['#15803d', '#86efac', '#fde047', '#fb923c', '#b91c1c'] },
    },
    series: [
      {
        type: 'heatmap',
        data: grid.cells,
        label: { show: showValues, fontSize: 10, formatter: (raw: unknown) => formatMs((raw as { data?: number[] }).data?.[2] ?? 0) },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#111827', borderWidth: 1 } },
      },
    ],
  };
}
