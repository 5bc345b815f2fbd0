/** Radar of the five index dimensions for a few regions; pure, so the tests need no browser. */
import type { EChartsOption } from 'echarts';
import { INDEX_DIMENSIONS, type IndexDimension, type IndexRegion } from '../../types.ts';

export const RADAR_MAX_REGIONS = 3;
export const RADAR_COLORS = ['#1d4ed8', '#ea580c', '#16a34a'];

export interface RadarInput {
  regions: readonly IndexRegion[];
  /** Dimension labels in the UI language. */
  dimensionLabels: Record<IndexDimension, string>;
  /** Appended to an unavailable dimension's label, e.g. "（暂无数据）". */
  noDataSuffix: string;
}

/** The codes to show by default: the top `count` by rank. */
export function defaultRadarSelection(regions: readonly IndexRegion[], count = RADAR_MAX_REGIONS): string[] {
  return [...regions].sort((a, b) => a.rank - b.rank).slice(0, count).map((region) => region.code);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function buildRadarOption({ regions, dimensionLabels, noDataSuffix }: RadarInput): EChartsOption {
  const shown = regions.slice(0, RADAR_MAX_REGIONS);
  const unavailable = new Set(INDEX_DIMENSIONS.filter((dimension) => shown.length > 0 && shown.every((region) => region.dimensions[dimension]?.available === false)));
  return {
    animation: false,
    color: RADAR_COLORS,
    tooltip: { trigger: 'item', confine: true },
    legend: { bottom: 0, data: shown.map((region) => region.name) },
    radar: {
      radius: '62%',
      center: ['50%', '48%'],
      indicator: INDEX_DIMENSIONS.map((dimension) => ({
        name: unavailable.has(dimension) ? `${dimensionLabels[dimension]}${noDataSuffix}` : dimensionLabels[dimension],
        max: 100,
        min: 0,
        color: unavailable.has(dimension) ? '#98a2b3' : undefined,
      })),
      axisName: { fontSize: 12 },
      splitArea: { areaStyle: { color: ['#f8fafc', '#eef2f7'] } },
    },
    series: [
      {
        type: 'radar',
        symbolSize: 4,
        areaStyle: { opacity: 0.12 },
        data: shown.map((region) => ({
          name: region.name,
          value: INDEX_DIMENSIONS.map((dimension) => round1(region.dimensions[dimension]?.score ?? 0)),
        })),
      },
    ],
  };
}
