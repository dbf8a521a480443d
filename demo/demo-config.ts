import { randomBytes } from 'node:crypto';
import { ConfigError, readIntSetting, readUrlSetting } from '../infra/config-error.ts';

export interface DemoConfig {
  mqttUrl: string | undefined;
  databaseUrl: string | undefined;
  port: number;
  gatewayPort: number;
  dataDir: string;
  siteConfigPath: string;
  scenario: string;
  seed: number;
  speed: number;
  gatewayToken: string;
}

export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const speed = Number(env.DEMO_SPEED ?? '60');
  if (!Number.isFinite(speed) || speed <= 0 || speed > 10_000) {
    throw new ConfigError('DEMO_SPEED', `must be a number between 0 and 10000 (simulated seconds per second), got "${env.DEMO_SPEED}"`);
  }
  return {
    mqttUrl: readUrlSetting(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    databaseUrl: readUrlSetting(env, 'DATABASE_URL', ['postgresql:', 'postgres:']),
    port: readIntSetting(env, 'PORT', 3000, 0, 65535),
    gatewayPort: readIntSetting(env, 'GATEWAY_PORT', 3100, 0, 65535),
    dataDir: env.DEMO_DATA_DIR?.trim() || '.data/demo',
    siteConfigPath: env.SITE_CONFIG?.trim() || 'config/site-s1.yaml',
    scenario: env.DEMO_SCENARIO?.trim() || 'quiet-day',
    seed: readIntSetting(env, 'DEMO_SEED', 1, 0, 2 ** 31 - 1),
    speed,
    // The demo provisions its own gateway, so a fresh token each run is enough.
    gatewayToken: env.GATEWAY_TOKEN?.trim() || randomBytes(24).toString('base64url'),
  };
}
