import { describe, expect, it } from 'vitest';
import { estimateOneWayMs, estimateRttMs } from '../../network-model.ts';
import { type CityNode, cityPair, cityToFacility, computeCircles, type FacilityNode, groupMatrix, indexMeasurements, type Measurement, measuredCityPair, median, roundMs, worstLinks } from './matrix.ts';

// Points on the equator: one degree of longitude ≈ 111.2 km, so the estimates are easy to follow
// (one way: 0.6 ms + 0.0075 ms per km; a round trip twice that).
const city = (code: string, lon: number): CityNode => ({ code, name: `city ${code}`, provinceCode: `${code.slice(0, 2)}0000`, point: [lon, 0] });
const X = city('110100', 100);
const Y = city('120100', 101);
const Z = city('130100', 120);
const CITIES = new Map([X, Y, Z].map((c) => [c.code, c]));

const facility = (id: string, cityCode: string, lon: number, racks = 100): FacilityNode => ({
  id,
  computeId: `CN-${cityCode}-${id.slice(-5).padStart(5, '0')}`,
  name: `facility ${id}`,
  regionCode: cityCode,
  cityCode,
  point: [lon, 0],
  racksDesigned: racks,
  racksInUse: racks / 2,
});
const F1 = facility('fac_00001', X.code, 100.1, 100); // ≈ 11 km from X: ≈ 0.68 ms one way
const F2 = facility('fac_00002', Y.code, 101, 200); // at Y: ≈ 1.43 ms one way from X
const F3 = facility('fac_00003', Z.code, 120, 400); // ≈ 2,224 km from X: ≈ 17.3 ms one way
const F4 = facility('fac_00004', Z.code, 125, 800); // ≈ 2,780 km from X: ≈ 21.5 ms one way, beyond 20 ms
const FACILITIES = [F1, F2, F3, F4];

const row = (source: string, target: string, rttMs: number, overrides: Partial<Measurement> = {}): Measurement => ({
  source,
  target,
  sourceKind: /^\d{6}$/.test(source) ? 'city' : 'facility',
  targetKind: /^\d{6}$/.test(target) ? 'city' : 'facility',
  rttMs,
  samples: 60,
  origin: 'probe',
  measuredAt: Date.UTC(2026, 2, 1),
  ...overrides,
});

