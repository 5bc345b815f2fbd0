import { describe, expect, it } from 'vitest';
import { estimateOneWayMs, greatCircleKm } from '../network-model.ts';
import { regionPoint } from './latency.ts';

describe("the matcher's one-way latency estimate between region points", () => {
  it('puts 大同 a few ms from 北京 and about 20 ms from 乌鲁木齐, one way', () => {
    const datong = regionPoint('140200')!;
    const beijing = regionPoint('110000')!;
    const urumqi = regionPoint('650100')!;
    expect(greatCircleKm(datong, beijing)).toBeGreaterThan(220);
    expect(greatCircleKm(datong, beijing)).toBeLessThan(320);
    const toBeijing = estimateOneWayMs(datong, beijing);
    expect(toBeijing).toBeGreaterThan(2);
    expect(toBeijing).toBeLessThan(4);
    expect(estimateOneWayMs(datong, urumqi)).toBeGreaterThan(15);
    expect(estimateOneWayMs(datong, urumqi)).toBeLessThan(30);
  });

  it('finds points for cities and counties, none for unknown codes', () => {
    expect(regionPoint('140213')).toHaveLength(2);
    expect(regionPoint('999999')).toBeNull();
  });
});
