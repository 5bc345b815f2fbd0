import type { FieldError } from '../errors.ts';
import { regionIndex } from '../regions/dataset.ts';
import { computeFromAccelerators, findAccelerator, STANDARD_RACK_KW } from './catalogue.ts';
import { type AcceleratorLine, type ComputeCapacity, FACILITY_KINDS, FACILITY_STATUSES, type FacilityInput, PRECISIONS } from './types.ts';

/** A facility input as it enters the ledger: validated, with derived figures filled in. */
export interface NormalisedFacility {
  name: string;
  regionCode: string;
  provinceCode: string;
  cityCode: string | null;
  address: string;
  lon: number | null;
  lat: number | null;
  status: FacilityInput['status'];
  kind: FacilityInput['kind'];
  racksDesigned: number;
  racksInUse: number;
  /** Compute the supplier declared besides its accelerators (CPUs, other devices), TFLOPS. */
  computeDeclared: ComputeCapacity;
  /** Declared compute plus count × datasheet of each accelerator line. */
  compute: ComputeCapacity;
  accelerators: AcceleratorLine[];
  storagePb: number;
  advancedStoragePct: number;
  egressGbps: number;
  pueDesign: number | null;
  pueMeasured: number | null;
  annualKwh: number;
  greenPowerPct: number;
  contacts: { name: string; phone?: string; email?: string }[];
}

/** Far above the largest campus (tens of thousands of racks); also keeps figures inside the database's integer. */
export const MAX_RACKS = 10_000_000;

const ZERO: ComputeCapacity = { fp64: 0, fp32: 0, fp16: 0, int8: 0 };

/** Input that arrived with racks as kilowatts (designedPowerKw) is converted at 2.5 kW per standard rack. */
export type FacilityInputWithKw = Omit<FacilityInput, 'racksDesigned'> & { racksDesigned?: number; designedPowerKw?: number };

/**
 * Checks a facility input against the ledger's rules and derives what is derived.
 * Returns every problem at once, each with a JSON pointer and a message saying how to fix it.
 */
