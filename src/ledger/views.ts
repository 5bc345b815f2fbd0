import { regionIndex } from '../regions/dataset.ts';
import type { ChangeLogRow, FacilityRow, RegistrationRow } from './store.ts';

/** The facility as the API shows it (docs/api.md). Derived figures come from generated columns. */
export function facilityView(row: FacilityRow, orgNames: Map<string, string>) {
  return {
    id: row.id,
    computeId: row.computeId,
    name: row.name,
    regionCode: row.regionCode,
    regionName: regionIndex().get(row.regionCode)?.name ?? row.regionCode,
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    status: row.status,
    kind: row.kind,
    ownerOrgId: row.ownerOrgId,
    ownerOrgName: orgNames.get(row.ownerOrgId) ?? null,
    racksDesigned: row.racksDesigned,
    racksInUse: row.racksInUse,
    rackUtilization: row.rackUtilization,
    designedPowerKw: row.racksDesigned * 2.5,
    compute: { fp64: row.fp64, fp32: row.fp32, fp16: row.fp16, int8: row.int8 },
    computeDeclared: row.computeDeclared,
    fp32Equivalent: row.fp32Equivalent,
    accelerators: row.accelerators,
    storagePb: row.storagePb,
    advancedStoragePct: row.advancedStoragePct,
    egressGbps: row.egressGbps,
    pueDesign: row.pueDesign,
    pueMeasured: row.pueMeasured,
    annualKwh: row.annualKwh,
    greenPowerPct: row.greenPowerPct,
    contacts: row.contacts,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type FacilityView = ReturnType<typeof facilityView>;

/** The editable fields of a facility, as a registration carries them (and as the history compares them). */
export function facilityData(row: FacilityRow) {
  return {
    name: row.name,
    regionCode: row.regionCode,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    status: row.status,
    kind: row.kind,
    racksDesigned: row.racksDesigned,
    racksInUse: row.racksInUse,
    compute: row.computeDeclared,
    accelerators: row.accelerators.map(({ model, count }) => ({ model, count })),
    storagePb: row.storagePb,
    advancedStoragePct: row.advancedStoragePct,
    egressGbps: row.egressGbps,
    pueDesign: row.pueDesign,
    pueMeasured: row.pueMeasured,
    annualKwh: row.annualKwh,
    greenPowerPct: row.greenPowerPct,
    contacts: row.contacts,
  };
}

export function registrationView(row: RegistrationRow, names: { orgs: Map<string, string>; users: Map<string, string>; computeIds: Map<string, string> }) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    facilityId: row.facilityId,
    computeId: row.facilityId ? (names.computeIds.get(row.facilityId) ?? null) : null,
    orgId: row.orgId,
    orgName: names.orgs.get(row.orgId) ?? null,
    regionCode: row.regionCode,
    regionName: regionIndex().get(row.regionCode)?.name ?? row.regionCode,
    data: row.data,
    baseVersion: row.baseVersion,
    reason: row.reason,
    createdBy: row.createdBy,
    createdByName: names.users.get(row.createdBy) ?? null,
    createdAt: row.createdAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedBy ? (names.users.get(row.decidedBy) ?? null) : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    version: row.version,
  };
}

export function historyView(row: ChangeLogRow) {
  return {
    id: String(row.id),
    version: row.version,
    action: row.action,
    actorId: row.actorId,
    actorName: row.actorName,
    requestId: row.requestId,
    registrationId: row.relatedId,
    at: row.at.toISOString(),
    before: row.before,
    after: row.after,
  };
}
