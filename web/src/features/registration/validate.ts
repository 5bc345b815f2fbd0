/**
 * Client-side checks that mirror the server's rules, so most mistakes are caught before a round
 * trip. Pure: messages are i18n keys, the form translates them.
 */
import type { MessageKey, Vars } from '../../i18n.ts';

export type FieldPath = (string | number)[];

export interface FieldIssue {
  path: FieldPath;
  key: MessageKey;
  vars?: Vars;
}

export interface FacilityFormValues {
  name?: string;
  regionCode?: string;
  address?: string;
  lon?: number | null;
  lat?: number | null;
  status?: string;
  kind?: string;
  racksDesigned?: number | null;
  racksInUse?: number | null;
  racksDesignedKw?: number | null;
  racksInUseKw?: number | null;
  storagePb?: number | null;
  advancedStoragePct?: number | null;
  egressGbps?: number | null;
  compute?: { fp64?: number | null; fp32?: number | null; fp16?: number | null; int8?: number | null };
  accelerators?: ({ model?: string | null; count?: number | null } | null | undefined)[];
  pueDesign?: number | null;
  pueMeasured?: number | null;
  annualKwh?: number | null;
  greenPowerPct?: number | null;
  contacts?: ({ name?: string; phone?: string; email?: string } | null | undefined)[];
}

const isSet = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Field label keys used in messages, so "请填写名称" names the field. */
const LABELS: Record<string, MessageKey> = {
  name: 'field.name',
  regionCode: 'field.region',
  status: 'field.status',
  kind: 'field.kind',
  racksDesigned: 'field.racksDesigned',
  racksInUse: 'field.racksInUse',
  storagePb: 'field.storagePb',
  egressGbps: 'field.egressGbps',
  annualKwh: 'field.annualKwh',
  advancedStoragePct: 'field.advancedStoragePct',
  greenPowerPct: 'field.greenPowerPct',
  fp64: 'field.fp64',
  fp32: 'field.fp32',
  fp16: 'field.fp16',
  int8: 'field.int8',
  model: 'field.model',
  contactName: 'field.contactName',
};

export function labelKey(field: string): MessageKey | undefined {
  return LABELS[field];
}

export function validateFacility(values: FacilityFormValues): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const required = (field: keyof FacilityFormValues) => {
    const value = values[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      issues.push({ path: [field], key: 'validate.required', vars: { field } });
      return false;
    }
    return true;
  };
  const nonNegative = (path: FieldPath, value: unknown, integer = false) => {
    if (!isSet(value)) return;
    if (value < 0) issues.push({ path, key: 'validate.nonNegative', vars: { field: String(path[path.length - 1]) } });
    else if (integer && !Number.isInteger(value)) issues.push({ path, key: 'validate.integer', vars: { field: String(path[path.length - 1]) } });
  };
  const percent = (field: 'advancedStoragePct' | 'greenPowerPct') => {
    const value = values[field];
    if (isSet(value) && (value < 0 || value > 100)) issues.push({ path: [field], key: 'validate.percent', vars: { field } });
  };

  required('name');
  required('regionCode');
  required('status');
  required('kind');
  if (required('racksDesigned')) nonNegative(['racksDesigned'], values.racksDesigned, true);
  if (required('racksInUse')) nonNegative(['racksInUse'], values.racksInUse, true);
  if (isSet(values.racksDesigned) && isSet(values.racksInUse) && values.racksInUse > values.racksDesigned) {
    issues.push({ path: ['racksInUse'], key: 'validate.racksInUse' });
  }
  // The server keeps facilities within China's extent.
  if (isSet(values.lon) && (values.lon < 73 || values.lon > 136)) issues.push({ path: ['lon'], key: 'validate.lon' });
  if (isSet(values.lat) && (values.lat < 3 || values.lat > 54)) issues.push({ path: ['lat'], key: 'validate.lat' });
  for (const field of ['storagePb', 'egressGbps', 'annualKwh'] as const) nonNegative([field], values[field]);
  percent('advancedStoragePct');
  percent('greenPowerPct');
  for (const field of ['pueDesign', 'pueMeasured'] as const) {
    const value = values[field];
    if (isSet(value) && value < 1) issues.push({ path: [field], key: 'validate.pue' });
    else if (isSet(value) && value > 5) issues.push({ path: [field], key: 'validate.pueMax' });
  }
  for (const precision of ['fp64', 'fp32', 'fp16', 'int8'] as const) nonNegative(['compute', precision], values.compute?.[precision]);

  const seen = new Set<string>();
  (values.accelerators ?? []).forEach((line, index) => {
    if (!line) return;
    if (!line.model) issues.push({ path: ['accelerators', index, 'model'], key: 'validate.required', vars: { field: 'model' } });
    else if (seen.has(line.model)) issues.push({ path: ['accelerators', index, 'model'], key: 'validate.duplicateModel' });
    else seen.add(line.model);
    if (!isSet(line.count) || line.count <= 0 || !Number.isInteger(line.count)) issues.push({ path: ['accelerators', index, 'count'], key: 'validate.count' });
  });

  (values.contacts ?? []).forEach((contact, index) => {
    if (!contact) return;
    if (!contact.name?.trim()) issues.push({ path: ['contacts', index, 'name'], key: 'validate.required', vars: { field: 'contactName' } });
    if (contact.email && !EMAIL.test(contact.email.trim())) issues.push({ path: ['contacts', index, 'email'], key: 'validate.email' });
  });
  return issues;
}

export function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((part, i) => String(part) === String(b[i]));
}

/**
 * A problem+json `errors[].path` as a form field path: '/data/racksInUse', 'data.racksInUse',
 * 'body.data.accelerators[0].count', '/data/accelerators/0/count' → ['accelerators', 0, 'count'].
 */
export function problemPathToField(path: string): FieldPath {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter(Boolean);
  while (parts.length > 1 && (parts[0] === 'body' || parts[0] === 'data')) parts.shift();
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
