import { describe, expect, it } from 'vitest';
import { displayValue, fieldLabel } from './display.ts';

describe('displayValue', () => {
  it('names enums in the user language', () => {
    expect(displayValue('zh', 'status', 'in_operation')).toBe('在用');
    expect(displayValue('en', 'kind', 'intelligent')).toBe('Intelligent (AI)');
  });
  it('summarises accelerator lines and compute', () => {
    expect(displayValue('en', 'accelerators', [{ model: 'Ascend 910B', vendor: 'Huawei', count: 1024, domestic: true }])).toBe('Ascend 910B ×1,024');
    expect(displayValue('en', 'compute', { fp64: 1, fp16: 2.5 })).toBe('FP64 1 / FP16 2.5');
    expect(displayValue('en', 'compute', { fp64: 0, fp32: 0, fp16: 0, int8: 0 })).toBe('None');
  });
  it('shows empty values as a dash', () => {
    expect(displayValue('zh', 'address', '')).toBe('—');
    expect(displayValue('zh', 'pueMeasured', null)).toBe('—');
  });
});

describe('fieldLabel', () => {
  it('labels known fields and passes unknown ones through', () => {
    expect(fieldLabel('zh', 'racksDesigned')).toBe('设计机架数');
    expect(fieldLabel('en', 'regionCode')).toBe('Region');
    expect(fieldLabel('en', 'somethingNew')).toBe('somethingNew');
    expect(fieldLabel('zh', 'compute', 'proposal')).toBe('其他算力（清单外）');
  });
});
