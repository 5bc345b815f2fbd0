/** Integer allocation helpers: split a published total across items so the parts add up exactly. */

export interface Bounds {
  min: number;
  max: number;
}

/**
 * Splits `total` in proportion to `weights`, each part within its bounds (water-filling: parts that
 * hit a bound are fixed and the rest is re-split). Parts are integers summing to `total` whenever
 * the bounds allow it; otherwise every part sits at the bound that was in the way.
 */
export function allocateWithin(total: number, weights: readonly number[], bounds: readonly Bounds[]): number[] {
  const n = weights.length;
  const parts = new Array<number>(n).fill(0);
  const fixed = new Array<boolean>(n).fill(false);
  let remaining = total;
  for (let round = 0; round <= n; round++) {
    const free = [...Array(n).keys()].filter((i) => !fixed[i]);
    if (free.length === 0) break;
    const weightSum = free.reduce((sum, i) => sum + (weights[i] ?? 0), 0);
    let clamped = false;
    for (const i of free) {
      const share = weightSum > 0 ? (remaining * (weights[i] ?? 0)) / weightSum : remaining / free.length;
      const { min, max } = bounds[i] ?? { min: 0, max: Infinity };
      parts[i] = Math.min(max, Math.max(min, share));
    }
    // Fix the side that overshoots most: if free parts overshoot in total, fix those at max, else at min.
    const sum = free.reduce((s, i) => s + (parts[i] ?? 0), 0);
    for (const i of free) {
      const { min, max } = bounds[i] ?? { min: 0, max: Infinity };
      const atMax = parts[i] === max && sum < remaining;
      const atMin = parts[i] === min && sum > remaining;
      if (atMax || atMin) {
        fixed[i] = true;
        remaining -= parts[i] ?? 0;
        clamped = true;
      }
    }
    if (!clamped) break;
  }
  return roundPreservingSum(parts, bounds);
}

/** Rounds down, then hands the leftover units to the largest fractional parts that have room. */
export function roundPreservingSum(parts: readonly number[], bounds?: readonly Bounds[]): number[] {
  const floors = parts.map((p) => Math.floor(p));
  let leftover = Math.round(parts.reduce((s, p) => s + p, 0)) - floors.reduce((s, p) => s + p, 0);
  const order = [...parts.keys()].sort((a, b) => (parts[b] ?? 0) - Math.floor(parts[b] ?? 0) - ((parts[a] ?? 0) - Math.floor(parts[a] ?? 0)));
  for (const i of order) {
    if (leftover <= 0) break;
    const max = bounds?.[i]?.max ?? Infinity;
    if ((floors[i] ?? 0) + 1 <= max) {
      floors[i] = (floors[i] ?? 0) + 1;
      leftover--;
    }
  }
  return floors;
}

/** Splits an integer count in proportion to weights (largest remainder), each at least `minimum`. */
export function apportion(count: number, weights: readonly number[], minimum = 0): number[] {
  const base = weights.map(() => minimum);
  const rest = Math.max(0, count - minimum * weights.length);
  const total = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => (total > 0 ? (rest * w) / total : rest / weights.length));
  const rounded = roundPreservingSum(shares);
  return base.map((b, i) => b + (rounded[i] ?? 0));
}
