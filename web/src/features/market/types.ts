/** Shapes of the marketplace API (docs/market.md, src/market/schema.ts), kept by hand like ../../types.ts. */

export const RESOURCE_KINDS = ['gpu', 'npu', 'bare_metal', 'cpu', 'storage', 'model_api'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const PRICE_UNITS = ['card_hour', 'core_hour', '1k_tokens', 'month'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Which units fit which kind (src/market/products.ts UNITS_BY_KIND). */
export const UNITS_BY_KIND: Record<ResourceKind, readonly PriceUnit[]> = {
  gpu: ['card_hour', 'month'],
  npu: ['card_hour', 'month'],
  bare_metal: ['card_hour', 'month'],
  cpu: ['core_hour', 'month'],
  storage: ['month'],
  model_api: ['1k_tokens'],
};

/** Kinds whose offers name an accelerator from the catalogue. */
export const ACCELERATED_KINDS: readonly ResourceKind[] = ['gpu', 'npu', 'bare_metal'];

export const ORDER_STATES = ['quote', 'reserved', 'active', 'completed', 'cancelled', 'disputed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const HARD_CONSTRAINTS = ['model', 'tflops', 'count', 'memory', 'window', 'region', 'residency', 'latency', 'price'] as const;
export type HardConstraint = (typeof HARD_CONSTRAINTS)[number];

export const WEIGHT_TERMS = ['price', 'latency', 'green', 'reputation', 'utilisation'] as const;
export type WeightTerm = (typeof WEIGHT_TERMS)[number];
export type Weights = Record<WeightTerm, number>;

/** The server's defaults for weights left out (src/market/schema.ts). */
export const DEFAULT_WEIGHTS: Weights = { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 };

export interface ProductTemplate {
  code: string;
  name: string;
  nameEn: string;
  resourceKind: ResourceKind;
  acceleratorModel: string | null;
  memoryGb: number | null;
  interconnect: string | null;
  unit: PriceUnit;
  minTermHours: number;
  description: string;
}

export interface Offer {
  id: string;
  title: string;
  product: string | null;
  status: 'open' | 'withdrawn' | 'expired';
  supplierOrgId: string;
  supplierOrgName: string | null;
  supplierReputation: number;
  supplierRatings: number;
  facilityId: string;
  facilityName: string | null;
  computeId: string | null;
  regionCode: string;
  regionName: string | null;
  provinceCode: string;
  cityCode: string | null;
  resourceKind: string;
  acceleratorModel: string | null;
  memoryGb: number | null;
  interconnect: string | null;
  quantityTotal: number;
  quantityAvailable: number;
  availableFrom: string | null;
  availableTo: string | null;
  window: { start: string; end: string };
  pricePerUnit: number;
  unit: string;
  currency: string;
  minTermHours: number;
  slaPct: number;
  certifications: string[];
  greenPowerPct: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Demand {
  id: string;
  title: string;
  status: string;
  demanderOrgId: string;
  demanderOrgName: string | null;
  resourceKind: string | null;
  hard: { acceleratorModel?: string; minTflops?: number | null; precision?: string | null };
  count: number;
  memoryGb: number | null;
  start: string;
  end: string;
  durationHours: number;
  regionsAllowed: string[];
  dataResidency: string | null;
  latency: { fromRegionCode: string; fromRegionName: string | null; maxMs: number } | null;
  maxPricePerUnit: number | null;
  weights: Weights;
  regionCode: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Failure {
  constraint: HardConstraint;
  detail: string;
  required?: number | string;
  actual?: number | string;
}

export interface Candidate {
  rank: number;
  offerId: string;
  score: number;
  terms: Weights;
  latencyMs: number | null;
  latencyBasis: string | null;
  totalPrice: number | null;
  offer: Offer;
}

export interface Exclusion extends Failure {
  offerId: string;
}

export interface NearestMiss extends Failure {
  offerId: string;
  gap: number;
  offer: Offer;
}

export interface RelaxHint {
  constraint: string;
  parameter: string;
  to: number | string | null;
  offers: number;
}

export interface MatchResponse {
  demandId: string;
  evaluatedAt: string;
  offersConsidered: number;
  feasibleCount: number;
  candidates: Candidate[];
  excluded: Exclusion[];
  excludedOffset: number;
  excludedTotal: number;
  excludedCounts: Record<HardConstraint, number>;
  nearestMisses: NearestMiss[];
  hints: RelaxHint[];
  message: string | null;
  weights: Weights;
  method: string;
  matchMs: number;
}

export interface Order {
  id: string;
  state: OrderState;
  offerId: string;
  offerTitle: string | null;
  demandId: string | null;
  buyerOrgId: string;
  buyerOrgName: string | null;
  supplierOrgId: string;
  supplierOrgName: string | null;
  facilityId: string;
  regionCode: string;
  quantity: number;
  start: string;
  end: string;
  unitPrice: number;
  unit: string;
  currency: string;
  totalAmount: number | null;
  settledAmount: number | null;
  quoteExpiresAt: string | null;
  reason: string | null;
  rating: { stars: number; comment: string; createdAt: string } | null;
  idempotencyKey: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  reservedAt: string | null;
  activatedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  disputedAt: string | null;
}

/** A field error of a problem+json answer (src/errors.ts FieldError). */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
}
