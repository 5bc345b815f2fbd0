import { describe, expect, it } from 'vitest';
import { formatFlops, formatPercent, formatPct, formatPue, kwFromRacks, racksFromKw, scaleFlops } from './format.ts';

describe('scaleFlops', () => {
  it('keeps small figures in TFLOPS', () => {
    expect(scaleFlops(312)).toEqual({ value: 312, unit: 'TFLOPS' });
  });
  it('moves to PFLOPS and EFLOPS at each thousand', () => {
    expect(scaleFlops(2500)).toEqual({ value: 2.5, unit: 'PFLOPS' });
    expect(scaleFlops(3_400_000)).toEqual({ value: 3.4, unit: 'EFLOPS' });
  });
});

describe('formatters', () => {
  it('formats compute with its unit', () => {
    expect(formatFlops(1500, 'en')).toBe('1.5 PFLOPS');
    expect(formatFlops(null, 'zh')).toBe('—');
  });
  it('formats ratios and percentages', () => {
    expect(formatPercent(0.8534)).toBe('85.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPct(42)).toBe('42%');
  });
  it('formats PUE with two decimals', () => {
    expect(formatPue(1.254)).toBe('1.25');
    expect(formatPue(undefined)).toBe('—');
  });
  it('converts between kW and standard racks of 2.5 kW', () => {
    expect(racksFromKw(250)).toBe(100);
    expect(racksFromKw(251)).toBe(100);
    expect(kwFromRacks(4)).toBe(10);
  });
});
