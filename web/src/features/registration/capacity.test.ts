import { describe, expect, it } from 'vitest';
import type { CatalogueAccelerator } from '../../types.ts';
import { inventoryCapacity } from './capacity.ts';

const catalogue: CatalogueAccelerator[] = [
  { model: 'H100 SXM', vendor: 'NVIDIA', domestic: false, memoryGb: 80, fp64: 34, fp32: 67, fp16: 989, int8: 1979 },
  { model: 'Ascend 910B', vendor: 'Huawei', domestic: true, memoryGb: 64, fp64: 0, fp32: 94, fp16: 376, int8: 752 },
];

describe('inventoryCapacity', () => {
  it('sums count × datasheet per precision', () => {
    const result = inventoryCapacity(
      [
        { model: 'H100 SXM', count: 8 },
        { model: 'Ascend 910B', count: 16 },
      ],
      catalogue,
    );
    expect(result.compute).toEqual({ fp64: 272, fp32: 536 + 1504, fp16: 7912 + 6016, int8: 15832 + 12032 });
    expect(result.cards).toBe(24);
    expect(result.domesticCards).toBe(16);
    // INT8 × 0.25 (6,966) beats FP16 × 0.5 (6,964) here
    expect(result.fp32Equivalent).toBe((15832 + 12032) * 0.25);
  });

  it('skips half-filled lines and reports models missing from the catalogue', () => {
    const result = inventoryCapacity([{ model: 'H100 SXM' }, { count: 3 }, null, { model: 'X1', count: 2 }, { model: 'H100 SXM', count: -1 }], catalogue);
    expect(result.cards).toBe(0);
    expect(result.unknownModels).toEqual(['X1']);
    expect(result.fp32Equivalent).toBe(0);
  });
});
