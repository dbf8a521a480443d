import { describe, expect, it } from 'vitest';
import { loadCloudConfig, requireSharedSecrets } from '../../cloud/config.ts';
import { ConfigError } from '../../infra/config-error.ts';

const refusal = (env: NodeJS.ProcessEnv): string => {
  try {
    requireSharedSecrets(loadCloudConfig(env));
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the setting was accepted');
};

describe('cloud configuration', () => {
  it('runs on embedded defaults, with secrets of its own that die with the process', () => {
    const config = loadCloudConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, liveHeartbeatMs: 15_000, inspectionSeed: undefined, jwtSecretGenerated: true });
    expect(loadCloudConfig({}).jwtSecret).not.toBe(config.jwtSecret);
  });

  it('takes the secrets it is given, and refuses ones too short to keep a secret', () => {
    const config = loadCloudConfig({ JWT_SECRET: 'j'.repeat(32), INSPECTION_SEED: '  0123456789abcdef  ' });
    expect(config).toMatchObject({ jwtSecret: 'j'.repeat(32), jwtSecretGenerated: false, inspectionSeed: '0123456789abcdef' });
    expect(refusal({ JWT_SECRET: 'short' })).toBe('configuration error: JWT_SECRET must be at least 32 characters');
    expect(refusal({ INSPECTION_SEED: 'guessable' })).toBe('configuration error: INSPECTION_SEED must be at least 16 characters');
  });

  it('names the setting and its bounds when a number is wrong', () => {
    expect(refusal({ LIVE_HEARTBEAT_MS: '5' })).toBe('configuration error: LIVE_HEARTBEAT_MS must be between 10 and 300000, got 5');
    expect(refusal({ TOKEN_TTL_SECONDS: 'an hour' })).toMatch(/^configuration error: TOKEN_TTL_SECONDS must be an integer/);
  });

  it('on a shared PostgreSQL, refuses to start without the secrets every replica must share', () => {
    const url = 'postgresql://postgres@127.0.0.1:5432/test';
    expect(refusal({ DATABASE_URL: url })).toMatch(/^configuration error: JWT_SECRET is required with DATABASE_URL/);
    expect(refusal({ DATABASE_URL: url, JWT_SECRET: 'j'.repeat(32) })).toMatch(/^configuration error: INSPECTION_SEED is required with DATABASE_URL/);
    expect(() => requireSharedSecrets(loadCloudConfig({ DATABASE_URL: url, JWT_SECRET: 'j'.repeat(32), INSPECTION_SEED: 's'.repeat(16) }))).not.toThrow();
    // The embedded database is one process's alone: random secrets are fine there.
    expect(() => requireSharedSecrets(loadCloudConfig({}))).not.toThrow();
  });
});
