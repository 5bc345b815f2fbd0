import { describe, expect, it } from 'vitest';
import {
  circleOfOneWay,
  estimateOneWayMs,
  estimateOneWayMsBetween,
  estimateOneWayMsFromKm,
  estimateRttMs,
  greatCircleKm,
  LATENCY_CIRCLES,
  LATENCY_MODEL,
  oneWayOfRtt,
  radiusKmOfOneWay,
} from './network-model.ts';

const BEIJING = [116.4074, 39.9042] as const;
const SHANGHAI = [121.4737, 31.2304] as const;

describe('the geographic latency model (one-way)', () => {
  it('measures great-circle distances (haversine)', () => {
    expect(greatCircleKm(BEIJING, BEIJING)).toBe(0);
    // Beijing–Shanghai is about 1,068 km as the crow flies.
    expect(greatCircleKm(BEIJING, SHANGHAI)).toBeGreaterThan(1060);
    expect(greatCircleKm(BEIJING, SHANGHAI)).toBeLessThan(1075);
    expect(greatCircleKm(BEIJING, SHANGHAI)).toBeCloseTo(greatCircleKm(SHANGHAI, BEIJING), 9);
    // One degree of longitude on the equator: 2πR / 360.
    expect(greatCircleKm([100, 0], [101, 0])).toBeCloseTo((2 * Math.PI * LATENCY_MODEL.earthRadiusKm) / 360, 6);
  });

  it('is 0.3 ms at each end + km × 1.5 / 200, one way', () => {
    expect(LATENCY_MODEL).toMatchObject({ routeFactor: 1.5, fibreKmPerMs: 200, endpointMs: 0.3 });
    expect(estimateOneWayMsFromKm(0)).toBe(0.6);
    expect(estimateOneWayMsFromKm(-5)).toBe(0.6);
    expect(estimateOneWayMsFromKm(100)).toBeCloseTo(0.6 + (100 * 1.5) / 200, 12);
    expect(estimateOneWayMs([116, 40], [116, 40])).toBe(0.6);
    const km = greatCircleKm([116, 40], [117, 40]);
    expect(estimateOneWayMs([116, 40], [117, 40])).toBeCloseTo(0.6 + (km * 1.5) / 200, 12);
    expect(estimateOneWayMsBetween(116, 40, 117, 40)).toBe(estimateOneWayMs([116, 40], [117, 40]));
    // Beijing–Shanghai: ≈ 8.6 ms one way.
    expect(estimateOneWayMs(BEIJING, SHANGHAI)).toBeGreaterThan(8.5);
    expect(estimateOneWayMs(BEIJING, SHANGHAI)).toBeLessThan(8.7);
    expect(estimateOneWayMs([113.3, 40.1], [121.5, 31.2])).toBeCloseTo(estimateOneWayMs([121.5, 31.2], [113.3, 40.1]), 12);
  });

  it('estimates a round trip as twice the one-way figure, and halves a measured round trip', () => {
    expect(estimateRttMs(BEIJING, BEIJING)).toBe(1.2);
    expect(estimateRttMs(BEIJING, SHANGHAI)).toBe(2 * estimateOneWayMs(BEIJING, SHANGHAI));
    expect(oneWayOfRtt(7)).toBe(3.5);
    expect(oneWayOfRtt(estimateRttMs(BEIJING, SHANGHAI))).toBeCloseTo(estimateOneWayMs(BEIJING, SHANGHAI), 12);
  });

  it('gives the radius of each circle as the inverse of the one-way estimate', () => {
    expect(radiusKmOfOneWay(1)).toBeCloseTo((0.4 * 200) / 1.5, 9);
    expect(Math.round(radiusKmOfOneWay(1))).toBe(53);
    expect(Math.round(radiusKmOfOneWay(5))).toBe(587);
    expect(Math.round(radiusKmOfOneWay(20))).toBe(2587);
    expect(radiusKmOfOneWay(0.5)).toBe(0);
    for (const km of [0, 12.5, 300, 2500]) expect(radiusKmOfOneWay(estimateOneWayMsFromKm(km))).toBeCloseTo(km, 9);
  });

  it('puts a one-way latency in the smallest circle that holds it: 1 ms city, 5 ms province, 20 ms hub', () => {
    expect(LATENCY_CIRCLES.map((c) => [c.key, c.maxOneWayMs])).toEqual([
      ['city', 1],
      ['province', 5],
      ['hub', 20],
    ]);
    expect(circleOfOneWay(0)).toBe('city');
    expect(circleOfOneWay(1)).toBe('city');
    expect(circleOfOneWay(1.001)).toBe('province');
    expect(circleOfOneWay(5)).toBe('province');
    expect(circleOfOneWay(19.999)).toBe('hub');
    expect(circleOfOneWay(20)).toBe('hub');
    expect(circleOfOneWay(20.001)).toBeNull();
    // A measured round trip of 8 ms is 4 ms one way: the province circle, not the hub one.
    expect(circleOfOneWay(oneWayOfRtt(8))).toBe('province');
  });
});
