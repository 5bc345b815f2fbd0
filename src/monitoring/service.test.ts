import { describe, expect, it } from 'vitest';
import { resolutionFor } from './service.ts';

describe('resolutionFor', () => {
  it('serves raw up to 6 h, 5 min up to 7 d, 1 h up to 90 d, 1 d beyond', () => {
    const hour = 3600_000;
    const day = 24 * hour;
    expect(resolutionFor(hour).name).toBe('raw');
    expect(resolutionFor(6 * hour).name).toBe('raw');
    expect(resolutionFor(6 * hour + 1).name).toBe('5m');
    expect(resolutionFor(7 * day).name).toBe('5m');
    expect(resolutionFor(30 * day).name).toBe('1h');
    expect(resolutionFor(90 * day + 1).name).toBe('1d');
  });
});
