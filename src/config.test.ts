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
});
