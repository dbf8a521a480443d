import { randomBytes } from 'node:crypto';
import { ConfigError, readIntSetting, readUrlSetting } from '../infra/config-error.ts';
import { loadEarlyWarningConfig, type EarlyWarningConfig } from './early-warning/early-warning-config.ts';
import { MAX_ATTACHMENT_BYTES } from '../protocol/index.ts';

export interface CloudConfig {
  host: string;
  port: number;
  /** PostgreSQL URL; undefined means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Largest accepted request body; gateway batches are the biggest. */
  bodyLimitBytes: number;
  /** HMAC secret of user tokens; without JWT_SECRET a random one, so tokens die with the process. */
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  tokenTtlSeconds: number;
  loginRateLimit: { max: number; perAddressMax: number; timeWindowMs: number };
  /** Live streams send a comment line this often (proxies close quiet streams) and re-check the viewer's account. */
  liveHeartbeatMs: number;
  /** Secret seed of the unannounced-inspection draw; without INSPECTION_SEED a random one per process. */
  inspectionSeed: string | undefined;
  /** Market data, watchdogs, jobs, notifications and scheduled reports (issue 22). */
  earlyWarning: EarlyWarningConfig;
  /** Evidence attachments (crops, clips) the gateways upload: bytes kept per tenant at most. */
  attachments: { tenantMaxBytes: number };
}

/** 10 GiB: a year of a few crops and clips a day at dozens of sites. */
export const DEFAULT_ATTACHMENT_TENANT_MAX_BYTES = 10 * 1024 ** 3;

export function loadCloudConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address: "${host}"`);
  const jwtSecret = env.JWT_SECRET?.trim() || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  const inspectionSeed = env.INSPECTION_SEED?.trim() || undefined;
  // Anyone who knows the seed knows every inspection day: it must be as hard to guess as a key.
  if (inspectionSeed !== undefined && inspectionSeed.length < 16) throw new ConfigError('INSPECTION_SEED', 'must be at least 16 characters');
  return {
    host,
    port: readIntSetting(env, 'PORT', 3000, 0, 65535),
    databaseUrl: readUrlSetting(env, 'DATABASE_URL', ['postgresql:', 'postgres:']),
    dataDir: env.CLOUD_DATA_DIR?.trim() || '.data/cloud',
    bodyLimitBytes: readIntSetting(env, 'CLOUD_BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    jwtSecret: jwtSecret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: jwtSecret === undefined,
    tokenTtlSeconds: readIntSetting(env, 'TOKEN_TTL_SECONDS', 8 * 3600, 60, 30 * 86_400),
    loginRateLimit: {
      max: readIntSetting(env, 'LOGIN_RATE_LIMIT', 10, 1, 10_000),
      perAddressMax: readIntSetting(env, 'LOGIN_RATE_LIMIT_PER_ADDRESS', 30, 1, 100_000),
      timeWindowMs: 60_000,
    },
    liveHeartbeatMs: readIntSetting(env, 'LIVE_HEARTBEAT_MS', 15_000, 10, 300_000),
    inspectionSeed,
    earlyWarning: loadEarlyWarningConfig(env),
    // At least one attachment of the largest size.
    attachments: { tenantMaxBytes: readIntSetting(env, 'ATTACHMENT_TENANT_MAX_BYTES', DEFAULT_ATTACHMENT_TENANT_MAX_BYTES, MAX_ATTACHMENT_BYTES, Number.MAX_SAFE_INTEGER) },
  };
}

/**
 * Every cloud process on one PostgreSQL must sign and check user tokens with the same
 * secret and draw inspections from the same seed; a random one per process would break
 * tokens and inspection days as soon as a second replica runs. So with DATABASE_URL
 * both must be given. Random secrets are for the embedded database only, which one
 * process holds alone.
 */
export function requireSharedSecrets(config: CloudConfig): void {
  if (config.databaseUrl === undefined) return;
  if (config.jwtSecretGenerated) throw new ConfigError('JWT_SECRET', 'is required with DATABASE_URL: every cloud process on the database must share it (at least 32 characters)');
  if (config.inspectionSeed === undefined) throw new ConfigError('INSPECTION_SEED', 'is required with DATABASE_URL: every cloud process on the database must draw the same inspection days (at least 16 characters)');
}
