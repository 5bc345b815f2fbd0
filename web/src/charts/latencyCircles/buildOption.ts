/**
 * The circle map: a city's PoP on the map of China, the facilities it reaches coloured by their
 * latency circle (one-way: 1 ms city, 5 ms province, 20 ms hub), and the rings of the one-way
 * model's reach for each circle. Pure, so the tests need no browser.
 */
import type { EChartsOption } from 'echarts';
import { CIRCLE_COLORS, CIRCLE_KEYS, type CircleFacility, type CircleKey, type NetworkCircles } from '../../networkTypes.ts';

export interface CircleMapLabels {
  /** Legend name of each circle, with {count}. */
  circle: Record<CircleKey, string>;
  /** Tooltip of a facility with {name}, {computeId}, {oneWay}, {rtt}, {basis}, {racks}. */
  tooltip: string;
  basis: Record<CircleFacility['basis'], string>;
}

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** The points (lon, lat) at `km` from the centre along `steps` bearings: a closed ring. */
export function ringPoints(centre: [number, number], km: number, steps = 72): [number, number][] {
  const [lon0, lat0] = [centre[0] * RAD, centre[1] * RAD];
  const d = km / EARTH_RADIUS_KM;
  const points: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const bearing = (2 * Math.PI * i) / steps;
    const lat = Math.asin(Math.sin(lat0) * Math.cos(d) + Math.cos(lat0) * Math.sin(d) * Math.cos(bearing));
    const lon = lon0 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat0), Math.cos(d) - Math.sin(lat0) * Math.sin(lat));
    points.push([Math.round((lon / RAD) * 1e4) / 1e4, Math.round((lat / RAD) * 1e4) / 1e4]);
  }
  return points;
}

/** Symbol size by designed racks: 5 px for a small room, up to 18 px for the largest campuses. */
export const symbolSize = (racks: number) => Math.round(Math.min(18, 5 + Math.sqrt(Math.max(0, racks)) / 8));

const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface FacilityDatum {
  name: string;
  /** lon, lat, one-way ms. */
  value: [number, number, number];
  rttMs: number;
  computeId: string;
  basis: CircleFacility['basis'];
  racks: number;
}

export function buildCircleMapOption(mapName: string, data: NetworkCircles, labels: CircleMapLabels): EChartsOption {
  const centre: [number, number] = [data.city.lon, data.city.lat];
  const counts = new Map(data.circles.map((c) => [c.key, c]));
  /** Facilities in exactly this circle (the API's circles are cumulative). */
  const ownCount = (key: CircleKey) => data.facilities.filter((f) => f.circle === key).length;
  const legendName = (key: CircleKey) => fill(labels.circle[key], { count: ownCount(key) });
  const pointSeries = CIRCLE_KEYS.map((key) => ({
    name: legendName(key),
    type: 'scatter' as const,
    coordinateSystem: 'geo' as const,
    z: 3,
    itemStyle: { color: CIRCLE_COLORS[key], opacity: 0.85, borderColor: '#ffffff', borderWidth: 0.5 },
    symbolSize: (value: unknown, params: unknown) => symbolSize((params as { data?: FacilityDatum }).data?.racks ?? 0),
    data: data.facilities
      .filter((f) => f.circle === key)
      .map((f): FacilityDatum => ({ name: f.name, value: [f.lon, f.lat, f.oneWayMs], rttMs: f.rttMs, computeId: f.computeId, basis: f.basis, racks: f.racksDesigned })),
  }));
  const rings = {
    name: 'rings',
    type: 'lines' as const,
    coordinateSystem: 'geo' as const,
    polyline: true,
    silent: true,
    z: 2,
    data: CIRCLE_KEYS.map((key) => {
      const circle = counts.get(key);
      return { coords: ringPoints(centre, circle?.radiusKm ?? 0), lineStyle: { color: CIRCLE_COLORS[key], type: 'dashed' as const, width: 1.2, opacity: 0.9 } };
    }),
  };
  const city = {
    name: data.city.name,
    type: 'scatter' as const,
    coordinateSystem: 'geo' as const,
    symbol: 'pin',
    symbolSize: 30,
    z: 4,
    itemStyle: { color: '#111827' },
    label: { show: true, position: 'top' as const, formatter: data.city.name, fontWeight: 'bold' as const, color: '#111827', textBorderColor: '#ffffff', textBorderWidth: 2 },
    tooltip: { show: false },
    data: [{ name: data.city.name, value: centre }],
  };
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (raw: unknown) => {
        const datum = (raw as { data?: FacilityDatum }).data;
        if (!datum || !('computeId' in datum)) return '';
        return fill(labels.tooltip, {
          name: escapeHtml(datum.name),
          computeId: datum.computeId,
          oneWay: datum.value[2].toFixed(2),
          rtt: datum.rttMs.toFixed(2),
          basis: labels.basis[datum.basis],
          racks: datum.racks,
        });
      },
    },
    legend: { top: 8, left: 8, orient: 'vertical', data: CIRCLE_KEYS.map(legendName), backgroundColor: 'rgba(255,255,255,0.85)', padding: 8 },
    geo: {
      map: mapName,
      roam: true,
      center: centre,
      zoom: 1.6,
      silent: true,
      itemStyle: { areaColor: '#eef2f6', borderColor: '#c7cdd6', borderWidth: 0.6 },
      label: { show: false },
    },
    series: [rings, ...pointSeries, city],
  };
}
