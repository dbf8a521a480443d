import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../../infra/broker.ts';
import { createLogger } from '../../../infra/logger.ts';
import { loadGatewayConfig } from '../../../gateway/config.ts';
import { startGateway, type GatewayHandle } from '../../../gateway/start-gateway.ts';
import type { Stage, StageContext } from '../../../gateway/pipeline/stage.ts';
import { topics } from '../../../protocol/index.ts';

/**
 * The toy stage of the README's "Adding a stage": it counts the status messages each
 * device sends, and offers a route and a health facet. Nothing in start-gateway.ts knows it.
 */
function createHeartbeatStage(ctx: StageContext): Stage {
  const beats = new Map<string, number>();
  return {
    name: 'heartbeats',
    channels: ['device.status'],
    handle(message) {
      beats.set(message.deviceId, (beats.get(message.deviceId) ?? 0) + 1);
    },
    routes(app) {
      app.get('/api/v1/heartbeats', async () => ({ site: ctx.site.site, items: [...beats].map(([device, count]) => ({ device, count })) }));
    },
    healthFacets: { heartbeats: () => ({ devices: beats.size }) },
  };
}

const SITE = `site: s-toy
zones:
  - id: bay-1
    kind: storage
    readers: [{ reader: rd-1, antennas: [1] }]
`;

describe('adding a stage is a factory in the stage list', () => {
  let broker: BrokerHandle;
  let gateway: GatewayHandle;
  let dir: string;

  beforeAll(async () => {
    broker = await startBroker({ url: process.env.MQTT_URL });
    dir = await mkdtemp(join(tmpdir(), 'wrm-toy-stage-'));
    await writeFile(join(dir, 'site.yaml'), SITE);
    gateway = await startGateway(
      {
        ...loadGatewayConfig({ GATEWAY_TOKEN: 'toy-token' }),
        gatewayId: 'gw-toy',
        siteConfigPath: join(dir, 'site.yaml'),
        mqttUrl: broker.url,
        // No cloud: deliveries and manifest polls fail and are retried, which this test does not need.
        cloudUrl: 'http://127.0.0.1:9',
        dataDir: join(dir, 'gateway'),
        apiPort: 0,
      },
      { log: createLogger('toy', { level: 'silent' }), tickMs: 0, extraStages: [createHeartbeatStage] },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the stage’s route with what it heard over MQTT, and its facet in /health', async () => {
    const device = mqtt.connect(broker.url, { clientId: `rd-1-toy-${process.pid}` });
    await new Promise<void>((resolve, reject) => device.once('connect', () => resolve()).once('error', reject));
    await device.publishAsync(topics.deviceStatus('s-toy', 'rd-1'), JSON.stringify({ state: 'online' }), { qos: 1 });
    await device.endAsync();

    await expect
      .poll(async () => (await (await fetch(`${gateway.apiUrl}/api/v1/heartbeats`)).json()) as unknown, { timeout: 10_000 })
      .toEqual({ site: 's-toy', items: [{ device: 'rd-1', count: 1 }] });
    const health = (await (await fetch(`${gateway.apiUrl}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ site: 's-toy', heartbeats: { devices: 1 }, rfid: { ok: true } });
    // The built-in stages' routes are there as before.
    expect((await fetch(`${gateway.apiUrl}/api/v1/devices`)).status).toBe(200);
    expect((await fetch(`${gateway.apiUrl}/api/v1/rfid/lots`)).status).toBe(200);
  });
});
