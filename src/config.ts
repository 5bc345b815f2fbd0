import path from 'node:path';
import { parseSigningKey } from './audit/keys.ts';

/** Configuration, parsed once at boot from the environment (flags override). Every bad value is listed at once. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  adminPassword: string | null;
  demoPassword: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  instanceRole: 'national' | 'provincial' | 'city';
  instanceRegion: string;
  sessionTtlHours: number;
  webDir: string;
  secureCookies: boolean;
  /** Requests per minute per API token (or per IP when anonymous) under /api; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Seconds between runs of the monitoring rollup job (5 min / 1 h / 1 d); 0 turns the timer off. */
  rollupIntervalSeconds: number;
  /**
   * Days each resolution of telemetry is kept; 0 keeps it forever. Raw samples go by whole day
   * partitions once folded into 5 min rollups; each rollup level once folded into the next.
   */
  retentionRawDays: number;
  retention5mDays: number;
  retention1hDays: number;
  retention1dDays: number;
  /** Seconds between alert evaluations (and webhook deliveries); 0 turns the timer off. */
  alertIntervalSeconds: number;
  /** Ed25519 key signing audit checkpoints (PKCS#8 PEM or base64 32-byte seed); null: the data-directory key on PGlite, none on PostgreSQL. */
  auditSigningKey: string | null;
  /** Minutes between signed audit checkpoints; 0 turns the timer off. */
  auditCheckpointMinutes: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLES = ['national', 'provincial', 'city'] as const;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const adminPassword = env.SUANLI_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 10) {
    problems.push('SUANLI_ADMIN_PASSWORD must have at least 10 characters');
  }
  const demoPassword = env.SUANLI_DEMO_PASSWORD || null;
  if (demoPassword !== null && demoPassword.length < 8) {
    problems.push('SUANLI_DEMO_PASSWORD must have at least 8 characters');
  }
  const instanceRegion = env.SUANLI_INSTANCE_REGION || '000000';
  if (!/^\d{6}$/.test(instanceRegion)) problems.push('SUANLI_INSTANCE_REGION must be a six-digit GB/T 2260 code');

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.SUANLI_DATA_DIR || '.suanli'),
    databaseUrl,
    adminPassword,
    demoPassword,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    instanceRole: oneOf('SUANLI_INSTANCE_ROLE', ROLES, 'national'),
    instanceRegion,
    sessionTtlHours: int('SUANLI_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    webDir: path.resolve(env.SUANLI_WEB_DIR || 'web/dist'),
    secureCookies: env.SUANLI_SECURE_COOKIES === 'true',
    rateLimitPerMinute: int('SUANLI_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    rollupIntervalSeconds: int('SUANLI_ROLLUP_INTERVAL_SECONDS', 60, 0, 86_400),
    retentionRawDays: int('SUANLI_RETENTION_RAW_DAYS', 31, 0, 36_500),
    retention5mDays: int('SUANLI_RETENTION_5M_DAYS', 90, 0, 36_500),
    retention1hDays: int('SUANLI_RETENTION_1H_DAYS', 730, 0, 36_500),
    retention1dDays: int('SUANLI_RETENTION_1D_DAYS', 0, 0, 36_500),
    alertIntervalSeconds: int('SUANLI_ALERT_INTERVAL_SECONDS', 60, 0, 86_400),
    auditSigningKey: env.SUANLI_AUDIT_SIGNING_KEY || null,
    auditCheckpointMinutes: int('SUANLI_AUDIT_CHECKPOINT_MINUTES', 60, 0, 10_080),
    ...overrides,
  };
  // A coarser resolution must outlive a finer one, or an old range could be answered by none.
  const kept = [
    ['SUANLI_RETENTION_RAW_DAYS', config.retentionRawDays],
    ['SUANLI_RETENTION_5M_DAYS', config.retention5mDays],
    ['SUANLI_RETENTION_1H_DAYS', config.retention1hDays],
    ['SUANLI_RETENTION_1D_DAYS', config.retention1dDays],
  ] as const;
  for (let i = 1; i < kept.length; i++) {
    const [finer, finerDays] = kept[i - 1];
    const [coarser, coarserDays] = kept[i];
    if (coarserDays !== 0 && (finerDays === 0 || finerDays > coarserDays)) {
      problems.push(`${coarser}=${coarserDays} keeps a coarser resolution for less time than ${finer}=${finerDays || 'forever (0)'}: raise it or use 0 (forever)`);
    }
  }
  if (config.auditSigningKey) {
    try {
      parseSigningKey(config.auditSigningKey);
    } catch (error) {
      const message = (error as Error).message;
      problems.push(message.startsWith('SUANLI_AUDIT_SIGNING_KEY') ? message : `SUANLI_AUDIT_SIGNING_KEY is not a usable Ed25519 key: ${message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
