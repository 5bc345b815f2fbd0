/** Shared ledger vocabulary. Units: racks are standard racks of 2.5 kW; compute in TFLOPS per precision. */

export const FACILITY_STATUSES = ['planned', 'under_construction', 'in_operation', 'decommissioned'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

export const FACILITY_KINDS = ['general', 'intelligent', 'supercomputing', 'edge'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const PRECISIONS = ['fp64', 'fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Compute capacity per precision, TFLOPS. A precision nobody reported is 0. */
export interface ComputeCapacity {
  fp64: number;
  fp32: number;
  fp16: number;
  int8: number;
}

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

/** What a supplier types (or imports) for a facility; derived figures are not part of it. */
export interface FacilityInput {
  name: string;
  regionCode: string; // GB/T 2260 six-digit code of a city or county (or province)
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