describe('latency circles of a city', () => {
  it('estimates from geography when nothing is measured, cumulative per circle, nearest first', () => {
    const { circles, entries } = computeCircles(indexMeasurements([], FACILITIES), X, FACILITIES, CITIES);
    expect(entries.map((e) => [e.facility.id, e.circle, e.value.basis])).toEqual([
      ['fac_00001', 'city', 'estimated'],
      ['fac_00002', 'province', 'estimated'],
      ['fac_00003', 'hub', 'estimated'],
    ]);
    // The estimate is the shared model: a round trip twice the one-way figure, the circle on the one-way one.
    expect(entries[0].value.rttMs).toBeCloseTo(estimateRttMs(X.point, F1.point), 12);
    expect(entries[0].oneWayMs).toBeCloseTo(estimateOneWayMs(X.point, F1.point), 12);
    expect(entries[2].oneWayMs).toBeCloseTo(estimateOneWayMs(X.point, F3.point), 12);
    expect(entries[0].value.origin).toBeNull();
    expect(circles).toEqual([
      { key: 'city', maxOneWayMs: 1, facilities: 1, racksDesigned: 100, racksInUse: 50, byBasis: { measured: 0, derived: 0, estimated: 1 } },
      { key: 'province', maxOneWayMs: 5, facilities: 2, racksDesigned: 300, racksInUse: 150, byBasis: { measured: 0, derived: 0, estimated: 2 } },
      { key: 'hub', maxOneWayMs: 20, facilities: 3, racksDesigned: 700, racksInUse: 350, byBasis: { measured: 0, derived: 0, estimated: 3 } },
    ]);
  });

  it('prefers a measurement between the city and the facility, in either direction, and circles it by half the round trip', () => {
    // A measured round trip of 1.8 ms is 0.9 ms one way: within the 1 ms city circle.
    const index = indexMeasurements([row(F2.id, X.code, 1.8)], FACILITIES);
    expect(cityToFacility(index, X, F2, CITIES)).toEqual({ rttMs: 1.8, basis: 'measured', origin: 'probe' });
    const { circles, entries } = computeCircles(index, X, FACILITIES, CITIES);
    expect(entries.find((e) => e.facility.id === F2.id)).toMatchObject({ oneWayMs: 0.9, circle: 'city' });
    expect(circles[0]).toMatchObject({ facilities: 2, racksDesigned: 300, byBasis: { measured: 1, derived: 0, estimated: 1 } });
    // 10.2 ms round trip: 5.1 ms one way, just outside the province circle.
    const slower = computeCircles(indexMeasurements([row(X.code, F2.id, 10.2)], FACILITIES), X, FACILITIES, CITIES);
    expect(slower.entries.find((e) => e.facility.id === F2.id)).toMatchObject({ oneWayMs: 5.1, circle: 'hub' });
  });

  it('takes the newer of the two directions of a pair', () => {
    const older = row(X.code, F1.id, 7, { measuredAt: Date.UTC(2026, 2, 1) });
    const newer = row(F1.id, X.code, 0.6, { measuredAt: Date.UTC(2026, 2, 2), origin: 'demo' });
    for (const rows of [
      [older, newer],
      [newer, older],
    ]) {
      expect(cityToFacility(indexMeasurements(rows, FACILITIES), X, F1, CITIES)).toEqual({ rttMs: 0.6, basis: 'measured', origin: 'demo' });
    }
  });

  it("derives a facility in another city from the measured city pair plus what the facility's access leg adds beyond the fixed overhead", () => {
    // X ↔ Z measured at 12 ms round trip; F3's access leg estimated (it sits on Z's centroid: the
    // fixed round-trip overhead, 1.2 ms, already in the measured pair): 12 ms, 6 ms one way.
    let index = indexMeasurements([row(Z.code, X.code, 12)], FACILITIES);
    expect(cityToFacility(index, X, F3, CITIES)).toEqual({ rttMs: 12, basis: 'derived', origin: 'probe' });
    // F4's access leg estimated over ≈ 556 km: 12 + (its round-trip estimate − 1.2).
    expect(cityToFacility(index, X, F4, CITIES).rttMs).toBeCloseTo(12 + estimateRttMs(Z.point, F4.point) - 1.2, 12);
    // With F3's access leg measured at 1.5 ms: 12 + 1.5 − 1.2; measured below the overhead, it adds nothing.
    index = indexMeasurements([row(Z.code, X.code, 12), row(F3.id, Z.code, 1.5, { origin: 'demo' })], FACILITIES);
    expect(cityToFacility(index, X, F3, CITIES).rttMs).toBeCloseTo(12.3, 12);
    index = indexMeasurements([row(Z.code, X.code, 12), row(F3.id, Z.code, 0.5)], FACILITIES);
    expect(cityToFacility(index, X, F3, CITIES).rttMs).toBe(12);
    // A measured detour pushes a facility out of a circle its geography would put it in: 12 ms round trip, 6 ms one way.
    index = indexMeasurements([row(X.code, Y.code, 12)], FACILITIES);
    const { entries } = computeCircles(index, X, FACILITIES, CITIES);
    expect(entries.find((e) => e.facility.id === F2.id)).toMatchObject({ circle: 'hub', oneWayMs: 6, value: { basis: 'derived' } });
  });

  it('leaves out rows naming facilities that are not in operation (or gone)', () => {
    const index = indexMeasurements([row('fac_gone', X.code, 0.1), row(X.code, X.code, 0.1)], FACILITIES);
    expect(index.pairs.size).toBe(0);
  });
});

