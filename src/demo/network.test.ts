import { describe, expect, it } from 'vitest';
import type { FacilityNode } from '../monitoring/network/matrix.ts';
import { cityNodes } from '../monitoring/network/service.ts';
import { estimateRttMs } from '../network-model.ts';
import { demoLatencyRows } from './network.ts';

const AT = Date.UTC(2026, 2, 1);
const facility = (id: string, cityCode: string, dLon = 0.05): FacilityNode => {
  const city = cityNodes().get(cityCode)!;
  return { id, computeId: `CN-${cityCode}-${id.slice(-5)}`, name: id, regionCode: cityCode, cityCode, point: [city.point[0] + dLon, city.point[1]], racksDesigned: 100, racksInUse: 50 };
};
const FACILITIES = [facility('fac_00001', '140200'), facility('fac_00002', '140200', -0.1), facility('fac_00003', '110100'), facility('fac_00004', '440300'), facility('fac_00005', '510100')];

describe('the demo latency matrix', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(demoLatencyRows(7, FACILITIES, AT)).toEqual(demoLatencyRows(7, [...FACILITIES].reverse(), AT));
    expect(demoLatencyRows(8, FACILITIES, AT)).not.toEqual(demoLatencyRows(7, FACILITIES, AT));
  });

  it('holds city pairs of the hosting cities, access legs and the 大同 probes, never facility pairs', () => {
    const rows = demoLatencyRows(7, FACILITIES, AT);
    const cityPairs = rows.filter((r) => r.sourceKind === 'city');
    // 4 hosting cities: 6 pairs, each once, in code order.
    expect(cityPairs.map((r) => `${r.source}-${r.target}`)).toEqual(['110100-140200', '110100-440300', '110100-510100', '140200-440300', '140200-510100', '440300-510100']);
    const facilityRows = rows.filter((r) => r.sourceKind === 'facility');
    expect(facilityRows.every((r) => r.targetKind === 'city')).toBe(true);
    // Each facility → its own city; the two in 大同 also → 太原 and 北京.
    expect(facilityRows.map((r) => `${r.source}>${r.target}`).sort()).toEqual(
      ['fac_00001>140200', 'fac_00001>140100', 'fac_00001>110100', 'fac_00002>140200', 'fac_00002>140100', 'fac_00002>110100', 'fac_00003>110100', 'fac_00004>440300', 'fac_00005>510100'].sort(),
    );
    for (const row of rows) {
      expect(row.origin).toBe('demo');
      expect(row.measuredAt).toBeLessThanOrEqual(AT);
      expect(row.measuredAt).toBeGreaterThanOrEqual(AT - 15 * 60_000);
      expect(row.samples).toBeGreaterThanOrEqual(60);
    }
  });

  it('stays at or above the geographic estimate, within the documented factors', () => {
    const cities = cityNodes();
    for (const row of demoLatencyRows(11, FACILITIES, AT).filter((r) => r.sourceKind === 'city')) {
      const estimate = estimateRttMs(cities.get(row.source)!.point, cities.get(row.target)!.point);
      expect(row.rttMs).toBeGreaterThanOrEqual(estimate - 0.001);
      expect(row.rttMs).toBeLessThanOrEqual(estimate * 1.3 * 2.2 + 0.001);
    }
  });
});
