import { describe, expect, it } from 'vitest';
import { formatAlertValue, formatMetricValue, formatSeconds } from './format.ts';

describe('alert formatting', () => {
  it('shows ratios as percentages, PUE with two decimals', () => {
    expect(formatMetricValue('rack_utilization', 0.523)).toBe('52.3%');
    expect(formatMetricValue('pue', 1.5)).toBe('1.50');
    expect(formatMetricValue('it_power_kw', 812.5)).toBe('812.5');
    expect(formatMetricValue('pue', null)).toBe('—');
  });

  it('shows durations in the largest whole unit', () => {
    expect(formatSeconds(600, 'zh')).toBe('10 分钟');
    expect(formatSeconds(86_400, 'en')).toBe('1 d');
    expect(formatSeconds(7200, 'en')).toBe('2 h');
    expect(formatSeconds(30, 'en')).toBe('30 s');
  });

  it('reads an alert as value against threshold', () => {
    expect(formatAlertValue('pue_target', 'pue', '>', 1.62, 1.25, 'en')).toBe('1.62 > 1.25');
    expect(formatAlertValue('pue_target', 'pue', '>', 1.500412, 1.5, 'en')).toBe('1.50041 > 1.50');
    expect(formatAlertValue('utilisation_target', 'rack_utilization', '<', 0.52, 0.6, 'zh')).toBe('52% < 60%');
    expect(formatAlertValue('absence', null, null, 845, 600, 'en')).toBe('14 min ≥ 10 min');
  });
});
