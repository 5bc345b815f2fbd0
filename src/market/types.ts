/**
 * Marketplace vocabulary for the matching engine: what a supplier offers and what a demander needs.
 * Pure data; the store and routes map their rows to these shapes. Method: docs/methods/ranking.md.
 */
import type { Precision } from '../ledger/types.ts';

export const RESOURCE_KINDS = ['gpu', 'npu', 'cpu', 'storage', 'bare_metal', 'model_api'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** card-hour 卡时, core-hour 核时, 1k tokens, month. Currency is always CNY. */
export const PRICE_UNITS = ['card_hour', 'core_hour', '1k_tokens', 'month'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Hours in a billing month (365 × 24 / 12), used to bill monthly offers in whole months. */
export const HOURS_PER_MONTH = 730;

export interface TimeWindow {
  start: string; // UTC ISO 8601
  end: string;
}

export interface Offer {
  id: string;
  facilityId: string;
  supplierOrgId: string;
  regionCode: string; // GB/T 2260 code of the facility's region
  resourceKind: ResourceKind;
  acceleratorModel?: string; // catalogue name (or alias) for gpu / npu / bare_metal
  count: number; // available quantity: cards, cores, TB, … (one unit of `unit`)
  memoryGb?: number; // per unit; falls back to the catalogue figure for a known accelerator
  interconnect?: string; // e.g. 'NVLink', 'RoCE 400G', 'HCCS'
  window: TimeWindow; // when the capacity can be used; past `end` the offer has expired
  pricePerUnit: number; // CNY per `unit`
  unit: PriceUnit;
  minTermHours: number;
  slaPct: number; // availability, %
  greenPowerPct: number; // inherited from the facility, 0–100
  facilityRackUtilization: number; // racks in use / designed, 0–1 (上架率)
  supplierReputation: number; // 0–5, from ratings after completed orders
  lon: number;
  lat: number;
}

/** Either a named accelerator, or any accelerator reaching a per-card peak at a precision. */
export type ComputeRequirement = { acceleratorModel: string } | { minTflops: number; precision: Precision };

/** Soft preferences, each a non-negative weight; the score is Σ weight × normalised value. */
export interface SoftWeights {
  price: number;
  latency: number;
  green: number;
  reputation: number;
  utilisation: number;
}

export interface LatencyBound {
  fromRegionCode: string; // e.g. 大同 140200
  maxMs: number; // one-way, see latency.ts
}

export interface Demand {
  id: string;
  resourceKind?: ResourceKind; // when set, an offer of another kind is excluded
  hard: ComputeRequirement;
  count: number; // units needed, all from one offer (no split: see docs/methods/ranking.md)
  memoryGb?: number; // per unit
  start: string; // UTC ISO 8601
  end?: string; // give `end` or `durationHours`
  durationHours?: number;
  regionsAllowed?: string[]; // a province or city code allows everything beneath it
  dataResidency?: string; // province code the data must stay in
  latency?: LatencyBound;
  maxPricePerUnit?: number; // CNY per unit-hour (per 1k tokens for model APIs)
  weights: SoftWeights;
}

/** The hard constraints in the order they are checked; an excluded offer reports the first it failed. */
export const HARD_CONSTRAINTS = ['model', 'tflops', 'count', 'memory', 'window', 'region', 'residency', 'latency', 'price'] as const;
export type HardConstraint = (typeof HARD_CONSTRAINTS)[number];

export interface ConstraintFailure {
  constraint: HardConstraint;
  detail: string;
  required?: number | string; // what the demand asked, when it is a number or a code
  actual?: number | string; // what the offer has
}

export type ScoreTerms = SoftWeights;

export interface Candidate {
  offerId: string;
  score: number; // exactly Σ terms
  terms: ScoreTerms; // weight × normalised value
  latencyMs: number | null; // null when the demand names no origin
  totalPrice: number | null; // CNY for count × duration; null for per-token offers
}

export interface Exclusion {
  offerId: string;
  failed: ConstraintFailure;
}

export interface NearestMiss {
  offerId: string;
  failed: ConstraintFailure; // the only constraint it failed
  gap: number; // how far off, relative (0.48 = 48% beyond the bound); 1 for yes/no constraints
}

/** A suggestion for a demand nothing matched: which parameter to change, and to what. */
export interface RelaxHint {
  constraint: HardConstraint;
  parameter: string; // the demand field, e.g. 'latency.maxMs'
  to: number | string | null; // a value that would admit at least one offer; null when none can be named
  offers: number; // how many nearest misses this relaxation admits
}

export interface MatchResult {
  candidates: Candidate[];
  excluded: Exclusion[]; // in input order, up to MatchOptions.excludedLimit
  excludedCounts: Record<HardConstraint, number>; // every excluded offer, by its first failure
  feasibleCount: number; // candidates before top-K
  nearestMisses: NearestMiss[];
  hints: RelaxHint[];
  message: string | null; // one sentence for the user when nothing matched
}
