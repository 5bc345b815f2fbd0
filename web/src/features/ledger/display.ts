/** Plain-text rendering of facility field values, for history and diff tables. */
import { formatNumber, formatPct, formatPue, type Lang } from '../../format.ts';
import { translate, translateEnum, type MessageKey } from '../../i18n.ts';
import type { AcceleratorLine, Contact } from '../../types.ts';

/** `proposal`: labels for registration data, where `compute` is what is declared besides the accelerators. */
export function fieldLabel(lang: Lang, field: string, context: 'facility' | 'proposal' = 'facility'): string {
  if (field === 'compute' && context === 'proposal') return translate(lang, 'field.computeDeclared');
  if (field === 'regionCode') return translate(lang, 'field.region');
  if (field === 'ownerOrgId') return translate(lang, 'field.owner');
  if (field === 'compute') return translate(lang, 'detail.compute');
  const key = `field.${field}` as MessageKey;
  const text = translate(lang, key);
  return text === key ? field : text;
}

export function displayValue(lang: Lang, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (field) {
    case 'status':
      return translateEnum(lang, 'status', String(value));
    case 'kind':
      return translateEnum(lang, 'kind', String(value));
    case 'pueDesign':
    case 'pueMeasured':
      return formatPue(Number(value));
    case 'advancedStoragePct':
    case 'greenPowerPct':
      return formatPct(Number(value));
    case 'storagePb':
      return `${formatNumber(Number(value), lang, 2)} PB`;
    case 'egressGbps':
      return `${formatNumber(Number(value), lang, 1)} Gbps`;
    case 'annualKwh':
      return `${formatNumber(Number(value), lang)} kWh`;
    case 'accelerators':
      return Array.isArray(value) && value.length > 0
        ? (value as AcceleratorLine[]).map((line) => `${line.model} ×${formatNumber(line.count, lang)}`).join('；')
        : translate(lang, 'common.none');
    case 'contacts':
      return Array.isArray(value) && value.length > 0
        ? (value as Contact[]).map((c) => [c.name, c.phone, c.email].filter(Boolean).join(' ')).join('；')
        : translate(lang, 'common.none');
    case 'compute': {
      const compute = value as Record<string, number | undefined>;
      if ((['fp64', 'fp32', 'fp16', 'int8'] as const).every((p) => !compute[p])) return translate(lang, 'common.none');
      return (['fp64', 'fp32', 'fp16', 'int8'] as const)
        .filter((p) => compute[p] !== undefined && compute[p] !== null)
        .map((p) => `${p.toUpperCase()} ${formatNumber(Number(compute[p]), lang, 1)}`)
        .join(' / ');
    }
  }
  if (typeof value === 'number') return formatNumber(value, lang, 4);
  if (typeof value === 'boolean') return translate(lang, value ? 'common.yes' : 'common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
