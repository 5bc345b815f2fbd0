import { describe, expect, it } from 'vitest';
import { changedFields, comparableChange, sameValue } from './diff.ts';

describe('changedFields', () => {
  it('lists changed edits in form order and skips bookkeeping', () => {
    const before = { name: 'A', racksInUse: 10, racksDesigned: 100, version: 1, updatedAt: 'x', rackUtilization: 0.1 };
    const after = { name: 'A', racksInUse: 20, racksDesigned: 120, version: 2, updatedAt: 'y', rackUtilization: 0.17 };
    expect(changedFields(before, after)).toEqual([
      { field: 'racksDesigned', before: 100, after: 120 },
      { field: 'racksInUse', before: 10, after: 20 },
    ]);
  });

  it('treats missing, undefined, null and empty text as the same', () => {
    expect(changedFields({ address: '', pueMeasured: null }, { pueMeasured: undefined })).toEqual([]);
  });

  it('compares objects and arrays by value, whatever the key order', () => {
    expect(sameValue({ fp64: 1, fp32: 2 }, { fp32: 2, fp64: 1 })).toBe(true);
    const change = changedFields(
      { accelerators: [{ model: 'A100', count: 8 }] },
      { accelerators: [{ model: 'A100', count: 16 }] },
    );
    expect(change.map((c) => c.field)).toEqual(['accelerators']);
  });

  it('limits a proposal to the fields it sets', () => {
    const current = { name: 'A', racksDesigned: 100, storagePb: 5 };
    expect(changedFields(current, { name: 'B' }, { onlyAfterKeys: true })).toEqual([{ field: 'name', before: 'A', after: 'B' }]);
  });

  it('compares accelerator inventories by model and count only, in any order', () => {
    const current = { accelerators: [{ model: 'A800', vendor: 'NVIDIA', count: 8, domestic: false }, { model: '910B', vendor: 'Huawei', count: 4, domestic: true }] };
    const same = comparableChange(current, { accelerators: [{ model: '910B', vendor: '华为', count: 4, domestic: true }, { model: 'A800', vendor: 'Nvidia', count: 8, domestic: false }] });
    expect(changedFields(same.before, same.after, { onlyAfterKeys: true })).toEqual([]);
    const more = comparableChange(current, { accelerators: [{ model: 'A800', count: 16 }] });
    expect(changedFields(more.before, more.after, { onlyAfterKeys: true }).map((c) => c.field)).toEqual(['accelerators']);
  });

  it("compares a proposal's compute with what was declared, not with the derived total", () => {
    const current = { compute: { fp64: 10, fp32: 20, fp16: 400, int8: 800 }, computeDeclared: { fp64: 1, fp32: 2, fp16: 0, int8: 0 } };
    const same = comparableChange(current, { compute: { fp64: 1, fp32: 2 } });
    expect(changedFields(same.before, same.after, { onlyAfterKeys: true })).toEqual([]);
    const more = comparableChange(current, { compute: { fp64: 1, fp32: 5 } });
    expect(changedFields(more.before, more.after, { onlyAfterKeys: true })).toEqual([
      { field: 'compute', before: { fp64: 1, fp32: 2, fp16: 0, int8: 0 }, after: { fp64: 1, fp32: 5, fp16: 0, int8: 0 } },
    ]);
  });
});
