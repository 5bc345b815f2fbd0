import { describe, expect, it } from 'vitest';
import { formatAccelerators, formatClock, formatPower, formatPueValue, formatRatio, isProvinceCode, measureOf } from './display.ts';
import type { SituationFigures } from './types.ts';

const figures = (overrides: Partial<SituationFigures> = {}): SituationFigures => ({
  rackUtilization: { average: 0.6, weighted: 0.666667 },
  itPowerKw: 6500,
  pue: 1.430769,
  acceleratorUtilization: 0.7,
  accelerators: { healthy: 7, total: 8 },
  availability: 0.875,
  contributors: { rackUtilization: 4, itPowerKw: 4, pue: 4, acceleratorUtilization: 1, accelerators: 1, availability: 4 },
  withheld: [],
  ...overrides,
});

describe('situation display', () => {
  it('shows power in kW below a megawatt and in MW above', () => {
    expect(formatPower(812.4, 'en')).toBe('812 kW');
    expect(formatPower(6500, 'en')).toBe('6.50 MW');
    expect(formatPower(1_234_567, 'zh')).toBe('1,234.57 MW');
    expect(formatPower(null, 'zh')).toBe('—');
  });

  it('shows ratios in percent, PUE with two decimals, accelerators as healthy / total', () => {
    expect(formatRatio(0.666667)).toBe('66.7%');
    expect(formatRatio(null)).toBe('—');
    expect(formatPueValue(1.430769)).toBe('1.43');
    expect(formatAccelerators(figures(), 'en')).toBe('7 / 8');
    expect(formatAccelerators(figures({ accelerators: { healthy: null, total: null } }), 'en')).toBe('—');
  });

  it('formats the time of day with seconds', () => {
    expect(formatClock(new Date(2026, 10, 26, 9, 5, 7), 'en')).toBe('09:05:07');
    expect(formatClock('nonsense', 'zh')).toBe('—');
  });

  it('colours the map by weighted rack utilisation or accelerator utilisation', () => {
    expect(measureOf(figures(), 'rackUtilization')).toBe(0.666667);
    expect(measureOf(figures(), 'acceleratorUtilization')).toBe(0.7);
    expect(measureOf(figures({ rackUtilization: { average: null, weighted: null } }), 'rackUtilization')).toBeNull();
  });

  it('knows province codes', () => {
    expect(['140000', '140200', '000000', '14'].map(isProvinceCode)).toEqual([true, false, false, false]);
  });
});
