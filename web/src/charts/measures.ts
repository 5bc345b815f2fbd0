/** What the overview colours and ranks by, and how each figure is scaled for display. */
import { scaleFlops, type Lang } from '../format.ts';
import type { OverviewChild } from '../types.ts';

export const MEASURES = ['racksDesigned', 'fp32Equivalent', 'rackUtilization'] as const;
export type Measure = (typeof MEASURES)[number];

export function measureValue(child: OverviewChild, measure: Measure): number | null {
  const value = child[measure];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface MeasureScale {
  /** display value = raw value × factor */
  factor: number;
  unit: string;
  digits: number;
}

/** One scale for a whole chart, chosen from its largest value, so all items share a unit. */
export function measureScale(measure: Measure, maxRaw: number, racksUnit: string): MeasureScale {
  switch (measure) {
    case 'racksDesigned':
      return { factor: 1, unit: racksUnit, digits: 0 };
    case 'rackUtilization':
      return { factor: 100, unit: '%', digits: 1 };
    case 'fp32Equivalent': {
      const scaled = scaleFlops(maxRaw);
      return { factor: maxRaw === 0 ? 1 : scaled.value / maxRaw, unit: scaled.unit, digits: 2 };
    }
  }
}

export function formatScaled(raw: number | null, scale: MeasureScale, lang: Lang): string {
  if (raw === null) return '—';
  const value = raw * scale.factor;
  const text = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: scale.digits }).format(value);
  return scale.unit === '%' ? `${text}%` : `${text} ${scale.unit}`;
}
