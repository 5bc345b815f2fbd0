import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { acceptedAgeMs, expiredPartitions, keptResolutions, partitionDay, retentionMs, rollupDeleteLimit } from './retention.ts';
import { prepareBatch } from './rules.ts';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe('retention', () => {
  it('turns days into milliseconds, 0 into forever', () => {
    expect(retentionMs(loadConfig({}))).toEqual({ raw: 31 * DAY, '5m': 90 * DAY, '1h': 730 * DAY, '1d': Number.POSITIVE_INFINITY });
    expect([...keptResolutions(loadConfig({}), 31 * DAY)]).toEqual(['raw', '5m', '1h', '1d']);
    expect([...keptResolutions(loadConfig({}), 31 * DAY + 1)]).toEqual(['5m', '1h', '1d']);
  });

  it('reads the day of a partition from its name', () => {
    expect(partitionDay('metric_samples_20261126')).toBe(at('2026-11-26T00:00:00Z'));
    expect(partitionDay('metric_samples_default')).toBeNull();
    expect(partitionDay('metric_samples_2026112')).toBeNull();
  });

  it('drops a day partition only when the whole day is past the retention and folded into 5 min buckets', () => {
    const names = ['metric_samples_default', 'metric_samples_20261027', 'metric_samples_20261024', 'metric_samples_20261025', 'metric_samples_20261026'];
    const now = at('2026-11-26T11:00:00Z');
    // 31 days back: 2026-10-26T11:00 — the days up to the 25th are wholly older, oldest first.
    expect(expiredPartitions(names, now, 31 * DAY, now)).toEqual(['metric_samples_20261024', 'metric_samples_20261025']);
    // The 5 min level folded only up to the 25th, 06:00: that day stays.
    expect(expiredPartitions(names, now, 31 * DAY, at('2026-10-25T06:00:00Z'))).toEqual(['metric_samples_20261024']);
    // Never folded: nothing goes.
    expect(expiredPartitions(names, now, 31 * DAY, Number.NEGATIVE_INFINITY)).toEqual([]);
    expect(expiredPartitions(names, now, Number.POSITIVE_INFINITY, now)).toEqual([]);
  });

  it('deletes rollup buckets only when past the retention and folded into the next level', () => {
    const now = at('2027-01-30T00:00:00Z');
    expect(rollupDeleteLimit(now, 90 * DAY, now)).toBe(at('2026-11-01T00:00:00Z'));
    expect(rollupDeleteLimit(now, 90 * DAY, at('2026-10-01T00:00:00Z'))).toBe(at('2026-10-01T00:00:00Z'));
  });

  it('refuses samples older than the raw retention when it is shorter than 31 days', () => {
    expect(acceptedAgeMs(loadConfig({}))).toBe(31 * DAY);
    expect(acceptedAgeMs(loadConfig({ SUANLI_RETENTION_RAW_DAYS: '0', SUANLI_RETENTION_5M_DAYS: '0', SUANLI_RETENTION_1H_DAYS: '0' }))).toBe(31 * DAY);
    const week = acceptedAgeMs(loadConfig({ SUANLI_RETENTION_RAW_DAYS: '7' }));
    expect(week).toBe(7 * DAY);
    const now = at('2026-11-26T11:00:00Z');
    const old = [{ labels: [{ name: '__name__', value: 'node_load1' }], samples: [{ timestamp: now - 8 * DAY, value: 1 }] }];
    expect(prepareBatch(old, now).samples).toBe(1);
    try {
      prepareBatch(old, now, week);
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('TIMESTAMP_TOO_OLD');
      expect((error as AppError).message).toContain('older than 7 days (the raw retention)');
    }
  });
});
