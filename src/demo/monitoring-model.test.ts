import { describe, expect, it } from 'vitest';
import { demoMetricsOf, facilityModel, rollupRows, valueAt } from './monitoring-model.ts';

const facility = { key: '大同云数智算中心一期', kind: 'intelligent', racksDesigned: 2000, racksInUse: 1800, pueMeasured: 1.25, pueDesign: 1.2, accelerators: 3000 };
const NOW = Date.UTC(2026, 10, 26, 10);
const DAY = 86_400_000;

describe('demo telemetry model', () => {
  it('is a pure function of seed, facility and time', () => {
    const a = facilityModel(7, facility, NOW);
    const b = facilityModel(7, facility, NOW);
    expect(valueAt(a, 'pue', NOW - 12_345_678)).toBe(valueAt(b, 'pue', NOW - 12_345_678));
    expect(valueAt(facilityModel(8, facility, NOW), 'it_power_kw', NOW)).not.toBe(valueAt(a, 'it_power_kw', NOW));
  });

  it('stays plausible: utilisation near the ledger, power ≈ racks × 2.5 kW × load, PUE near the measured one, availability ≈ 1', () => {
    const model = facilityModel(1, facility, NOW);
    for (let t = NOW - 90 * DAY; t <= NOW; t += 3 * 3600_000 + 60_000) {
      expect(Math.abs(valueAt(model, 'rack_utilization', t) - 0.9)).toBeLessThan(0.07);
      const power = valueAt(model, 'it_power_kw', t);
      expect(power).toBeGreaterThan(1800 * 0.9 * 2.5 * 0.4);
      expect(power).toBeLessThan(1800 * 2.5);
      expect(Math.abs(valueAt(model, 'pue', t) - 1.25)).toBeLessThan(0.1);
      expect(valueAt(model, 'accelerator_utilization', t)).toBeGreaterThan(0.3);
      expect(valueAt(model, 'availability', t)).toBeGreaterThan(0.89);
      expect(valueAt(model, 'accelerators_total', t)).toBe(3000);
      const healthy = valueAt(model, 'accelerators_healthy', t);
      expect(healthy).toBeLessThanOrEqual(3000);
      expect(healthy).toBeGreaterThanOrEqual(3000 - 18);
    }
    expect(demoMetricsOf(facility)).toEqual(expect.arrayContaining(['accelerators_total', 'accelerators_healthy']));
    expect(demoMetricsOf({ ...facility, kind: 'general', accelerators: 0 })).not.toContain('accelerator_utilization');
  });

  it('builds rollup levels that agree with each other', () => {
    const model = facilityModel(1, facility, NOW);
    const from = Date.UTC(2026, 9, 1);
    const rows = rollupRows(model, 'pue', from, NOW, NOW - 2 * DAY, NOW - DAY);
    expect(rows.days).toHaveLength(Math.floor((NOW - from) / DAY));
    expect(rows.hours).toHaveLength(48);
    expect(rows.fiveMinutes).toHaveLength(288);
    for (const row of [...rows.days, ...rows.hours, ...rows.fiveMinutes]) {
      expect(row.min).toBeLessThanOrEqual(row.sum / row.count + 1e-9);
      expect(row.max).toBeGreaterThanOrEqual(row.sum / row.count - 1e-9);
    }
    expect(rows.days.every((d) => d.count === 1440)).toBe(true);
    // The last hour folds its twelve 5 min buckets.
    const lastHour = rows.hours.at(-1)!;
    const fives = rows.fiveMinutes.slice(-12);
    expect(lastHour.count).toBe(60);
    expect(lastHour.sum).toBeCloseTo(fives.reduce((s, r) => s + r.sum, 0), 6);
    expect(lastHour.last).toBe(fives.at(-1)!.last);
    expect(lastHour.last).toBe(valueAt(model, 'pue', NOW - 60_000));
  });
});
