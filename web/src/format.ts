/** Number formatting for the UI; pure, so the tests need no browser. */

export type Lang = 'zh' | 'en';

const DASH = '—';

function localeOf(lang: Lang): string {
  return lang === 'en' ? 'en-US' : 'zh-CN';
}

export function formatNumber(value: number | null | undefined, lang: Lang, maximumFractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits }).format(value);
}

/** A 0..1 ratio as a percentage, e.g. 0.853 → "85.3%". */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A value already in percent (0..100), e.g. green power share. */
export function formatPct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${Number(value.toFixed(digits))}%`;
}

export interface Scaled {
  value: number;
  unit: string;
}

/** TFLOPS scaled to the largest unit that keeps the figure ≥ 1: TFLOPS, PFLOPS, EFLOPS. */
export function scaleFlops(tflops: number): Scaled {
  const abs = Math.abs(tflops);
  if (abs >= 1e6) return { value: tflops / 1e6, unit: 'EFLOPS' };
  if (abs >= 1e3) return { value: tflops / 1e3, unit: 'PFLOPS' };
  return { value: tflops, unit: 'TFLOPS' };
}

export function formatFlops(tflops: number | null | undefined, lang: Lang, digits = 2): string {
  if (tflops === null || tflops === undefined || !Number.isFinite(tflops)) return DASH;
  const scaled = scaleFlops(tflops);
  return `${formatNumber(scaled.value, lang, digits)} ${scaled.unit}`;
}

export function formatPue(pue: number | null | undefined): string {
  if (pue === null || pue === undefined || !Number.isFinite(pue)) return DASH;
  return pue.toFixed(2);
}

/** ISO time in the user's locale, minutes precision, local time zone. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** A standard rack (标准机架) is 2.5 kW. */
export const KW_PER_STANDARD_RACK = 2.5;

export function racksFromKw(kw: number): number {
  return Math.round(kw / KW_PER_STANDARD_RACK);
}

export function kwFromRacks(racks: number): number {
  return racks * KW_PER_STANDARD_RACK;
}
