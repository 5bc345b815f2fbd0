/**
 * The comprehensive computing power index (综合算力指数): pure scoring, ranking and sensitivity.
 * Imports nothing with I/O. Deterministic to the bit: regions, dimensions and indicators are walked in
 * a fixed order and every sum is plain float arithmetic in that order; nothing is rounded except the
 * `scoreRounded` fields meant for display. The method is docs/methods/index.md.
 */
import { DIMENSIONS, type DimensionId, type IndexWeights, type IndicatorDefinition, INDICATORS, indicatorsOf, NEUTRAL_SCORE } from './index-method.ts';

/** One region's raw indicator values (index-method.ts ids); null where the region has no basis for the ratio. */
export interface IndexInput {
  code: string;
  name: string;
  values: Record<string, number | null>;
}

export interface IndicatorResult {
  value: number | null;
  score: number;
  weight: number;
}

export interface DimensionResult {
  score: number;
  weight: number;
  /** False when no sub-indicator of the dimension can be measured yet (its score is then neutral for everyone). */
  available: boolean;
  indicators: Record<string, IndicatorResult>;
}

export interface IndexRegionResult {
  code: string;
  name: string;
  rank: number;
  score: number;
  scoreRounded: number;
  dimensions: Record<DimensionId, DimensionResult>;
}

export const roundForDisplay = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Min–max normalisation to 0–100 over the compared regions, after a log10(1 + x) transform for `log`
 * indicators; inverted for lower-is-better. A region without a value scores 0; when every region has
 * the same value (or the indicator is not available) the present ones score the neutral 50.
 */
export function normalise(values: readonly (number | null)[], definition: Pick<IndicatorDefinition, 'scale' | 'direction' | 'available'>): number[] {
  if (!definition.available || values.every((value) => value === null)) return values.map(() => NEUTRAL_SCORE);
  const transformed = values.map((value) => (value === null ? null : definition.scale === 'log' ? Math.log10(1 + value) : value));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of transformed) {
    if (t === null) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const span = max - min;
  return transformed.map((t) => {
    if (t === null) return 0;
    if (span === 0) return NEUTRAL_SCORE;
    return definition.direction === 'higher' ? ((t - min) / span) * 100 : ((max - t) / span) * 100;
  });
}

/** Codes are ASCII digits: a plain comparison, independent of the locale. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ranks 1..n by score descending, ties broken by code ascending. Returns code → rank. */
export function rankByScore(rows: readonly { code: string; score: number }[]): Map<string, number> {
  const sorted = [...rows].sort((a, b) => (b.score !== a.score ? (b.score > a.score ? 1 : -1) : byCode(a.code, b.code)));
  return new Map(sorted.map((row, position) => [row.code, position + 1]));
}

/** Σ dimension weight × dimension score, in the fixed dimension order. */
function combine(weights: Record<DimensionId, number>, dimensionScores: Record<DimensionId, number>): number {
  let score = 0;
  for (const dimension of DIMENSIONS) score += weights[dimension] * dimensionScores[dimension];
  return score;
}

/** Scores and ranks every region; the result is ordered by rank. `weights` must come from resolveWeights. */
export function scoreIndex(inputs: readonly IndexInput[], weights: IndexWeights): IndexRegionResult[] {
  const regions = [...inputs].sort((a, b) => byCode(a.code, b.code));
  const indicatorScores = new Map<string, number[]>();
  for (const indicator of INDICATORS) {
    indicatorScores.set(indicator.id, normalise(regions.map((region) => region.values[indicator.id] ?? null), indicator));
  }
  const results = regions.map((region, position) => {
    const dimensions = {} as Record<DimensionId, DimensionResult>;
    for (const dimension of DIMENSIONS) {
      const indicators: Record<string, IndicatorResult> = {};
      let score = 0;
      for (const indicator of indicatorsOf(dimension)) {
        const weight = weights.indicators[indicator.id];
        const indicatorScore = indicatorScores.get(indicator.id)![position];
        score += weight * indicatorScore;
        indicators[indicator.id] = { value: region.values[indicator.id] ?? null, score: indicatorScore, weight };
      }
      dimensions[dimension] = { score, weight: weights.dimensions[dimension], available: indicatorsOf(dimension).some((i) => i.available), indicators };
    }
    const score = combine(weights.dimensions, dimensionScoresOf(dimensions));
    return { code: region.code, name: region.name, rank: 0, score, scoreRounded: roundForDisplay(score), dimensions };
  });
  const ranks = rankByScore(results);
  for (const result of results) result.rank = ranks.get(result.code)!;
  return results.sort((a, b) => a.rank - b.rank);
}

