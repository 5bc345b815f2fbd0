/** TypeBox request and response schemas of the marketplace API (docs/market.md). */
import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery } from '../http/types.ts';
import { PRECISIONS } from '../ledger/types.ts';
import { PRICE_UNITS, RESOURCE_KINDS } from './types.ts';
import { HARD_CONSTRAINTS } from './types.ts';
import { ORDER_STATES } from './rules.ts';

const L = Type.Literal;
/** One of fixed strings, typed as a string (a union of mapped literals would type as never). */
const StringEnum = (values: readonly string[], description?: string) => Type.String({ enum: [...values], ...(description ? { description } : {}) });
const Kind = StringEnum(RESOURCE_KINDS, 'gpu, npu (domestic cards), cpu, storage, bare_metal, model_api');
const Unit = StringEnum(PRICE_UNITS, 'card_hour 卡时, core_hour 核时, 1k_tokens, month; prices in CNY');
const Time = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const RegionCode = Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 six-digit region code' });
const NumberOrString = Type.Unsafe<number | string>({ type: ['number', 'string'] });
/** A number or null as one type list (see src/monitoring/alerts/routes.ts for why not a union). */
const NumberOrNull = (options: Record<string, unknown> = {}) => Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });
const StringOrNull = (options: Record<string, unknown> = {}) => Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

export { IdParams } from '../http/types.ts';

// ---------------------------------------------------------------- offers

export const ProductTemplate = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    resourceKind: Kind,
    acceleratorModel: Nullable(Type.String()),
    memoryGb: Nullable(Type.Number()),
    interconnect: Nullable(Type.String()),
    unit: Unit,
    minTermHours: Type.Number(),
    description: Type.String(),
  },
  { $id: 'ProductTemplate' },
);

export const OfferInput = Type.Object(
  {
    facilityId: Type.String({ maxLength: 100, description: 'one of your approved facilities (in operation)' }),
    product: Type.Optional(Type.String({ maxLength: 60, description: 'a standard product code (GET /api/v1/market/products): fills kind, accelerator, memory, interconnect, unit and minimum term' })),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    resourceKind: Type.Optional(Kind),
    acceleratorModel: Type.Optional(Type.String({ maxLength: 100, description: 'a catalogue model (GET /api/v1/catalogue/accelerators) for gpu, npu and bare_metal' })),
    memoryGb: Type.Optional(Type.Number({ description: 'per unit; default the catalogue figure' })),
    interconnect: Type.Optional(Type.String({ maxLength: 100 })),
    quantity: Type.Integer({ maximum: 100_000_000, description: 'units offered: cards, cores, TB or request slots; at most the facility registers for an accelerator' }),
    window: Type.Object({ start: Time(), end: Time() }, { additionalProperties: false, description: 'when the capacity can be used; past the end the offer has expired' }),
    pricePerUnit: Type.Number({ description: 'CNY per unit (card-hour, core-hour, 1k tokens, month)' }),
    unit: Type.Optional(Unit),
    minTermHours: Type.Optional(Type.Number({ description: 'default 1 (or the product’s)' })),
    slaPct: Type.Optional(Type.Number({ description: 'availability, %, default 99.9' })),
    certifications: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20, description: 'e.g. 等保三级, ISO 27001' })),
  },
  { additionalProperties: false },
);

export const OfferPatch = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    memoryGb: Type.Optional(NumberOrNull()),
    interconnect: Type.Optional(StringOrNull({ maxLength: 100 })),
    quantity: Type.Optional(Type.Integer({ maximum: 100_000_000, description: 'cannot drop below what orders hold at once' })),
    window: Type.Optional(Type.Object({ start: Type.Optional(Time()), end: Type.Optional(Time()) }, { additionalProperties: false })),
    pricePerUnit: Type.Optional(Type.Number({ description: 'applies to new orders; existing orders keep their price' })),
    minTermHours: Type.Optional(Type.Number()),
    slaPct: Type.Optional(Type.Number()),
    certifications: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const OfferFields = {
  id: Type.String(),
  title: Type.String(),
  product: Nullable(Type.String()),
  status: Type.Union([L('open'), L('withdrawn'), L('expired')]),
  supplierOrgId: Type.String(),
  supplierOrgName: Nullable(Type.String()),
  supplierReputation: Type.Number({ description: 'Bayesian average of the supplier’s ratings, 1–5 (docs/market.md)' }),
  supplierRatings: Type.Integer(),
  facilityId: Type.String(),
  facilityName: Nullable(Type.String()),
  computeId: Nullable(Type.String()),
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  provinceCode: Type.String(),
  cityCode: Nullable(Type.String()),
  resourceKind: Type.String(),
  acceleratorModel: Nullable(Type.String()),
  memoryGb: Nullable(Type.Number()),
  interconnect: Nullable(Type.String()),
  quantityTotal: Type.Integer(),
  quantityAvailable: Type.Integer({ description: 'units free at every instant of [availableFrom, availableTo)' }),
  availableFrom: Nullable(Type.String({ format: 'date-time' })),
  availableTo: Nullable(Type.String({ format: 'date-time' })),
  window: Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) }),
  pricePerUnit: Type.Number(),
  unit: Type.String(),
  currency: Type.String(),
  minTermHours: Type.Number(),
  slaPct: Type.Number(),
  certifications: Type.Array(Type.String()),
  greenPowerPct: Type.Number({ description: 'the facility’s green power share, %' }),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};
