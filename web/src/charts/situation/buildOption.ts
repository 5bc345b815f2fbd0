/**
 * ECharts options of the situation page (态势感知): the map coloured by utilisation and the trend
 * of the region's figures. Pure functions of the API's answer.
 */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../format.ts';
import { formatPower, formatPueValue, formatRatio, measureOf } from '../../features/situation/display.ts';
import type { MapMeasure, SituationChild, SituationPoint } from '../../features/situation/types.ts';
import type { FeatureInfo } from '../chinaMap/geo.ts';
import { mapSeries } from '../chinaMap/buildOption.ts';

export interface SituationMapLabels {
  measure: string;
  reporting: string;
  itPower: string;
  pue: string;
  noData: string;
  withheld: string;
}

export interface SituationMapDatum {
  name: string;
  /** Percent (0–100); absent regions (no data, withheld) are left grey. */
  value: number;
  code: string;
}

interface TooltipParams {
  name: string;
  data?: SituationMapDatum | null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function buildSituationMapOption(input: {
  mapName: string;
  features: FeatureInfo[];
  matched: Map<string, SituationChild>;
  measure: MapMeasure;
  labels: SituationMapLabels;
  lang: Lang;
  showLabels: boolean;
}): EChartsOption {
  const { features, matched, measure, labels, lang } = input;
  const data: SituationMapDatum[] = features.flatMap((feature) => {
    const child = matched.get(feature.name);
    const value = child ? measureOf(child, measure) : null;
    return child && value !== null ? [{ name: feature.name, value: Math.round(value * 1000) / 10, code: child.code }] : [];
  });
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (raw: unknown) => {
        const params = raw as TooltipParams;
        const child = matched.get(params.name);
        if (!child) return `${escapeHtml(params.name)}<br/>${escapeHtml(labels.noData)}`;
        const lines = [`<b>${escapeHtml(child.name)}</b>`, `${escapeHtml(labels.reporting)}: ${child.facilities.reporting} / ${child.facilities.connected}`];
        const value = measureOf(child, measure);
        const withheld = child.withheld.includes(measure);
        lines.push(`${escapeHtml(labels.measure)}: ${withheld ? escapeHtml(labels.withheld) : value === null ? '—' : formatRatio(value)}`);
        if (child.itPowerKw !== null) lines.push(`${escapeHtml(labels.itPower)}: ${formatPower(child.itPowerKw, lang)}`);
        if (child.pue !== null) lines.push(`${escapeHtml(labels.pue)}: ${formatPueValue(child.pue)}`);
        return lines.join('<br/>');
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: 100,
      left: 12,
      bottom: 12,
      calculable: false,
      seriesIndex: 0,
      text: ['100%', '0%'],
      textStyle: { color: '#475467', fontSize: 11 },
      itemHeight: 110,
      // One warm ramp, light (idle) to dark (full): regions without a figure stay grey.
      inRange: { color: ['#ffffcc', '#fed976', '#fd8d3c', '#e31a1c', '#800026'] },
    },
    series: [
      mapSeries(input.mapName, input.showLabels, data, '#a5b4fc'),
    ],
  };
}

export interface SituationTrendLabels {
  itPower: string;
  rackUtilization: string;
  acceleratorUtilization: string;
}

/** IT power (MW, left axis) and the utilisations (%, right axis) over time; withheld or missing values are gaps. */
export function buildSituationTrendOption(points: SituationPoint[], labels: SituationTrendLabels, lang: Lang): EChartsOption {
  const at = (p: SituationPoint) => Date.parse(p.ts);
  const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
  const hasAccelerators = points.some((p) => p.acceleratorUtilization !== null);
  return {
    animation: false,
    grid: { left: 56, right: 48, top: 36, bottom: 28 },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? String(value) : '—'),
    },
    xAxis: { type: 'time' },
    yAxis: [
      { type: 'value', name: 'MW', scale: true, nameTextStyle: { fontSize: 11 }, axisLabel: { formatter: (v: number) => new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 }).format(v) } },
      { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false }, nameTextStyle: { fontSize: 11 } },
    ],
    series: [
      {
        type: 'line',
        name: labels.itPower,
        yAxisIndex: 0,
        showSymbol: false,
        connectNulls: false,
        areaStyle: { opacity: 0.08 },
        data: points.map((p) => [at(p), p.itPowerKw === null ? null : Math.round(p.itPowerKw) / 1000]),
      },
      {
        type: 'line',
        name: labels.rackUtilization,
        yAxisIndex: 1,
        showSymbol: false,
        connectNulls: false,
        data: points.map((p) => [at(p), percent(p.rackUtilization.weighted)]),
      },
      ...(hasAccelerators
        ? [{ type: 'line' as const, name: labels.acceleratorUtilization, yAxisIndex: 1, showSymbol: false, connectNulls: false, data: points.map((p) => [at(p), percent(p.acceleratorUtilization)]) }]
        : []),
    ],
  };
}