function dimensionScoresOf(dimensions: Record<DimensionId, DimensionResult>): Record<DimensionId, number> {
  const scores = {} as Record<DimensionId, number>;
  for (const dimension of DIMENSIONS) scores[dimension] = dimensions[dimension].score;
  return scores;
}

/**
 * Dimension weights with `dimension` multiplied by `factor` (capped at 1) and the others scaled
 * proportionally so the total stays 1. A dimension at weight 0, or alone at weight 1, cannot move.
 */
export function moveWeight(weights: Record<DimensionId, number>, dimension: DimensionId, factor: number): Record<DimensionId, number> {
  const current = weights[dimension];
  const rest = 1 - current;
  const moved = { ...weights };
  if (current === 0 || rest <= 0) return moved;
  const target = Math.min(1, current * factor);
  for (const other of DIMENSIONS) moved[other] = other === dimension ? target : (weights[other] * (1 - target)) / rest;
  return moved;
}

export interface SensitivityScenario {
  dimension: DimensionId;
  /** Relative change of the dimension's weight: -0.2 or +0.2. */
  change: number;
  weights: Record<DimensionId, number>;
  maxRankShift: number;
  ranks: { code: string; rank: number; shift: number }[];
}

export interface SensitivityResult {
  step: number;
  baseline: { code: string; name: string; rank: number; score: number; bestRank: number; worstRank: number; maxRankShift: number }[];
  scenarios: SensitivityScenario[];
  maxRankShift: number;
}

/** For each dimension weight moved by −step and +step (others renormalised): every region's new rank and the largest shift. */
export function sensitivity(inputs: readonly IndexInput[], weights: IndexWeights, step = 0.2): SensitivityResult {
  const base = scoreIndex(inputs, weights);
  const dimensionScores = base.map((region) => dimensionScoresOf(region.dimensions));
  const best = new Map(base.map((region) => [region.code, region.rank]));
  const worst = new Map(base.map((region) => [region.code, region.rank]));
  const scenarios: SensitivityScenario[] = [];
  for (const dimension of DIMENSIONS) {
    for (const change of [-step, step]) {
      const moved = moveWeight(weights.dimensions, dimension, 1 + change);
      const ranks = rankByScore(base.map((region, i) => ({ code: region.code, score: combine(moved, dimensionScores[i]) })));
      let maxRankShift = 0;
      const rows = base.map((region) => {
        const rank = ranks.get(region.code)!;
        const shift = rank - region.rank;
        maxRankShift = Math.max(maxRankShift, Math.abs(shift));
        best.set(region.code, Math.min(best.get(region.code)!, rank));
        worst.set(region.code, Math.max(worst.get(region.code)!, rank));
        return { code: region.code, rank, shift };
      });
      scenarios.push({ dimension, change, weights: moved, maxRankShift, ranks: rows });
    }
  }
  const baseline = base.map((region) => {
    const bestRank = best.get(region.code)!;
    const worstRank = worst.get(region.code)!;
    return { code: region.code, name: region.name, rank: region.rank, score: region.score, bestRank, worstRank, maxRankShift: Math.max(region.rank - bestRank, worstRank - region.rank) };
  });
  return { step, baseline, scenarios, maxRankShift: Math.max(0, ...scenarios.map((s) => s.maxRankShift)) };
}
