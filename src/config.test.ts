import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir.endsWith('.suanli')).toBe(true);
    expect(config.instanceRole).toBe('national');
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SUANLI_ADMIN_PASSWORD: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('LOG_LEVEL');
      expect(problems).toContain('SUANLI_ADMIN_PASSWORD');
    }
  });

  it('checks the audit signing key at boot', () => {
    expect(loadConfig({}).auditCheckpointMinutes).toBe(60);
    expect(loadConfig({ SUANLI_AUDIT_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64') }).auditSigningKey).not.toBeNull();
    expect(() => loadConfig({ SUANLI_AUDIT_SIGNING_KEY: 'dG9vLXNob3J0', SUANLI_AUDIT_CHECKPOINT_MINUTES: '-1' })).toThrow(/SUANLI_AUDIT_SIGNING_KEY[\s\S]*SUANLI_AUDIT_CHECKPOINT_MINUTES|SUANLI_AUDIT_CHECKPOINT_MINUTES[\s\S]*SUANLI_AUDIT_SIGNING_KEY/);
  });

  it('lets flags override the environment', () => {
    expect(loadConfig({ PORT: '9000' }, { port: 1234 }).port).toBe(1234);
  });

  it('keeps telemetry 31 days raw, 90 days at 5 min, 2 years hourly, daily forever, coarser never shorter', () => {
    const config = loadConfig({});
    expect([config.retentionRawDays, config.retention5mDays, config.retention1hDays, config.retention1dDays]).toEqual([31, 90, 730, 0]);
    expect(loadConfig({ SUANLI_RETENTION_RAW_DAYS: '7', SUANLI_RETENTION_5M_DAYS: '0', SUANLI_RETENTION_1H_DAYS: '0' }).retention5mDays).toBe(0);
    expect(() => loadConfig({ SUANLI_RETENTION_5M_DAYS: '30' })).toThrow(/SUANLI_RETENTION_5M_DAYS=30 keeps a coarser resolution for less time than SUANLI_RETENTION_RAW_DAYS=31/);
    expect(() => loadConfig({ SUANLI_RETENTION_RAW_DAYS: '0' })).toThrow(/SUANLI_RETENTION_5M_DAYS=90 .*forever/);
    expect(() => loadConfig({ SUANLI_RETENTION_1D_DAYS: '365' })).toThrow(/SUANLI_RETENTION_1D_DAYS=365/);
    expect(() => loadConfig({ SUANLI_RETENTION_RAW_DAYS: '-1' })).toThrow(/SUANLI_RETENTION_RAW_DAYS/);
  });
});