export const Offer = Type.Object(OfferFields, { $id: 'Offer' });

export const OfferListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.String({ maxLength: 100, description: 'open (default), withdrawn, expired; comma-separated' })),
  kind: Type.Optional(Type.String({ maxLength: 200 })),
  model: Type.Optional(Type.String({ maxLength: 200, description: 'accelerator models, comma-separated (aliases resolve)' })),
  product: Type.Optional(Type.String({ maxLength: 200 })),
  unit: Type.Optional(Type.String({ maxLength: 100 })),
  region: Type.Optional(RegionCode),
  supplier: Type.Optional(Type.String({ maxLength: 100, description: 'supplier organisation id' })),
  facility: Type.Optional(Type.String({ maxLength: 100 })),
  maxPrice: Type.Optional(Type.Number({ minimum: 0, description: 'CNY per unit' })),
  minPrice: Type.Optional(Type.Number({ minimum: 0, description: 'CNY per unit' })),
  minGreen: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'the facility’s green power share at least this, %' })),
  start: Type.Optional(Time('with end: offers whose window covers [start, end], their capacity free over it')),
  end: Type.Optional(Time()),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(Type.String({ maxLength: 40, description: 'createdAt, pricePerUnit or windowEnd; prefix - for descending (default -createdAt)' })),
});

// ---------------------------------------------------------------- demands

const Weights = Type.Object(
  {
    price: Type.Optional(Type.Number()),
    latency: Type.Optional(Type.Number()),
    green: Type.Optional(Type.Number()),
    reputation: Type.Optional(Type.Number()),
    utilisation: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, description: 'soft preferences, each ≥ 0; default price 1, latency 1, green 0.5, reputation 0.5, utilisation 0.5' },
);

export const DemandInput = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    resourceKind: Type.Optional(Kind),
    hard: Type.Object(
      {
        acceleratorModel: Type.Optional(Type.String({ maxLength: 100, description: 'a catalogue model, e.g. H200' })),
        minTflops: Type.Optional(Type.Number({ description: 'per card, with precision; instead of a model' })),
        precision: Type.Optional(StringEnum(PRECISIONS)),
      },
      { additionalProperties: false },
    ),
    count: Type.Integer({ maximum: 100_000_000, description: 'units needed from one offer' }),
    memoryGb: Type.Optional(Type.Number()),
    start: Time(),
    end: Type.Optional(Time('give end or durationHours')),
    durationHours: Type.Optional(Type.Number()),
    regionsAllowed: Type.Optional(Type.Array(RegionCode, { maxItems: 50 })),
    dataResidency: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'a province code the data must stay in' })),
    latency: Type.Optional(Type.Object({ fromRegionCode: RegionCode, maxMs: Type.Number({ description: 'one-way, ms' }) }, { additionalProperties: false })),
    maxPricePerUnit: Type.Optional(Type.Number({ description: 'CNY per unit-hour (per 1k tokens for model APIs)' })),
    weights: Type.Optional(Weights),
  },
  { additionalProperties: false },
);

const WeightsOut = Type.Object({ price: Type.Number(), latency: Type.Number(), green: Type.Number(), reputation: Type.Number(), utilisation: Type.Number() });

