/** ECharts option for the "top 10 children" bar chart: a pure function of the overview's children. */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../format.ts';
import type { OverviewChild } from '../../types.ts';
import { formatScaled, measureScale, measureValue, type Measure } from '../measures.ts';

export interface TopBarInput {
  children: OverviewChild[];
  measure: Measure;
  measureLabel: string;
  racksUnit: string;
  lang: Lang;
  limit?: number;
}

export interface RankedChild {
  code: string;
  label: string;
  value: number;
}

/** The children with a value, largest first, at most `limit`; ties keep the API's order. */
export function rankChildren(children: OverviewChild[], measure: Measure, limit = 10): RankedChild[] {
  return children
    .filter((c) => c.facilities > 0)
    .map((c) => ({ code: c.code, label: c.shortName || c.name, value: measureValue(c, measure) }))
    .filter((c): c is RankedChild => c.value !== null)
    .sort((a, b) => b.value - a.value)
    .slice(0, limit);
}

export function buildTopBarOption(input: TopBarInput): EChartsOption {
  const ranked = rankChildren(input.children, input.measure, input.limit ?? 10);
  const maxRaw = Math.max(0, ...ranked.map((r) => r.value));
  const scale = measureScale(input.measure, maxRaw, input.racksUnit);
  const display = (raw: number) => Number((raw * scale.factor).toFixed(scale.digits));
  return {
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value) => formatScaled(typeof value === 'number' ? value / scale.factor : null, scale, input.lang),
    },
    xAxis: {
      type: 'value',
      splitNumber: 4,
      axisLabel: {
        color: '#667085',
        hideOverlap: true,
        formatter: (value: number) => new Intl.NumberFormat(input.lang === 'en' ? 'en-US' : 'zh-CN', { notation: 'compact', maximumFractionDigits: 1 }).format(value),
      },
      splitLine: { lineStyle: { color: '#eef2f6' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: ranked.map((r) => r.label),
      axisTick: { show: false },
      axisLabel: { color: '#344054' },
    },
    series: [
      {
        type: 'bar',
        name: input.measureLabel,
        data: ranked.map((r) => ({ value: display(r.value), code: r.code })),
        barMaxWidth: 18,
        itemStyle: { color: '#2563eb', borderRadius: [0, 3, 3, 0] },
        label: {
          show: true,
          position: 'right',
          color: '#475467',
          formatter: (params: { value?: unknown }) => formatScaled(Number(params.value) / scale.factor, scale, input.lang),
        },
      },
    ],
  };
}
