/**
 * Weights of one index run: the defaults, overridden id by id, validated and normalised.
 * Pure: no I/O. Errors are INVALID_WEIGHTS (400) with the list of valid ids.
 */
import { AppError } from '../errors.ts';
import { DEFAULT_WEIGHTS, DIMENSIONS, type DimensionId, type IndexWeights, INDICATOR_IDS, indicatorsOf, WEIGHT_IDS } from './index-method.ts';

const HINT = `Give weights as JSON ({"compute":0.4,"environment.pue":0.5}) or as id:weight pairs (compute:0.4,environment:0.3). Ids not given keep their default; each group is then scaled to sum 1.`;

export function invalidWeights(problem: string): AppError {
  return new AppError(400, 'INVALID_WEIGHTS', `${problem} ${HINT} Valid ids: ${WEIGHT_IDS.join(', ')}.`, { extra: { validIds: [...WEIGHT_IDS] } });
}

/** Reads `{"compute":0.4}` or `compute:0.4,environment:0.3` into id → weight, rejecting anything else. */
export function parseWeights(text: string): Record<string, number> {
  const trimmed = text.trim();
  if (trimmed === '') throw invalidWeights('The weights are empty.');
  const entries: [string, unknown][] = [];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw invalidWeights('The weights are not valid JSON.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidWeights('The weights must be a JSON object of id → number.');
    entries.push(...Object.entries(parsed));
  } else {
    for (const pair of trimmed.split(',')) {
      const separator = pair.lastIndexOf(':');
      if (separator < 0) throw invalidWeights(`${JSON.stringify(pair.trim())} is not an id:weight pair.`);
      const value = pair.slice(separator + 1).trim();
      entries.push([pair.slice(0, separator).trim(), value === '' ? Number.NaN : Number(value)]);
    }
  }
  const weights: Record<string, number> = {};
  for (const [id, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidWeights(`The weight of ${JSON.stringify(id)} is not a finite number.`);
    if (value < 0) throw invalidWeights(`The weight of ${JSON.stringify(id)} is negative (${value}).`);
    if (Object.hasOwn(weights, id)) throw invalidWeights(`${JSON.stringify(id)} is given twice.`);
    weights[id] = value;
  }
  const unknown = Object.keys(weights).filter((id) => !WEIGHT_IDS.includes(id));
  if (unknown.length) throw invalidWeights(`Unknown ${unknown.length === 1 ? 'id' : 'ids'} ${unknown.map((id) => JSON.stringify(id)).join(', ')}.`);
  return weights;
}

/** Sums in the fixed order of `ids`, so the same weights always give the same bits. */
function sumOf(values: Record<string, number>, ids: readonly string[]): number {
  let total = 0;
  for (const id of ids) total += values[id];
  return total;
}

/**
 * The defaults with `overrides` applied, dimension weights scaled to sum 1 and each dimension's
 * sub-indicator weights scaled to sum 1. A dimension whose weight is 0 may have all-zero sub-indicators.
 */
export function resolveWeights(overrides: Record<string, number> = {}): IndexWeights {
  for (const [id, value] of Object.entries(overrides)) {
    if (!WEIGHT_IDS.includes(id)) throw invalidWeights(`Unknown id ${JSON.stringify(id)}.`);
    if (!Number.isFinite(value) || value < 0) throw invalidWeights(`The weight of ${JSON.stringify(id)} must be a finite number ≥ 0.`);
  }
  const dimensionRaw: Record<string, number> = {};
  for (const dimension of DIMENSIONS) dimensionRaw[dimension] = overrides[dimension] ?? DEFAULT_WEIGHTS.dimensions[dimension];
  const dimensionTotal = sumOf(dimensionRaw, DIMENSIONS);
  if (!(dimensionTotal > 0)) throw invalidWeights('The dimension weights sum to 0: at least one dimension needs a positive weight.');

  const dimensions = {} as Record<DimensionId, number>;
  for (const dimension of DIMENSIONS) dimensions[dimension] = dimensionRaw[dimension] / dimensionTotal;

  const indicators: Record<string, number> = {};
  for (const dimension of DIMENSIONS) {
    const ids = indicatorsOf(dimension).map((indicator) => indicator.id);
    const raw: Record<string, number> = {};
    for (const id of ids) raw[id] = overrides[id] ?? DEFAULT_WEIGHTS.indicators[id];
    const total = sumOf(raw, ids);
    if (!(total > 0) && dimensions[dimension] > 0) {
      throw invalidWeights(`The sub-indicator weights of ${dimension} (${ids.join(', ')}) sum to 0 while ${dimension} has a positive weight: give one of them a positive weight, or set ${dimension}:0.`);
    }
    for (const id of ids) indicators[id] = total > 0 ? raw[id] / total : 0;
  }
  return { dimensions, indicators: Object.fromEntries(INDICATOR_IDS.map((id) => [id, indicators[id]])) };
}
