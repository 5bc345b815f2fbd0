import { describe, expect, it } from 'vitest';
import type { CircleFacility, NetworkCircles } from '../../networkTypes.ts';
import { buildCircleMapOption, ringPoints, symbolSize } from './buildOption.ts';

const facility = (id: string, circle: CircleFacility['circle'], oneWayMs: number): CircleFacility => ({
  id,
  computeId: `CN-140200-${id}`,
  name: `<b>${id}</b>`,
  regionCode: '140213',
  cityCode: '140200',
  lon: 113.3,
  lat: 40.1,
  racksDesigned: 400,
  racksInUse: 200,
  oneWayMs,
  rttMs: oneWayMs * 2,
  basis: 'derived',
  origin: 'demo',
  circle,
});
const DATA: NetworkCircles = {
  city: { code: '140200', name: '大同市', provinceCode: '140000', lon: 113.3, lat: 40.08 },
  requested: '140200',
  model: { routeFactor: 1.5, fibreKmPerMs: 200, endpointMs: 0.3, method: 'docs/methods/latency.md' },
  circles: [
    { key: 'city', maxOneWayMs: 1, radiusKm: 53, facilities: 1, racksDesigned: 400, racksInUse: 200, byBasis: { measured: 1, derived: 0, estimated: 0 } },
    { key: 'province', maxOneWayMs: 5, radiusKm: 587, facilities: 3, racksDesigned: 1200, racksInUse: 600, byBasis: { measured: 1, derived: 2, estimated: 0 } },
    { key: 'hub', maxOneWayMs: 20, radiusKm: 2587, facilities: 4, racksDesigned: 1600, racksInUse: 800, byBasis: { measured: 1, derived: 3, estimated: 0 } },
  ],
  facilities: [facility('00001', 'city', 0.5), facility('00002', 'province', 3), facility('00003', 'province', 4.5), facility('00004', 'hub', 12)],
  total: 4,
  truncated: false,
};
const LABELS = {
  circle: { city: '≤1 ms ({count})', province: '≤5 ms ({count})', hub: '≤20 ms ({count})' },
  tooltip: '{name} {computeId} {oneWay} ms one-way, RTT {rtt} ms {basis} {racks}',
  basis: { measured: 'measured', derived: 'derived', estimated: 'estimated' },
};

describe('circle map', () => {
  it('draws rings at the given great-circle radius', () => {
    const ring = ringPoints([113.3, 40], 313, 4);
    expect(ring).toHaveLength(5);
    expect(ring[0]![0]).toBeCloseTo(113.3, 4);
    // 313 km north: 313 / 111.195 degrees of latitude.
    expect(ring[0]![1]).toBeCloseTo(40 + 313 / ((2 * Math.PI * 6371.0088) / 360), 3);
    expect(ring[4]).toEqual(ring[0]);
    expect(ring[2]![1]).toBeCloseTo(40 - 313 / ((2 * Math.PI * 6371.0088) / 360), 3);
  });

  it('colours facilities by their own (one-way) circle, counts each band once, and puts the city on top', () => {
    const option = buildCircleMapOption('china', DATA, LABELS);
    const series = option.series as { name: string; type: string; data: { name?: string; value?: number[]; coords?: unknown[] }[] }[];
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['lines', 'rings'],
      ['scatter', '≤1 ms (1)'],
      ['scatter', '≤5 ms (2)'],
      ['scatter', '≤20 ms (1)'],
      ['scatter', '大同市'],
    ]);
    expect(series[0]!.data).toHaveLength(3);
    // The rings at the radii the API gives for the one-way bounds.
    expect((series[0]!.data[2]!.coords![0] as number[])[1]).toBeCloseTo(40.08 + 2587 / ((2 * Math.PI * 6371.0088) / 360), 3);
    // Each point carries its one-way latency.
    expect(series[2]!.data.map((d) => d.value![2])).toEqual([3, 4.5]);
    expect((option.geo as { center: number[] }).center).toEqual([113.3, 40.08]);
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(formatter({ data: series[3]!.data[0] })).toBe('&#60;b&#62;00004&#60;/b&#62; CN-140200-00004 12.00 ms one-way, RTT 24.00 ms derived 400');
    expect(formatter({ data: { name: '大同市', value: [1, 2] } })).toBe('');
  });

  it('sizes points by racks within bounds', () => {
    expect(symbolSize(0)).toBe(5);
    expect(symbolSize(400)).toBe(8);
    expect(symbolSize(1_000_000)).toBe(18);
  });
});
