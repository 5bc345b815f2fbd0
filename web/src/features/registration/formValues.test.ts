import { describe, expect, it } from 'vitest';
import type { CatalogueAccelerator } from '../../types.ts';
import { toFacilityInput, toFormValues, withRacksFromKw } from './formValues.ts';

const catalogue: CatalogueAccelerator[] = [{ model: 'Ascend 910B', vendor: 'Huawei', domestic: true, memoryGb: 64, fp64: 0, fp32: 94, fp16: 376, int8: 752 }];

describe('toFacilityInput', () => {
  it('fills vendor and domestic from the catalogue, trims text and drops empty lines', () => {
    const input = toFacilityInput(
      {
        name: '  大同智算中心 ',
        regionCode: '140213',
        status: 'planned',
        kind: 'intelligent',
        racksDesigned: 100,
        racksInUse: 0,
        accelerators: [{ model: 'Ascend 910B', count: 64 }, { model: null, count: 3 }],
        contacts: [{ name: '李工', phone: ' 0352-1234567 ', email: '' }, { name: '' }],
        compute: { fp64: null },
      },
      catalogue,
    );
    expect(input.name).toBe('大同智算中心');
    expect(input.accelerators).toEqual([{ model: 'Ascend 910B', vendor: 'Huawei', count: 64, domestic: true }]);
    expect(input.contacts).toEqual([{ name: '李工', phone: '0352-1234567' }]);
    expect(input.compute).toBeUndefined();
    expect('pueDesign' in input).toBe(false);
    expect('lon' in input).toBe(false);
  });

  it('sends the precisions the supplier typed', () => {
    const input = toFacilityInput({ compute: { fp64: 12.5, int8: 0 }, pueMeasured: 1.3, lon: 113.3 }, catalogue);
    expect(input.compute).toEqual({ fp64: 12.5, int8: 0 });
    expect(input).toMatchObject({ pueMeasured: 1.3, lon: 113.3 });
  });
});

describe('racks entered as kW', () => {
  it('converts at 2.5 kW per standard rack', () => {
    expect(withRacksFromKw({ racksDesignedKw: 2500, racksInUseKw: 1000 }, 'kw')).toMatchObject({ racksDesigned: 1000, racksInUse: 400 });
    expect(withRacksFromKw({ racksDesigned: 5, racksDesignedKw: 2500 }, 'racks').racksDesigned).toBe(5);
  });
});

describe('toFormValues', () => {
  it('prefills from a facility, with kW beside racks', () => {
    const values = toFormValues(
      { name: 'A', regionCode: '140200', status: 'in_operation', kind: 'general', racksDesigned: 40, racksInUse: 20, compute: { fp64: 1, fp32: 2, fp16: 0, int8: 0 } },
      { includeCompute: true },
    );
    expect(values.racksDesignedKw).toBe(100);
    expect(values.compute).toEqual({ fp64: 1, fp32: 2, fp16: 0, int8: 0 });
  });
});