export function normaliseFacility(input: FacilityInputWithKw): { value?: NormalisedFacility; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const problem = (path: string, code: string, message: string) => errors.push({ path, code, message });
  const name = (input.name ?? '').trim();
  if (name.length === 0) problem('/name', 'NAME_REQUIRED', 'give the facility a name');
  if (name.length > 200) problem('/name', 'NAME_TOO_LONG', 'keep the name under 200 characters');

  const region = regionIndex().get(input.regionCode);
  if (!region) {
    problem('/regionCode', 'UNKNOWN_REGION', `unknown region code ${JSON.stringify(input.regionCode)}: use a six-digit GB/T 2260 code from GET /api/v1/regions (e.g. 140200 for 大同)`);
  }
  if (!(FACILITY_STATUSES as readonly string[]).includes(input.status)) {
    problem('/status', 'INVALID_STATUS', `status must be one of ${FACILITY_STATUSES.join(', ')}`);
  }
  if (!(FACILITY_KINDS as readonly string[]).includes(input.kind)) {
    problem('/kind', 'INVALID_KIND', `kind must be one of ${FACILITY_KINDS.join(', ')}`);
  }

  let racksDesigned = input.racksDesigned;
  if (racksDesigned === undefined && input.designedPowerKw !== undefined) {
    if (!(input.designedPowerKw >= 0)) problem('/designedPowerKw', 'NEGATIVE_VALUE', 'designed power cannot be negative');
    else racksDesigned = Math.round(input.designedPowerKw / STANDARD_RACK_KW);
  }
  if (racksDesigned === undefined) {
    problem('/racksDesigned', 'RACKS_REQUIRED', `give racksDesigned (standard racks of ${STANDARD_RACK_KW} kW) or designedPowerKw`);
    racksDesigned = 0;
  }
  const integerAtLeastZero = (path: string, value: number) => {
    if (!Number.isInteger(value) || value < 0) problem(path, 'NEGATIVE_VALUE', `${path.slice(1)} must be a whole number of at least 0`);
    else if (value > MAX_RACKS) problem(path, 'OUT_OF_RANGE', `${path.slice(1)} of ${value} is beyond any facility (at most ${MAX_RACKS} standard racks): check the figure`);
  };
  integerAtLeastZero('/racksDesigned', racksDesigned);
  integerAtLeastZero('/racksInUse', input.racksInUse);
  if (Number.isInteger(racksDesigned) && racksDesigned >= 0 && input.racksInUse > racksDesigned) {
    problem('/racksInUse', 'RACKS_IN_USE_EXCEED_DESIGNED', `racks in use (${input.racksInUse}) cannot exceed designed racks (${racksDesigned}): raise racksDesigned or lower racksInUse`);
  }

  const nonNegative = (path: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) problem(path, 'NEGATIVE_VALUE', `${path.slice(1)} must be a number of at least 0`);
  };
  const percent = (path: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 100)) problem(path, 'OUT_OF_RANGE', `${path.slice(1)} is a percentage: give a number from 0 to 100`);
  };
  const pue = (path: string, value: number | null | undefined) => {
    if (value === null || value === undefined) return;
    if (!(Number.isFinite(value) && value >= 1)) problem(path, 'PUE_BELOW_ONE', `PUE is total facility energy over IT energy, so it cannot be below 1 (got ${value})`);
    else if (value > 5) problem(path, 'OUT_OF_RANGE', `a PUE of ${value} is implausible: check the figure (typical 1.1–2.0)`);
  };
  nonNegative('/storagePb', input.storagePb);
  nonNegative('/egressGbps', input.egressGbps);
  nonNegative('/annualKwh', input.annualKwh);
  percent('/advancedStoragePct', input.advancedStoragePct);
  percent('/greenPowerPct', input.greenPowerPct);
  pue('/pueDesign', input.pueDesign);
  pue('/pueMeasured', input.pueMeasured);
  if (input.lon !== undefined && input.lon !== null && !(input.lon >= 73 && input.lon <= 136)) problem('/lon', 'OUT_OF_RANGE', 'longitude must lie within China (73–136° E)');
  if (input.lat !== undefined && input.lat !== null && !(input.lat >= 3 && input.lat <= 54)) problem('/lat', 'OUT_OF_RANGE', 'latitude must lie within China (3–54° N)');

  const computeDeclared: ComputeCapacity = { ...ZERO };
  for (const precision of PRECISIONS) {
    const value = input.compute?.[precision];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0)) problem(`/compute/${precision}`, 'NEGATIVE_VALUE', `compute.${precision} must be TFLOPS of at least 0`);
    else computeDeclared[precision] = value;
  }

  const accelerators: AcceleratorLine[] = [];
  (input.accelerators ?? []).forEach((line, index) => {
    const known = findAccelerator(line.model);
    if (!known) {
      problem(`/accelerators/${index}/model`, 'UNKNOWN_ACCELERATOR', `no catalogue entry for accelerator ${JSON.stringify(line.model)}: pick one from GET /api/v1/catalogue/accelerators`);
      return;
    }
    if (!Number.isInteger(line.count) || line.count <= 0 || line.count > MAX_RACKS) {
      problem(`/accelerators/${index}/count`, 'NEGATIVE_VALUE', `an accelerator line needs a whole count from 1 to ${MAX_RACKS}`);
      return;
    }
    accelerators.push({ model: known.model, vendor: known.vendor, count: line.count, domestic: known.domestic });
  });

  if (errors.length > 0 || !region) return { errors };
  const fromAccelerators = computeFromAccelerators(accelerators).compute;
  const compute: ComputeCapacity = { ...ZERO };
  for (const precision of PRECISIONS) compute[precision] = round3(computeDeclared[precision] + fromAccelerators[precision]);

  return {
    errors,
    value: {
      name,
      regionCode: region.code,
      provinceCode: region.provinceCode,
      cityCode: region.level === 'province' ? null : region.cityCode,
      address: (input.address ?? '').trim(),
      lon: input.lon ?? region.lon ?? null,
      lat: input.lat ?? region.lat ?? null,
      status: input.status,
      kind: input.kind,
      racksDesigned,
      racksInUse: input.racksInUse,
      computeDeclared,
      compute,
      accelerators,
      storagePb: input.storagePb ?? 0,
      advancedStoragePct: input.advancedStoragePct ?? 0,
      egressGbps: input.egressGbps ?? 0,
      pueDesign: input.pueDesign ?? null,
      pueMeasured: input.pueMeasured ?? null,
      annualKwh: input.annualKwh ?? 0,
      greenPowerPct: input.greenPowerPct ?? 0,
      contacts: (input.contacts ?? []).map((c) => ({ name: c.name.trim(), ...(c.phone ? { phone: c.phone } : {}), ...(c.email ? { email: c.email } : {}) })),
    },
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The unified compute identifier (算力标识): country, region code of the facility, sequence within that region. */
export const formatComputeId = (regionCode: string, sequence: number): string => `CN-${regionCode}-${String(sequence).padStart(5, '0')}`;

export const rackUtilization = (racksDesigned: number, racksInUse: number): number | null =>
  racksDesigned > 0 ? racksInUse / racksDesigned : null;