export const Demand = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    status: Type.String({ description: 'open, ordered (an order was placed for it) or closed' }),
    demanderOrgId: Type.String(),
    demanderOrgName: Nullable(Type.String()),
    resourceKind: Nullable(Type.String()),
    hard: Type.Object({ acceleratorModel: Type.Optional(Type.String()), minTflops: Type.Optional(Nullable(Type.Number())), precision: Type.Optional(Nullable(Type.String())) }),
    count: Type.Integer(),
    memoryGb: Nullable(Type.Number()),
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    durationHours: Type.Number(),
    regionsAllowed: Type.Array(Type.String()),
    dataResidency: Nullable(Type.String()),
    latency: Nullable(Type.Object({ fromRegionCode: Type.String(), fromRegionName: Nullable(Type.String()), maxMs: Type.Number({ description: 'one-way, ms' }) })),
    maxPricePerUnit: Nullable(Type.Number()),
    weights: WeightsOut,
    regionCode: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Demand' },
);

const Failure = {
  constraint: StringEnum(HARD_CONSTRAINTS, 'the first hard constraint the offer failed (docs/methods/ranking.md §1)'),
  detail: Type.String(),
  required: Type.Optional(NumberOrString),
  actual: Type.Optional(NumberOrString),
};
const Terms = Type.Object(
  { price: Type.Number(), latency: Type.Number(), green: Type.Number(), reputation: Type.Number(), utilisation: Type.Number() },
  { description: 'weight × normalised value per term; score = their sum' },
);

export const MatchResponse = Type.Object({
  demandId: Type.String(),
  evaluatedAt: Type.String({ format: 'date-time' }),
  offersConsidered: Type.Integer(),
  feasibleCount: Type.Integer(),
  candidates: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      offerId: Type.String(),
      score: Type.Number(),
      terms: Terms,
      latencyMs: Nullable(Type.Number({ description: 'one-way, ms' })),
      latencyBasis: Nullable(Type.String({ description: 'measured or derived (monitoring’s latency matrix), else estimated from geography' })),
      totalPrice: Nullable(Type.Number({ description: 'CNY for count × the demand’s hours; null for per-token offers' })),
      offer: Type.Ref('Offer'),
    }),
  ),
  excluded: Type.Array(Type.Object({ offerId: Type.String(), ...Failure })),
  excludedOffset: Type.Integer(),
  excludedTotal: Type.Integer(),
  excludedCounts: Type.Object(Object.fromEntries(HARD_CONSTRAINTS.map((c) => [c, Type.Integer()]))),
  nearestMisses: Type.Array(Type.Object({ offerId: Type.String(), ...Failure, gap: Type.Number({ description: 'how far off, relative' }), offer: Type.Ref('Offer') })),
  hints: Type.Array(Type.Object({ constraint: Type.String(), parameter: Type.String(), to: Type.Unsafe<number | string | null>({ type: ['number', 'string', 'null'] }), offers: Type.Integer() })),
  message: Nullable(Type.String()),
  weights: WeightsOut,
  method: Type.String(),
  matchMs: Type.Number(),
});

export const MatchQuery = Type.Object({
  topK: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
  excludedOffset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  excludedLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 50 })),
  nearestMisses: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 10 })),
});

export const BatchInput = Type.Object(
  {
    objective: Type.Optional(Type.Union([L('score'), L('cost')], { description: 'score: maximise Σ ranking score; cost: serve most demands, then cheapest (default score)' })),
    demandIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 5000, description: 'default: every open demand in your jurisdiction (or region)' })),
    region: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);

export const BatchResponse = Type.Object({
  objectiveKind: Type.String(),
  demands: Type.Integer(),
  offers: Type.Integer(),
  assignment: Type.Array(Type.Object({ demandId: Type.String(), offerId: Type.String(), quantity: Type.Integer() })),
  objective: Type.Number({ description: 'of the returned assignment' }),
  greedyObjective: Type.Number({ description: 'of greedy first-fit, the baseline' }),
  bound: Type.Number({ description: 'LP relaxation optimum (HiGHS): no assignment exceeds it' }),
  gapPct: Type.Number(),
  greedyGapPct: Type.Number(),
  method: Type.String(),
  served: Type.Integer(),
  greedyServed: Type.Integer(),
  totalCost: Type.Number(),
  variables: Type.Integer(),
  solveMs: Type.Number(),
  lpMs: Type.Number(),
  evaluatedAt: Type.String({ format: 'date-time' }),
});

// ---------------------------------------------------------------- services

export const ServiceInput = Type.Object(
  {
    kind: Type.Union([L('model_deployment'), L('fine_tuning'), L('application_building')]),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    offerIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'offers the service runs on' })),
    pricePerUnit: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.Union([L('hour'), L('month'), L('1k_tokens'), L('project')])),
  },
  { additionalProperties: false },
);

