import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../infra/broker.ts';
import { compileSchema, DeviceStatus, normaliseRfidPayload } from '../../protocol/index.ts';
import { startSimulatedWarehouse, type GroundTruthEvent } from '../../firmware-sim/index.ts';
import { siteS1 } from './helpers.ts';
import { uniqueId } from '../support/unique-id.ts';

// Its own site id: on a shared broker (Mosquitto in CI) retained statuses outlive a run.
const site = uniqueId('s');
const siteConfig = () => ({ ...siteS1(), site });

const checkStatus = compileSchema(DeviceStatus);

interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/** Resolves with the first message received after the call that satisfies `match`. */
function next(client: MqttClient, match: (m: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error('timed out waiting for a message'));
    }, timeoutMs);
    const onMessage = (topic: string, payload: Buffer, packet: { retain: boolean }) => {
      const m = { topic, payload, retain: packet.retain };
      if (!match(m)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(m);
    };
    client.on('message', onMessage);
  });
}

function state(m: Received): string | undefined {
  const checked = checkStatus(JSON.parse(m.payload.toString()));
  return checked.ok ? checked.value.state : undefined;
}

describe('simulated warehouse on a real broker (embedded, or Mosquitto with MQTT_URL)', () => {
  let broker: BrokerHandle;
  let observer: MqttClient;

  beforeAll(async () => {
    broker = await startBroker({ url: process.env.MQTT_URL });
    observer = await mqtt.connectAsync(broker.url, { clientId: `test-observer-${site}`, reconnectPeriod: 0 });
    await observer.subscribeAsync(`wh/${site}/#`, { qos: 1 });
  });

  afterAll(async () => {
    await observer.endAsync();
    await broker.close();
  });

  it('streams microphone PCM in real time', async () => {
    const warehouse = await startSimulatedWarehouse({
      mqttUrl: broker.url,
      siteConfig: siteConfig(),
      scenario: 'quiet-day',
      seed: 1,
      speed: 4,
      devices: { only: ['mic-1'] },
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        const chunk = await next(observer, (m) => m.topic === `wh/${site}/audio/mic-1/pcm`);
        expect(chunk.payload.length).toBe(0.5 * 16_000 * 2);
      }
      expect(warehouse.stats().lagMs.p95).toBeLessThan(500);
    } finally {
      await warehouse.stop();
    }
  });

  it('connects each device, fires a reader’s last will when it drops and announces it back', async () => {
    const online = next(observer, (m) => m.topic === `wh/${site}/device/rd-a/status` && state(m) === 'online');
    const warehouse = await startSimulatedWarehouse({
      mqttUrl: broker.url,
      siteConfig: siteConfig(),
      scenario: 'reader-offline',
      seed: 1,
      // Ten simulated minutes per real second: the reader drops after ~3 s and is back ~2 s
      // later. (A microphone would have to synthesise 600× real time; it gets its own test.)
      speed: 600,
      devices: { only: ['rd-a', 'cam-a'], rfid: { roundMs: 30_000 }, camera: { frameMs: 60_000 } },
    });
    try {
      const prefix = `LOT-${site.toUpperCase()}-`;
      expect(warehouse.lots.map((l) => l.lotId)).toEqual(['0001', '0002', '0003', '0004'].map((n) => prefix + n));
      await online;
      const truths: GroundTruthEvent[] = [];
      warehouse.onGroundTruth((e) => truths.push(e));
      const reads = await next(observer, (m) => m.topic === `wh/${site}/rfid/rd-a/events`);
      expect(normaliseRfidPayload(reads.payload, 'rd-a').errors).toEqual([]);
      const frame = await next(observer, (m) => m.topic === `wh/${site}/camera/cam-a/frame`);
      expect(frame.payload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

      const will = await next(observer, (m) => m.topic === `wh/${site}/device/rd-a/status` && state(m) === 'offline');
      expect(JSON.parse(will.payload.toString())).toMatchObject({ state: 'offline', reason: 'connection-lost' });
      expect(truths.some((e) => e.kind === 'device-offline' && e.deviceId === 'rd-a')).toBe(true);
      const back = await next(observer, (m) => m.topic === `wh/${site}/device/rd-a/status` && state(m) === 'online');
      expect(JSON.parse(back.payload.toString())).toMatchObject({ state: 'online', kind: 'rfid', model: 'Impinj R700' });

      // The broker keeps the latest status for late subscribers.
      const late = await mqtt.connectAsync(broker.url, { clientId: `test-late-${site}`, reconnectPeriod: 0 });
      const retained = next(late, (m) => m.topic === `wh/${site}/device/rd-a/status`);
      await late.subscribeAsync(`wh/${site}/device/+/status`, { qos: 1 });
      const r = await retained;
      expect(r.retain).toBe(true);
      expect(state(r)).toBe('online');
      await late.endAsync();

      const stats = warehouse.stats();
      expect(stats.published.rfid.messages).toBeGreaterThan(0);
      expect(stats.lagMs.p95).toBeLessThan(1_000);
      // aedes speaks MQTT 3.1.1 only, so the MQTT 5 camera falls back there; Mosquitto takes v5.
      expect(stats.mqtt311Fallbacks).toBe(broker.embedded ? 1 : 0);
    } finally {
      const offline = next(observer, (m) => m.topic === `wh/${site}/device/rd-a/status` && state(m) === 'offline');
      await warehouse.stop();
      expect(JSON.parse((await offline).payload.toString())).toMatchObject({ state: 'offline', reason: 'shutdown' });
    }
  });
});
