import { Type } from '@sinclair/typebox';
import { Nullable } from '../http/types.ts';
import { FACILITY_KINDS, FACILITY_STATUSES } from './types.ts';

const Status = Type.Union(FACILITY_STATUSES.map((s) => Type.Literal(s)));
const Kind = Type.Union(FACILITY_KINDS.map((k) => Type.Literal(k)));
const RegionCode = Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 six-digit region code' });
const Compute = Type.Object({ fp64: Type.Number(), fp32: Type.Number(), fp16: Type.Number(), int8: Type.Number() }, { description: 'TFLOPS per precision (int8 in TOPS)' });
const ComputeInput = Type.Partial(Compute, { additionalProperties: false });
const Contact = Type.Object({ name: Type.String({ maxLength: 100 }), phone: Type.Optional(Type.String({ maxLength: 40 })), email: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const Accelerator = Type.Object({ model: Type.String(), vendor: Type.String(), count: Type.Integer(), domestic: Type.Boolean() });

export const FacilityInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    regionCode: RegionCode,
    address: Type.Optional(Type.String({ maxLength: 300 })),
    lon: Type.Optional(Nullable(Type.Number())),
    lat: Type.Optional(Nullable(Type.Number())),
    status: Status,
    kind: Kind,
    racksDesigned: Type.Optional(Type.Integer({ maximum: 10_000_000, description: 'Standard racks of 2.5 kW; or give designedPowerKw' })),
    designedPowerKw: Type.Optional(Type.Number({ maximum: 25_000_000, description: 'Converted to racks at 2.5 kW each when racksDesigned is absent' })),
    racksInUse: Type.Integer({ maximum: 10_000_000 }),
    compute: Type.Optional(ComputeInput),
    accelerators: Type.Optional(Type.Array(Type.Object({ model: Type.String({ minLength: 1, maxLength: 100 }), count: Type.Integer({ maximum: 10_000_000 }) }, { additionalProperties: true }), { maxItems: 100 })),
    storagePb: Type.Optional(Type.Number()),
    advancedStoragePct: Type.Optional(Type.Number()),
    egressGbps: Type.Optional(Type.Number()),
    pueDesign: Type.Optional(Nullable(Type.Number())),
    pueMeasured: Type.Optional(Nullable(Type.Number())),
    annualKwh: Type.Optional(Type.Number()),
    greenPowerPct: Type.Optional(Type.Number()),
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
  },
  { $id: 'FacilityInput', additionalProperties: false },
);

export const Facility = Type.Object(
  {
    id: Type.String(),
    computeId: Type.String({ description: 'Unified compute identifier (算力标识): CN-<region code>-<sequence>' }),
    name: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    provinceCode: Type.String(),
    cityCode: Nullable(Type.String()),
    address: Type.String(),
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    status: Type.String(),
    kind: Type.String(),
    ownerOrgId: Type.String(),
    ownerOrgName: Nullable(Type.String()),
    racksDesigned: Type.Integer(),
    racksInUse: Type.Integer(),
    rackUtilization: Nullable(Type.Number({ description: 'Derived: racksInUse / racksDesigned' })),
    designedPowerKw: Type.Number({ description: 'Derived: racksDesigned × 2.5 kW' }),
    compute: Compute,
    computeDeclared: Compute,
    fp32Equivalent: Nullable(Type.Number({ description: 'Derived, see docs/methods/units.md' })),
    accelerators: Type.Array(Accelerator),
    storagePb: Type.Number(),
    advancedStoragePct: Type.Number(),
    egressGbps: Type.Number(),
    pueDesign: Nullable(Type.Number()),
    pueMeasured: Nullable(Type.Number()),
    annualKwh: Type.Number(),
    greenPowerPct: Type.Number(),
    contacts: Type.Array(Type.Object({ name: Type.String(), phone: Type.Optional(Type.String()), email: Type.Optional(Type.String()) })),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Facility' },
);

export const FacilityListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  region: Type.Optional(RegionCode),
  status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses' })),
  kind: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated kinds' })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  owner: Type.Optional(Type.String({ maxLength: 100 })),
  sort: Type.Optional(Type.String({ maxLength: 40, description: 'computeId | name | racksDesigned | rackUtilization | fp32Equivalent | updatedAt, prefix - for descending' })),
});

export const HistoryEntry = Type.Object({
  id: Type.String(),
  version: Nullable(Type.Integer()),
  action: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  registrationId: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const Registration = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    status: Type.String(),
    facilityId: Nullable(Type.String()),
    computeId: Nullable(Type.String()),
    orgId: Type.String(),
    orgName: Nullable(Type.String()),
    regionCode: Type.String(),
    regionName: Type.String(),
    data: Type.Unknown(),
    baseVersion: Nullable(Type.Integer()),
    reason: Nullable(Type.String()),
    createdBy: Type.String(),
    createdByName: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    submittedAt: Nullable(Type.String({ format: 'date-time' })),
    decidedBy: Nullable(Type.String()),
    decidedByName: Nullable(Type.String()),
    decidedAt: Nullable(Type.String({ format: 'date-time' })),
    version: Type.Integer(),
  },
  { $id: 'Registration' },
);

export const RegistrationCreate = Type.Object(
  {
    type: Type.Union([Type.Literal('create'), Type.Literal('change')]),
    facilityId: Type.Optional(Type.String({ maxLength: 100 })),
    data: Type.Ref('FacilityInput'),
    submit: Type.Optional(Type.Boolean({ default: false, description: 'Submit for review at once instead of saving a draft' })),
  },
  { additionalProperties: false },
);
