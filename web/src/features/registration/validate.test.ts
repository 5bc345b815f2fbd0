import { describe, expect, it } from 'vitest';
import { problemPathToField, validateFacility, type FacilityFormValues } from './validate.ts';

const valid: FacilityFormValues = {
  name: '大同云计算中心',
  regionCode: '140213',
  status: 'in_operation',
  kind: 'intelligent',
  racksDesigned: 1000,
  racksInUse: 800,
  pueDesign: 1.25,
  accelerators: [{ model: 'Ascend 910B', count: 512 }],
  contacts: [{ name: '张工', email: 'zhang@example.cn' }],
};

const keysOf = (values: FacilityFormValues) => validateFacility(values).map((i) => `${i.path.join('.')}:${i.key}`);

describe('validateFacility', () => {
  it('accepts a complete facility', () => {
    expect(validateFacility(valid)).toEqual([]);
  });

  it('requires the identifying fields', () => {
    expect(keysOf({})).toEqual([
      'name:validate.required',
      'regionCode:validate.required',
      'status:validate.required',
      'kind:validate.required',
      'racksDesigned:validate.required',
      'racksInUse:validate.required',
    ]);
  });

  it('mirrors the server rules: racks in use ≤ designed, PUE ≥ 1, no negatives, whole racks', () => {
    expect(keysOf({ ...valid, racksInUse: 1200 })).toEqual(['racksInUse:validate.racksInUse']);
    expect(keysOf({ ...valid, pueDesign: 0.9, pueMeasured: 1 })).toEqual(['pueDesign:validate.pue']);
    expect(keysOf({ ...valid, storagePb: -1 })).toEqual(['storagePb:validate.nonNegative']);
    expect(keysOf({ ...valid, racksDesigned: 10.5, racksInUse: 1 })).toEqual(['racksDesigned:validate.integer']);
    expect(keysOf({ ...valid, greenPowerPct: 120 })).toEqual(['greenPowerPct:validate.percent']);
    expect(keysOf({ ...valid, pueMeasured: 7 })).toEqual(['pueMeasured:validate.pueMax']);
    expect(keysOf({ ...valid, lon: 10, lat: 40 })).toEqual(['lon:validate.lon']);
  });

  it('checks accelerator lines and contacts', () => {
    expect(
      keysOf({
        ...valid,
        accelerators: [{ model: 'A', count: 0 }, { model: 'A', count: 2 }, { count: 1 }],
        contacts: [{ name: '', email: 'nope' }],
      }),
    ).toEqual([
      'accelerators.0.count:validate.count',
      'accelerators.1.model:validate.duplicateModel',
      'accelerators.2.model:validate.required',
      'contacts.0.name:validate.required',
      'contacts.0.email:validate.email',
    ]);
  });
});

describe('problemPathToField', () => {
  it('reads JSON pointers and dotted paths, dropping the body/data prefix', () => {
    expect(problemPathToField('/data/racksInUse')).toEqual(['racksInUse']);
    expect(problemPathToField('data.accelerators[0].count')).toEqual(['accelerators', 0, 'count']);
    expect(problemPathToField('/body/data/accelerators/1/model')).toEqual(['accelerators', 1, 'model']);
    expect(problemPathToField('regionCode')).toEqual(['regionCode']);
  });
});