describe('city pairs, the group matrix and the worst links', () => {
  it('measures a city pair by its city row, else by the median of the facility rows between the two cities', () => {
    let index = indexMeasurements([row(F1.id, Y.code, 3), row(F1.id, F2.id, 5), row(Y.code, F1.id, 100, { measuredAt: 0 })], FACILITIES);
    expect(measuredCityPair(index, X.code, Y.code)).toEqual({ rttMs: 4, basis: 'measured', origin: 'probe' });
    index = indexMeasurements([row(F1.id, Y.code, 3), row(X.code, Y.code, 2.5, { origin: 'demo' })], FACILITIES);
    expect(measuredCityPair(index, Y.code, X.code)).toEqual({ rttMs: 2.5, basis: 'measured', origin: 'demo' });
    expect(measuredCityPair(index, X.code, Z.code)).toBeNull();
    expect(measuredCityPair(index, X.code, X.code)).toBeNull();
    expect(cityPair(index, X, Z)).toEqual({ rttMs: estimateRttMs(X.point, Z.point), basis: 'estimated', origin: null });
  });

  it('aggregates groups by the median over their city pairs, with the diagonal within a group', () => {
    const index = indexMeasurements([row(X.code, Z.code, 40)], FACILITIES);
    const groups = [
      { id: 'g1', name: 'X+Y', cities: [X, Y] },
      { id: 'g2', name: 'Z', cities: [Z] },
    ];
    const pairs = groupMatrix(index, groups, { diagonal: true });
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      ['g1', 'g1'],
      ['g1', 'g2'],
    ]);
    const within = pairs[0];
    expect(within).toMatchObject({ cityPairs: 1, measuredPairs: 0, basis: 'estimated', origin: null });
    expect(within.rttMs).toBeCloseTo(estimateRttMs(X.point, Y.point), 12);
    expect(within.oneWayMs).toBeCloseTo(estimateOneWayMs(X.point, Y.point), 12);
    const between = pairs[1];
    const yz = estimateRttMs(Y.point, Z.point);
    expect(between).toMatchObject({ cityPairs: 2, measuredPairs: 1, basis: 'mixed', origin: 'probe', minRttMs: yz, maxRttMs: 40 });
    expect(between.rttMs).toBeCloseTo((40 + yz) / 2, 12);
    expect(between.oneWayMs).toBe(between.rttMs / 2);
    expect(between.estimateRttMs).toBeCloseTo((estimateRttMs(X.point, Z.point) + yz) / 2, 12);
    expect(groupMatrix(index, groups, { diagonal: false }).map((p) => [p.a, p.b])).toEqual([['g1', 'g2']]);
  });

  it('ranks the measured links by how far they exceed their estimate, within the scope', () => {
    const index = indexMeasurements([row(X.code, Y.code, 9), row(F1.id, X.code, 0.5), row(X.code, Z.code, 40)], FACILITIES);
    const pointOf = (id: string) => (CITIES.get(id) ?? FACILITIES.find((f) => f.id === id))?.point ?? null;
    const links = worstLinks(index, pointOf, () => true, 10);
    expect(links.map((l) => [l.measurement.source, l.measurement.target])).toEqual([
      [X.code, Y.code],
      [X.code, Z.code],
      [F1.id, X.code],
    ]);
    expect(links[0].excessRttMs).toBeCloseTo(9 - estimateRttMs(X.point, Y.point), 12);
    expect(links[0].estimateRttMs).toBeCloseTo(estimateRttMs(X.point, Y.point), 12);
    expect(worstLinks(index, pointOf, (m) => m.target !== Y.code, 1).map((l) => l.measurement.target)).toEqual([Z.code]);
  });
});

describe('helpers', () => {
  it('takes medians (the smoothing of probe samples and the aggregation of city pairs)', () => {
    expect(median([])).toBeNaN();
    expect(median([3])).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 1, 1, 250])).toBe(1);
  });

  it('rounds milliseconds to µs', () => {
    expect(roundMs(1.23456)).toBe(1.235);
    expect(roundMs(0.0004)).toBe(0);
  });
});
