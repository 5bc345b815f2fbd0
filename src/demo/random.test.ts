import { describe, expect, it } from 'vitest';
import { createRandom, mulberry32 } from './random.ts';

describe('seeded random', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    const c = mulberry32(43);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keeps helpers within their ranges', () => {
    const random = createRandom(7);
    for (let i = 0; i < 1000; i++) {
      const n = random.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      const f = random.float(1.15, 1.6);
      expect(f >= 1.15 && f < 1.6).toBe(true);
    }
    expect(random.weighted(['a', 'b', 'c'], (x) => (x === 'b' ? 1 : 0))).toBe('b');
    expect(() => random.weighted(['a'], () => 0)).toThrow();
    expect(() => random.pick([])).toThrow();
    expect(random.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
  });

  it('draws normals with about the right mean and spread', () => {
    const random = createRandom(1);
    const xs = Array.from({ length: 20_000 }, () => random.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('forks independent streams by label, whatever the parent has drawn', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    b.next();
    b.next();
    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });
});
