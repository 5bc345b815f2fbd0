/** Field-by-field differences between two versions of a facility: pure, for history and review. */

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping and derived fields: they change as a consequence, not as an edit. */
const NOT_EDITS = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'rackUtilization',
  'designedPowerKw',
  'fp32Equivalent',
  'regionName',
  'provinceCode',
  'cityCode',
  'ownerOrgName',
  'computeDeclared',
]);

/** The order fields appear in on the form; unknown fields come after, alphabetically. */
export const FIELD_ORDER = [
  'computeId',
  'name',
  'regionCode',
  'address',
  'lon',
  'lat',
  'status',
  'kind',
  'ownerOrgId',
  'racksDesigned',
  'racksInUse',
  'compute',
  'accelerators',
  'storagePb',
  'advancedStoragePct',
  'egressGbps',
  'pueDesign',
  'pueMeasured',
  'annualKwh',
  'greenPowerPct',
  'contacts',
];

function normalise(value: unknown): unknown {
  if (value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, normalise(v)] as const)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  }
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function byFieldOrder(a: string, b: string): number {
  const ia = FIELD_ORDER.indexOf(a);
  const ib = FIELD_ORDER.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a.localeCompare(b);
}

/** Fields whose value differs; with `onlyAfterKeys`, only the fields present in `after` (a proposal). */
export function changedFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
  options: { onlyAfterKeys?: boolean } = {},
): FieldChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const keys = options.onlyAfterKeys ? Object.keys(a) : [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !NOT_EDITS.has(key))
    .filter((key) => !(options.onlyAfterKeys && a[key] === undefined))
    .filter((key) => !sameValue(b[key], a[key]))
    .sort(byFieldOrder)
    .map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

const ZERO_COMPUTE = { fp64: 0, fp32: 0, fp16: 0, int8: 0 };

/**
 * A change proposal against the ledger, made comparable: the proposal's `compute` is what the
 * supplier declares besides its accelerators (missing precisions are 0), so it is compared with the
 * facility's `computeDeclared`, not with its derived total.
 */
export function comparableChange(
  current: Record<string, unknown>,
  proposal: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const declared = (current.computeDeclared ?? current.compute ?? ZERO_COMPUTE) as Record<string, unknown>;
  const proposed = { ...ZERO_COMPUTE, ...((proposal.compute ?? {}) as Record<string, unknown>) };
  const before: Record<string, unknown> = { ...current, compute: { ...ZERO_COMPUTE, ...declared } };
  const after: Record<string, unknown> = { ...proposal, compute: proposed };
  // Vendor and domestic follow from the model (the catalogue), so an inventory is its models and counts.
  if ('accelerators' in proposal) {
    before.accelerators = inventory(current.accelerators);
    after.accelerators = inventory(proposal.accelerators);
  }
  return { before, after };
}

function inventory(lines: unknown): { model: string; count: number }[] {
  if (!Array.isArray(lines)) return [];
  return (lines as { model?: unknown; count?: unknown }[])
    .map((line) => ({ model: String(line.model ?? ''), count: Number(line.count ?? 0) }))
    .sort((a, b) => a.model.localeCompare(b.model));
}
