/**
 * A small seeded PRNG for demo data: the same seed must give the same national dataset on every
 * machine and Node version, which Math.random cannot promise.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by non-negative weight; throws when every weight is 0. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
  /** Normal (Box–Muller). */
  normal(mean: number, sd: number): number;
  /** Log-normal with the given median and log-space sigma: sizes with a long right tail. */
  logNormal(median: number, sigma: number): number;
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent stream derived from the seed and a label (not from this stream's position), so
   * adding draws in one part of the generator does not shift another. Same label, same stream.
   */
  fork(label: string): Random;
}

/** mulberry32: 32-bit state, fast, good enough statistically for synthetic data (not for secrets). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashLabel(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const random: Random = {
    next,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items, weightOf) => {
      const weights = items.map((item) => Math.max(0, weightOf(item)));
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (!(total > 0)) throw new Error('weighted pick with no positive weight');
      let target = next() * total;
      for (let i = 0; i < items.length; i++) {
        target -= weights[i] ?? 0;
        if (target < 0) return items[i] as (typeof items)[number];
      }
      // Floating-point leftovers land on the last item with weight.
      const last = weights.findLastIndex((w) => w > 0);
      return items[last] as (typeof items)[number];
    },
    normal: (mean, sd) => {
      const u = 1 - next(); // (0, 1], so the log is finite
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigma) => median * Math.exp(random.normal(0, sigma)),
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
    fork: (label) => createRandom(hashLabel(seed, label)),
  };
  return random;
}