export const Service = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    description: Type.String(),
    status: Type.String(),
    providerOrgId: Type.String(),
    providerOrgName: Nullable(Type.String()),
    offerIds: Type.Array(Type.String()),
    pricePerUnit: Nullable(Type.Number()),
    unit: Nullable(Type.String()),
    currency: Type.String(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Service' },
);

// ---------------------------------------------------------------- orders

export const OrderInput = Type.Object(
  {
    offerId: Type.String({ maxLength: 100 }),
    demandId: Type.Optional(Type.String({ maxLength: 100, description: 'the demand the order serves; quantity, start and end default to it' })),
    quantity: Type.Optional(Type.Integer({ maximum: 100_000_000 })),
    start: Type.Optional(Time()),
    end: Type.Optional(Time()),
    quote: Type.Optional(Type.Boolean({ description: 'true: a quote (price held 24 h, nothing reserved), confirmed later' })),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 200, description: 'required: the same key with the same body returns the same order' })),
});

export const Order = Type.Object(
  {
    id: Type.String(),
    state: StringEnum(ORDER_STATES),
    offerId: Type.String(),
    offerTitle: Nullable(Type.String()),
    demandId: Nullable(Type.String()),
    buyerOrgId: Type.String(),
    buyerOrgName: Nullable(Type.String()),
    supplierOrgId: Type.String(),
    supplierOrgName: Nullable(Type.String()),
    facilityId: Type.String(),
    regionCode: Type.String(),
    quantity: Type.Integer(),
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    unitPrice: Type.Number(),
    unit: Type.String(),
    currency: Type.String(),
    totalAmount: Nullable(Type.Number({ description: 'quoted CNY for the whole window; null for per-token offers' })),
    settledAmount: Nullable(Type.Number({ description: 'Σ settlement lines, once completed' })),
    quoteExpiresAt: Nullable(Type.String({ format: 'date-time' })),
    reason: Nullable(Type.String()),
    rating: Nullable(Type.Object({ stars: Type.Integer(), comment: Type.String(), createdAt: Type.String({ format: 'date-time' }) })),
    idempotencyKey: Type.String(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    reservedAt: Nullable(Type.String({ format: 'date-time' })),
    activatedAt: Nullable(Type.String({ format: 'date-time' })),
    completedAt: Nullable(Type.String({ format: 'date-time' })),
    cancelledAt: Nullable(Type.String({ format: 'date-time' })),
    disputedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Order' },
);

export const OrderListQuery = Type.Object({
  ...PageQuery,
  state: Type.Optional(Type.String({ maxLength: 200, description: 'quote, reserved, active, completed, cancelled, disputed; comma-separated' })),
  role: Type.Optional(Type.Union([L('buyer'), L('supplier')], { description: 'enterprises: orders as buyer or as supplier (default both)' })),
  offerId: Type.Optional(Type.String({ maxLength: 100 })),
  demandId: Type.Optional(Type.String({ maxLength: 100 })),
  region: Type.Optional(RegionCode),
});

export const UsageInput = Type.Object(
  { periodStart: Time(), periodEnd: Time(), quantity: Type.Number({ description: 'in the offer unit: card-hours, core-hours, 1k tokens or months' }) },
  { additionalProperties: false },
);

export const UsageRecord = Type.Object({ id: Type.String(), orderId: Type.String(), periodStart: Type.String(), periodEnd: Type.String(), quantity: Type.Number(), unit: Type.String(), createdAt: Type.String() });

export const Statement = Type.Object({
  order: Type.Ref('Order'),
  lines: Type.Array(
    Type.Object({ period: Type.String(), periodStart: Type.String(), periodEnd: Type.String(), quantity: Type.Number(), unit: Type.String(), unitPrice: Type.Number(), amount: Type.Number(), basis: Type.String() }),
  ),
  usage: Type.Array(Type.Object({ periodStart: Type.String(), periodEnd: Type.String(), quantity: Type.Number() })),
  total: Type.Number(),
  currency: Type.String(),
  settled: Type.Boolean(),
});

export const RatingInput = Type.Object({ stars: Type.Integer({ description: '1–5' }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const Rating = Type.Object({
  orderId: Type.String(),
  stars: Type.Integer(),
  comment: Type.String(),
  createdAt: Type.String(),
  supplierOrgId: Type.String(),
  supplierReputation: Type.Number(),
  supplierRatings: Type.Integer(),
});
