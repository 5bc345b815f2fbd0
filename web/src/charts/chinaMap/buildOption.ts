/** ECharts option for the choropleth: a pure function of the map's features and the API's children. */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../format.ts';
import type { OverviewChild } from '../../types.ts';
import { formatScaled, measureScale, measureValue, type Measure } from '../measures.ts';
import type { FeatureInfo } from './geo.ts';

export interface MapLabels {
  measure: string;
  racksUnit: string;
  facilities: string;
  noData: string;
}

export interface MapOptionInput {
  mapName: string;
  features: FeatureInfo[];
  matched: Map<string, OverviewChild>;
  measure: Measure;
  labels: MapLabels;
  lang: Lang;
  /** Show every region's name on the map (readable for a province's cities, crowded for the country). */
  showLabels: boolean;
}

export interface MapDatum {
  name: string;
  value: number;
  code: string;
  facilities: number;
}

interface TooltipParams {
  name: string;
  data?: MapDatum | null;
}

export function buildMapOption(input: MapOptionInput): EChartsOption {
  const { features, matched, measure, labels, lang } = input;
  const data: MapDatum[] = features.flatMap((feature) => {
    const child = matched.get(feature.name);
    if (!child) return [];
    return [{ name: feature.name, value: measureValue(child, measure) ?? 0, code: child.code, facilities: child.facilities }];
  });
  const maxRaw = Math.max(0, ...data.map((d) => d.value));
  const scale = measureScale(measure, maxRaw, labels.racksUnit);
  const visualMax = measure === 'rackUtilization' ? 1 : maxRaw > 0 ? maxRaw : 1;

  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (raw: unknown) => {
        const params = raw as TooltipParams;
        const datum = params.data;
        if (!datum) return `${escapeHtml(params.name)}<br/>${escapeHtml(labels.noData)}`;
        return [
          `<b>${escapeHtml(params.name)}</b>`,
          `${escapeHtml(labels.measure)}: ${formatScaled(datum.value, scale, lang)}`,
          `${escapeHtml(labels.facilities)}: ${datum.facilities}`,
        ].join('<br/>');
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: visualMax,
      left: 12,
      bottom: 12,
      calculable: false,
      seriesIndex: 0,
      text: [formatScaled(visualMax, scale, lang), formatScaled(0, scale, lang)],
      textStyle: { color: '#475467', fontSize: 11 },
      itemHeight: 110,
      inRange: { color: ['#dbeafe', '#60a5fa', '#1d4ed8', '#172554'] },
    },
    series: [
      mapSeries(input.mapName, input.showLabels, data, '#fbbf24'),
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The map series of the choropleths (overview, situation): the region shapes, grey where there is no
 * figure, names with a white halo (readable on the darkest fills), `emphasis` as the hover fill.
 */
export function mapSeries<D>(mapName: string, showLabels: boolean, data: D[], emphasis: string) {
  return {
    type: 'map' as const,
    map: mapName,
    roam: false,
    selectedMode: false as const,
    layoutCenter: ['50%', '52%'],
    layoutSize: '95%',
    label: { show: showLabels, fontSize: 10, color: '#1f2937', textBorderColor: 'rgba(255,255,255,0.85)', textBorderWidth: 2 },
    itemStyle: { areaColor: '#eef2f6', borderColor: '#ffffff', borderWidth: 1 },
    emphasis: { label: { show: true, color: '#111827', fontWeight: 'bold' as const }, itemStyle: { areaColor: emphasis } },
    data,
  };
}
