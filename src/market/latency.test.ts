import { describe, expect, it } from 'vitest';
import { estimateLatencyMs, greatCircleKm, regionPoint } from './latency.ts';

describe('estimateLatencyMs', () => {
  it('puts 大同 a few ms from 北京 and tens of ms from 乌鲁木齐', () => {
    const datong = regionPoint('140200')!;
    const beijing = regionPoint('110000')!;
    const urumqi = regionPoint('650100')!;
    expect(greatCircleKm(datong, beijing)).toBeGreaterThan(220);
    expect(greatCircleKm(datong, beijing)).toBeLessThan(320);
    const toBeijing = estimateLatencyMs(datong, beijing);
    expect(toBeijing).toBeGreaterThan(2);
    expect(toBeijing).toBeLessThan(4);
    expect(estimateLatencyMs(datong, urumqi)).toBeGreaterThan(15);
    expect(estimateLatencyMs(datong, urumqi)).toBeLessThan(30);
  });

  it('is 0.6 ms at zero distance (0.3 ms per end) and grows 1.5 / 200 ms per km', () => {
    expect(estimateLatencyMs([116, 40], [116, 40])).toBe(0.6);
    const km = greatCircleKm([116, 40], [117, 40]);
    expect(estimateLatencyMs([116, 40], [117, 40])).toBeCloseTo(0.6 + (km * 1.5) / 200, 12);
  });

  it('is symmetric', () => {
    expect(estimateLatencyMs([113.3, 40.1], [121.5, 31.2])).toBeCloseTo(estimateLatencyMs([121.5, 31.2], [113.3, 40.1]), 12);
  });
});
