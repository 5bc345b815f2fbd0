/** Shapes of the HTTP API (docs/api.md). Kept by hand: the web app has no build-time link to src/. */

export type OrgKind = 'government' | 'enterprise' | 'platform';
export type MarketRole = 'supplier' | 'demander' | 'provider';

export interface User {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  marketRoles: MarketRole[];
  jurisdictionCode: string | null;
}

export interface Meta {
  name: string;
  version: string;
  instanceRole: string;
  demo: boolean;
  demoUsers?: string[];
}

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  code: string;
  name: string;
  shortName: string;
  level: RegionLevel;
  parentCode: string | null;
  provinceCode: string;
  lon: number | null;
  lat: number | null;
  path?: Region[];
}

export const FACILITY_STATUSES = ['planned', 'under_construction', 'in_operation', 'decommissioned'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

export const FACILITY_KINDS = ['general', 'intelligent', 'supercomputing', 'edge'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const PRECISIONS = ['fp64', 'fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** TFLOPS per precision (INT8 in TOPS). */
export type ComputeCapacity = Record<Precision, number>;

export interface AcceleratorLine {
  model: string;
  vendor: string;
  count: number;
  domestic: boolean;
}

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
}

/** The fields a supplier enters for a facility (registration `data`). */
export interface FacilityInput {
  name: string;
  regionCode: string;
  address?: string;
  lon?: number | null;
  lat?: number | null;
  status: FacilityStatus;
  kind: FacilityKind;
  racksDesigned: number;
  racksInUse: number;
  compute?: Partial<ComputeCapacity>;
  accelerators?: AcceleratorLine[];
  storagePb?: number;
  advancedStoragePct?: number;
  egressGbps?: number;
  pueDesign?: number | null;
  pueMeasured?: number | null;
  annualKwh?: number;
  greenPowerPct?: number;
  contacts?: Contact[];
}

export interface Facility extends Required<Omit<FacilityInput, 'compute' | 'lon' | 'lat' | 'pueDesign' | 'pueMeasured'>> {
  id: string;
  computeId: string;
  regionName: string;
  provinceCode: string;
  cityCode: string | null;
  lon: number | null;
  lat: number | null;
  ownerOrgId: string;
  ownerOrgName: string;
  rackUtilization: number | null;
  designedPowerKw: number | null;
  /** Declared compute plus the accelerators' datasheet totals. */
  compute: ComputeCapacity;
  /** What the supplier declared besides its accelerators (CPUs, other devices). */
  computeDeclared?: ComputeCapacity;
  fp32Equivalent: number | null;
  pueDesign: number | null;
  pueMeasured: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

export interface HistoryEntry {
  version: number | null;
  action: string;
  actorId: string | null;
  actorName: string | null;
  requestId: string | null;
  at: string;
  registrationId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface CatalogueAccelerator {
  model: string;
  vendor: string;
  domestic: boolean;
  memoryGb: number | null;
  fp64: number;
  fp32: number;
  fp16: number;
  int8: number;
}

export type RegistrationType = 'create' | 'change';
export type RegistrationStatus = 'draft' | 'submitted' | 'approved' | 'rejected';

export interface Registration {
  id: string;
  type: RegistrationType;
  status: RegistrationStatus;
  facilityId: string | null;
  computeId: string | null;
  orgId: string;
  orgName: string;
  regionCode: string;
  regionName?: string;
  data: FacilityInput;
  baseVersion: number | null;
  reason: string | null;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  version: number;
}

export interface OverviewTotals {
  facilities: number;
  inOperation: number;
  racksDesigned: number;
  racksInUse: number;
  rackUtilization: number | null;
  fp32Equivalent: number;
  /** docs/api.md names `fp16`; the server sends `compute.fp16`: read either (fp16Of). */
  fp16?: number;
  compute?: Partial<ComputeCapacity>;
  storagePb: number;
  avgPue: number | null;
}

export interface OverviewChild {
  code: string;
  name: string;
  shortName: string;
  facilities: number;
  racksDesigned: number;
  racksInUse: number;
  rackUtilization: number | null;
  fp32Equivalent: number;
  fp16?: number;
  compute?: Partial<ComputeCapacity>;
}

/** FP16 TFLOPS of an overview row, whichever way the server spells it. */
export function fp16Of(row: { fp16?: number; compute?: Partial<ComputeCapacity> } | null | undefined): number | null {
  if (!row) return null;
  return row.fp16 ?? row.compute?.fp16 ?? null;
}

export interface Overview {
  region: { code: string; name: string; shortName?: string; level?: string } | string | null;
  totals: OverviewTotals;
  byStatus: unknown;
  byKind: unknown;
  children: OverviewChild[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** The five dimensions of the comprehensive computing power index (综合算力指数), in the server's order. */
export const INDEX_DIMENSIONS = ['compute', 'storage', 'network', 'model', 'environment'] as const;
export type IndexDimension = (typeof INDEX_DIMENSIONS)[number];
export type IndexLevel = 'province' | 'city';

export interface IndexWeights {
  dimensions: Record<IndexDimension, number>;
  indicators: Record<string, number>;
}

interface IndexHeader {
  level: IndexLevel;
  year: number | null;
  selection: { status: string; enteredLedgerBefore: string | null };
  weights: IndexWeights;
  /** The document describing the method, a path in the repository (docs/methods/index.md). */
  method: string;
  version: string;
}

export interface IndexIndicator {
  id: string;
  dimension: string;
  name: string;
  unit: string;
  direction: 'higher' | 'lower';
  scale: 'linear' | 'log';
  source: string;
  available: boolean;
}

export interface IndexDimensionScore {
  score: number;
  weight: number;
  available: boolean;
  indicators: Record<string, { value: number | null; score: number; weight: number }>;
}

export interface IndexRegion {
  code: string;
  name: string;
  rank: number;
  score: number;
  scoreRounded: number;
  dimensions: Record<IndexDimension, IndexDimensionScore>;
}

/** GET /api/v1/index */
export interface IndexResult extends IndexHeader {
  indicators: IndexIndicator[];
  regions: IndexRegion[];
}

export interface IndexScenario {
  dimension: IndexDimension;
  /** Relative change of the dimension's weight: -0.2 or +0.2. */
  change: number;
  weights: Record<IndexDimension, number>;
  maxRankShift: number;
  /** `shift` = new rank − rank: positive means the region falls. */
  ranks: { code: string; rank: number; shift: number }[];
}

/** GET /api/v1/index/sensitivity */
export interface IndexSensitivity extends IndexHeader {
  step: number;
  maxRankShift: number;
  regions: { code: string; name: string; rank: number; score: number; bestRank: number; worstRank: number; maxRankShift: number }[];
  scenarios: IndexScenario[];
}
