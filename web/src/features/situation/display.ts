/** How the situation page shows its figures; pure, so the tests need no browser. */
import type { Lang } from '../../format.ts';
import type { MapMeasure, SituationFigures } from './types.ts';

const DASH = '—';

const number = (value: number, lang: Lang, digits: number) => new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);

/** IT power: kW below 1 MW, MW with two decimals above. */
export function formatPower(kw: number | null | undefined, lang: Lang): string {
  if (kw === null || kw === undefined || !Number.isFinite(kw)) return DASH;
  return Math.abs(kw) >= 1000 ? `${number(kw / 1000, lang, 2)} MW` : `${number(kw, lang, 0)} kW`;
}

/** A 0..1 ratio in percent with one decimal. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${(ratio * 100).toFixed(1)}%`;
}

export function formatPueValue(pue: number | null | undefined): string {
  if (pue === null || pue === undefined || !Number.isFinite(pue)) return DASH;
  return pue.toFixed(2);
}

export function formatAccelerators(figures: Pick<SituationFigures, 'accelerators'>, lang: Lang): string {
  const { healthy, total } = figures.accelerators;
  if (healthy === null || total === null) return DASH;
  return `${number(healthy, lang, 0)} / ${number(total, lang, 0)}`;
}

/** hh:mm:ss in the browser's time zone. */
export function formatClock(iso: string | Date | null | undefined, lang: Lang): string {
  if (!iso) return DASH;
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return DASH;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
}

/** The value the map colours a region by (null: no data or withheld). */
export function measureOf(figures: SituationFigures, measure: MapMeasure): number | null {
  return measure === 'rackUtilization' ? figures.rackUtilization.weighted : figures.acceleratorUtilization;
}

/** A province code (xx0000): the country's children, drilled into on a province map. */
export { isProvinceCode } from '../../charts/chinaMap/geo.ts';
