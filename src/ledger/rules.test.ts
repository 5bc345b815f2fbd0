import { describe, expect, it } from 'vitest';
import { formatComputeId, normaliseFacility } from './rules.ts';

const base = { name: '测试中心', regionCode: '140200', status: 'in_operation' as const, kind: 'general' as const, racksDesigned: 100, racksInUse: 40 };

describe('normaliseFacility', () => {
  it('derives province, city, coordinates and compute from accelerators', () => {
    const { value, errors } = normaliseFacility({ ...base, accelerators: [{ model: 'nvidia h200', count: 8, vendor: '', domestic: false }], compute: { fp64: 10 } });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ provinceCode: '140000', cityCode: '140200' });
    expect(value!.lon).not.toBeNull();
    expect(value!.accelerators[0]).toMatchObject({ model: 'H200', vendor: 'NVIDIA', domestic: false, count: 8 });
    expect(value!.computeDeclared.fp64).toBe(10);
    expect(value!.compute.fp64).toBeGreaterThan(10);
  });

  it('converts kilowatts to standard racks of 2.5 kW', () => {
    const { racksDesigned: _omit, ...rest } = base;
    const { value } = normaliseFacility({ ...rest, designedPowerKw: 500, racksInUse: 10 });
    expect(value!.racksDesigned).toBe(200);
  });

  it('reports every problem at once with a path and a code', () => {
    const { value, errors } = normaliseFacility({ ...base, regionCode: '999999', racksDesigned: 10, racksInUse: 20, pueDesign: 0.8, greenPowerPct: 120, accelerators: [{ model: 'nope', count: 1, vendor: '', domestic: false }] });
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.code).sort()).toEqual(['OUT_OF_RANGE', 'PUE_BELOW_ONE', 'RACKS_IN_USE_EXCEED_DESIGNED', 'UNKNOWN_ACCELERATOR', 'UNKNOWN_REGION']);
    expect(errors.find((e) => e.code === 'RACKS_IN_USE_EXCEED_DESIGNED')!.path).toBe('/racksInUse');
  });

  it('refuses rack counts beyond any facility, also when they arrive as kilowatts', () => {
    const { racksDesigned: _omit, ...rest } = base;
    expect(normaliseFacility({ ...base, racksDesigned: 3_000_000_000, racksInUse: 0 }).errors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(normaliseFacility({ ...rest, designedPowerKw: 1e12, racksInUse: 0 }).errors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
  });

  it('formats the unified compute identifier from region and sequence', () => {
    expect(formatComputeId('140213', 7)).toBe('CN-140213-00007');
  });
});
