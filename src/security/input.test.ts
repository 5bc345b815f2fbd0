import { describe, expect, it } from 'vitest';
import { findNonFinite, findNul } from './input.ts';

describe('input guards', () => {
  it('finds a NUL character in nested values and keys, as a JSON pointer', () => {
    expect(findNul({ a: [{ b: 'ok' }, { c: 'x\u0000y' }] })).toBe('/a/1/c');
    expect(findNul({ 'k\u0000': 1 })).toBe('/k\u0000');
    expect(findNul('\u0000')).toBe('/');
    expect(findNul({ a: 'fine', b: [1, null, true], c: Buffer.from([0]) })).toBeNull();
  });

  it('finds numbers that are not finite', () => {
    expect(findNonFinite({ limit: Infinity })).toBe('/limit');
    expect(findNonFinite({ a: [1, Number.NaN] })).toBe('/a/1');
    expect(findNonFinite({ a: 1e308, b: -0, c: 'Infinity' })).toBeNull();
  });
});
