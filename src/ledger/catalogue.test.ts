import { describe, expect, it } from 'vitest';
import {
  ACCELERATOR_CATALOGUE,
  computeFromAccelerators,
  findAccelerator,
  fp32Equivalent,
  parseAcceleratorSpec,
  rackUnitsFromKw,
  STANDARD_RACK_KW,
  toAcceleratorLines,
} from './catalogue.ts';

describe('accelerator catalogue', () => {
  it('lists at least 20 cards with sane figures and unique names', () => {
    expect(ACCELERATOR_CATALOGUE.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ACCELERATOR_CATALOGUE.map((a) => a.model)).size).toBe(ACCELERATOR_CATALOGUE.length);
    for (const spec of ACCELERATOR_CATALOGUE) {
      expect(spec.peak.fp16, spec.model).toBeGreaterThan(0);
      expect(spec.memoryGb, spec.model).toBeGreaterThan(0);
      for (const value of Object.values(spec.peak)) expect(value).toBeGreaterThanOrEqual(0);
      // Every name a card answers to must lead back to that card, not to another.
      for (const alias of [spec.model, ...spec.aliases]) expect(findAccelerator(alias)?.model, alias).toBe(spec.model);
    }
    expect(ACCELERATOR_CATALOGUE.filter((a) => a.domestic).length).toBeGreaterThanOrEqual(10);
  });

  it('carries datasheet figures for well-known cards', () => {
    expect(findAccelerator('H200')).toMatchObject({ vendor: 'NVIDIA', domestic: false, memoryGb: 141, peak: { fp64: 67, fp32: 67, fp16: 989, int8: 1979 } });
    expect(findAccelerator('A100')?.peak).toEqual({ fp64: 19.5, fp32: 19.5, fp16: 312, int8: 624 });
    expect(findAccelerator('MLU370-X8')).toMatchObject({ domestic: true, estimated: false, peak: { fp32: 24, fp16: 96, int8: 256 } });
  });

  it('finds models whatever the case, spacing or vendor prefix', () => {
    for (const name of ['H200', 'h200', 'nvidia h200', 'NVIDIA  H200 SXM', ' H200 ']) expect(findAccelerator(name)?.model).toBe('H200');
    for (const name of ['910B', 'Ascend 910B', 'huawei ascend910b', '昇腾910B', '华为 昇腾 910B']) expect(findAccelerator(name)?.model).toBe('Ascend 910B');
    expect(findAccelerator('GeForce RTX 4090')?.model).toBe('RTX 4090');
    expect(findAccelerator('MTT S4000')?.vendor).toBe('Moore Threads');
    expect(findAccelerator('H20')?.model).toBe('H20');
    expect(findAccelerator('A10')?.model).toBe('A10');
    expect(findAccelerator('no such card')).toBeUndefined();
  });

  it('sums count × datasheet and reports unknown models once', () => {
    const { compute, unknown } = computeFromAccelerators([
      { model: 'H200', count: 512 },
      { model: '910B', count: 256 },
      { model: 'mystery', count: 3 },
      { model: 'mystery', count: 1 },
    ]);
    expect(compute).toEqual({ fp64: 512 * 67, fp32: 512 * 67 + 256 * 80, fp16: 512 * 989 + 256 * 320, int8: 512 * 1979 + 256 * 640 });
    expect(unknown).toEqual(['mystery']);
    expect(computeFromAccelerators([]).compute).toEqual({ fp64: 0, fp32: 0, fp16: 0, int8: 0 });
  });

  it('normalises to FP32-equivalent by the maximum over precisions, never the sum', () => {
    expect(fp32Equivalent({ fp64: 10, fp32: 15, fp16: 0, int8: 0 })).toBe(20);
    expect(fp32Equivalent({ fp64: 67, fp32: 67, fp16: 989, int8: 1979 })).toBe(494.75);
    expect(fp32Equivalent({ int8: 400 })).toBe(100);
    expect(fp32Equivalent({})).toBe(0);
  });

  it('parses inventories as people write them', () => {
    expect(parseAcceleratorSpec('512 × H200, 256x Ascend 910B')).toEqual([
      { model: 'H200', count: 512 },
      { model: 'Ascend 910B', count: 256 },
    ]);
    expect(parseAcceleratorSpec('8X A100，16 * mlu370-x8；H20 × 64\n910B x 8、2 L40S')).toEqual([
      { model: 'A100 80GB', count: 8 },
      { model: 'MLU370-X8', count: 16 },
      { model: 'H20', count: 64 },
      { model: 'Ascend 910B', count: 8 },
      { model: 'L40S', count: 2 },
    ]);
    expect(parseAcceleratorSpec('4 × Future Card 9000')).toEqual([{ model: 'Future Card 9000', count: 4 }]);
    expect(parseAcceleratorSpec('  ')).toEqual([]);
    expect(() => parseAcceleratorSpec('H200')).toThrow(/8 × H200/);
    expect(() => parseAcceleratorSpec('0 x H200')).toThrow(/0 x H200/);
  });

  it('fills vendor and domestic flag for inventory lines', () => {
    expect(toAcceleratorLines([{ model: '910b', count: 8 }, { model: 'X1', count: 1 }])).toEqual([
      { model: 'Ascend 910B', vendor: 'Huawei', count: 8, domestic: true },
      { model: 'X1', vendor: 'unknown', count: 1, domestic: false },
    ]);
  });

  it('converts kilowatts to standard racks of 2.5 kW', () => {
    expect(STANDARD_RACK_KW).toBe(2.5);
    expect(rackUnitsFromKw(10)).toBe(4);
    expect(rackUnitsFromKw(0)).toBe(0);
  });
});
