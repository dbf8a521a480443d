import { ConfigError, readIntSetting, readUrlSetting } from '../infra/config-error.ts';
import { MAX_ATTACHMENT_BYTES } from '../protocol/index.ts';

export interface GatewayConfig {
  gatewayId: string;
  siteConfigPath: string;
  /** External broker; undefined means the caller supplies one (the demo's embedded broker). */
  mqttUrl: string | undefined;
  cloudUrl: string;
  /** Bearer token the cloud provisioned for this gateway. */
  cloudToken: string;
  dataDir: string;
  /** Local API (health, metrics, lot states, outbox). 0 picks a free port. */
  apiPort: number;
  apiHost: string;
  /** A device silent this long is reported offline even without its last will. */
  deviceSilenceMs: number;
  uplinkBatchSize: number;
  /** How long the broker keeps the gateway's MQTT session and its QoS 1 messages while it is away. */
  mqttSessionExpirySeconds: number;
  /** Deliveries failing this long make /ready 503 and /health degraded. */
  uplinkFailingMs: number;
  /** An undelivered event this old makes /health degraded. */
  outboxOldestMs: number;
  /** Bound of the evidence attachments (crops, clips) kept in the data directory. */
  attachmentsMaxBytes: number;
  /** MQTT login (MQTT_USERNAME, default the gateway id; MQTT_PASSWORD); no password: connect without one. */
  mqttCredentials?: { username: string; password: string } | undefined;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A device silent this long is reported offline, unless DEVICE_SILENCE_MS says otherwise. */
export const DEFAULT_DEVICE_SILENCE_MS = 120_000;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const gatewayId = env.GATEWAY_ID?.trim() || 'gw-s1';
  if (!ID.test(gatewayId)) throw new ConfigError('GATEWAY_ID', `must match ${ID.source}, got "${gatewayId}"`);
  const cloudToken = env.GATEWAY_TOKEN?.trim();
  if (!cloudToken) throw new ConfigError('GATEWAY_TOKEN', 'is required: the bearer token the cloud provisioned for this gateway');
  return {
    gatewayId,
    siteConfigPath: env.SITE_CONFIG?.trim() || 'config/site-s1.yaml',
    mqttUrl: readUrlSetting(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    cloudUrl: readUrlSetting(env, 'CLOUD_URL', ['http:', 'https:']) ?? 'http://127.0.0.1:3000',
    cloudToken,
    dataDir: env.GATEWAY_DATA_DIR?.trim() || `.data/gateway-${gatewayId}`,
    apiPort: readIntSetting(env, 'GATEWAY_PORT', 3100, 0, 65535),
    apiHost: env.GATEWAY_HOST?.trim() || '127.0.0.1',
    deviceSilenceMs: readIntSetting(env, 'DEVICE_SILENCE_MS', DEFAULT_DEVICE_SILENCE_MS, 1_000, 86_400_000),
    uplinkBatchSize: readIntSetting(env, 'UPLINK_BATCH_SIZE', 500, 1, 5_000),
    mqttSessionExpirySeconds: readIntSetting(env, 'MQTT_SESSION_EXPIRY_SECONDS', 86_400, 0, 4_294_967_295),
    uplinkFailingMs: readIntSetting(env, 'UPLINK_FAILING_MS', 120_000, 0, 86_400_000),
    outboxOldestMs: readIntSetting(env, 'OUTBOX_OLDEST_MS', 600_000, 0, 7 * 86_400_000),
    // At least one attachment of the largest size; 256 MiB is thousands of crops and clips.
    attachmentsMaxBytes: readIntSetting(env, 'GATEWAY_ATTACHMENTS_MAX_BYTES', 256 * 1024 * 1024, MAX_ATTACHMENT_BYTES, Number.MAX_SAFE_INTEGER),
    mqttCredentials: env.MQTT_PASSWORD ? { username: env.MQTT_USERNAME?.trim() || gatewayId, password: env.MQTT_PASSWORD } : undefined,
  };
}
