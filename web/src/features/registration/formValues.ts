/** Between the registration form's values and the API's facility input. Pure. */
import { kwFromRacks, racksFromKw } from '../../format.ts';
import { PRECISIONS, type CatalogueAccelerator, type Facility, type FacilityInput, type FacilityKind, type FacilityStatus } from '../../types.ts';
import type { FacilityFormValues } from './validate.ts';

export type RacksMode = 'racks' | 'kw';

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Racks from the kW inputs when the supplier typed power (2.5 kW per standard rack). */
export function withRacksFromKw(values: FacilityFormValues, mode: RacksMode): FacilityFormValues {
  if (mode !== 'kw') return values;
  const designed = num(values.racksDesignedKw);
  const inUse = num(values.racksInUseKw);
  return { ...values, racksDesigned: designed === undefined ? null : racksFromKw(designed), racksInUse: inUse === undefined ? null : racksFromKw(inUse) };
}

export function toFacilityInput(values: FacilityFormValues, catalogue: CatalogueAccelerator[]): FacilityInput {
  const byModel = new Map(catalogue.map((entry) => [entry.model, entry]));
  const compute: Partial<Record<(typeof PRECISIONS)[number], number>> = {};
  for (const precision of PRECISIONS) {
    const value = num(values.compute?.[precision]);
    if (value !== undefined) compute[precision] = value;
  }
  const input: FacilityInput = {
    name: text(values.name) ?? '',
    regionCode: values.regionCode ?? '',
    address: text(values.address) ?? '',
    status: values.status as FacilityStatus,
    kind: values.kind as FacilityKind,
    racksDesigned: num(values.racksDesigned) ?? 0,
    racksInUse: num(values.racksInUse) ?? 0,
    accelerators: (values.accelerators ?? []).flatMap((line) => {
      if (!line?.model || !num(line.count)) return [];
      const entry = byModel.get(line.model);
      return [{ model: line.model, vendor: entry?.vendor ?? '', count: num(line.count) ?? 0, domestic: entry?.domestic ?? false }];
    }),
    storagePb: num(values.storagePb) ?? 0,
    advancedStoragePct: num(values.advancedStoragePct) ?? 0,
    egressGbps: num(values.egressGbps) ?? 0,
    annualKwh: num(values.annualKwh) ?? 0,
    greenPowerPct: num(values.greenPowerPct) ?? 0,
    contacts: (values.contacts ?? []).flatMap((c) => {
      const name = text(c?.name);
      if (!name) return [];
      const contact: { name: string; phone?: string; email?: string } = { name };
      const phone = text(c?.phone);
      const email = text(c?.email);
      if (phone) contact.phone = phone;
      if (email) contact.email = email;
      return [contact];
    }),
  };
  if (Object.keys(compute).length > 0) input.compute = compute;
  // Left out rather than sent as null: absent means "not given", and the server's schema coerces a
  // null number to 0 (which then fails "PUE ≥ 1" and "longitude within China").
  for (const field of ['lon', 'lat', 'pueDesign', 'pueMeasured'] as const) {
    const value = num(values[field]);
    if (value !== undefined) input[field] = value;
  }
  return input;
}

/** Prefill the form from a facility (a change request) or a saved draft's data. */
export function toFormValues(source: Partial<Facility> | FacilityInput, options: { includeCompute: boolean }): FacilityFormValues {
  const compute = source.compute;
  return {
    name: source.name,
    regionCode: source.regionCode,
    address: source.address ?? '',
    lon: source.lon ?? null,
    lat: source.lat ?? null,
    status: source.status,
    kind: source.kind,
    racksDesigned: source.racksDesigned ?? null,
    racksInUse: source.racksInUse ?? null,
    racksDesignedKw: source.racksDesigned === undefined ? null : kwFromRacks(source.racksDesigned),
    racksInUseKw: source.racksInUse === undefined ? null : kwFromRacks(source.racksInUse),
    storagePb: source.storagePb ?? null,
    advancedStoragePct: source.advancedStoragePct ?? null,
    egressGbps: source.egressGbps ?? null,
    compute: options.includeCompute && compute ? { ...compute } : {},
    accelerators: (source.accelerators ?? []).map((line) => ({ model: line.model, count: line.count })),
    pueDesign: source.pueDesign ?? null,
    pueMeasured: source.pueMeasured ?? null,
    annualKwh: source.annualKwh ?? null,
    greenPowerPct: source.greenPowerPct ?? null,
    contacts: (source.contacts ?? []).map((c) => ({ name: c.name, phone: c.phone ?? '', email: c.email ?? '' })),
  };
}
