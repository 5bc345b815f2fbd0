import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { keptResolutions } from './retention.ts';
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

  it('falls back to the finest resolution still kept for the start of the range', () => {
    const hour = 3600_000;
    const day = 24 * hour;
    const config = loadConfig({});
    // Defaults: raw 31 d, 5 min 90 d, 1 h 2 years, 1 d forever.
    expect(resolutionFor(hour, keptResolutions(config, 30 * day)).name).toBe('raw');
    expect(resolutionFor(hour, keptResolutions(config, 40 * day)).name).toBe('5m');
    expect(resolutionFor(hour, keptResolutions(config, 100 * day)).name).toBe('1h');
    expect(resolutionFor(30 * day, keptResolutions(config, 100 * day)).name).toBe('1h');
    expect(resolutionFor(hour, keptResolutions(config, 800 * day)).name).toBe('1d');
    // Nothing kept that long: the coarsest resolution (which answers with no points).
    expect(resolutionFor(hour, keptResolutions(loadConfig({ SUANLI_RETENTION_1D_DAYS: '3650' }), 4000 * day)).name).toBe('1d');
  });
});
