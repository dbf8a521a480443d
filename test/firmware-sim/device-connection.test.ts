import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { topics } from '../../protocol/index.ts';
import { startBroker, type BrokerHandle } from '../../infra/broker.ts';
import { createLogger } from '../../infra/logger.ts';
import { DEFAULT_DEVICE_OPTIONS } from '../../firmware-sim/engine/options.ts';
import { onlineStatus, shutdownStatus, willPayload } from '../../firmware-sim/engine/status.ts';
import type { DeviceInfo, SimMessage } from '../../firmware-sim/engine/types.ts';
import { DeviceConnection } from '../../firmware-sim/shell/device-connection.ts';

const SITE = 'dc';

/** An embedded broker that, once told to, takes reads in but never acknowledges them: a broker far behind. */
async function stallingBroker(): Promise<BrokerHandle & { stall(): void }> {
  let stalled = false;
  // Embedded whatever MQTT_URL says: the stall is a hook of the embedded broker.
  const broker = await startBroker({
    aedes: {
      authorizePublish: (_client, packet, callback) => {
        if (stalled && packet.topic.includes('/rfid/')) return;
        callback(null);
      },
    },
  });
  return { ...broker, stall: () => (stalled = true) };
}

function reader(): DeviceInfo {
  return {
    id: 'rd-1',
    kind: 'rfid',
    clientId: `sim-rd-1-${process.pid}`,
    protocolVersion: 4,
    model: 'Impinj R700',
    firmware: '8.4.1.240',
    will: { topic: topics.deviceStatus(SITE, 'rd-1'), payload: willPayload({ kind: 'rfid' }) },
  };
}

function read(n: number): SimMessage {
  return { deviceId: 'rd-1', channel: 'rfid', topic: topics.rfidEvents(SITE, 'rd-1'), payload: Buffer.from(`{"epc":"30${n}","antenna":1}`), qos: 1, retain: false, simTs: 0 };
}

/** The reasons of the offline statuses an observer sees for the reader. */
async function observe(url: string): Promise<{ client: MqttClient; reasons: string[] }> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const reasons: string[] = [];
  client.on('message', (_topic, payload) => {
    const status = JSON.parse(payload.toString()) as { state: string; reason?: string };
    if (status.state === 'offline') reasons.push(status.reason ?? '');
  });
  await client.subscribeAsync(topics.deviceStatus(SITE, 'rd-1'), { qos: 1 });
  return { client, reasons };
}

describe('a simulated device shutting down', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function connected(): Promise<{ broker: Awaited<ReturnType<typeof stallingBroker>>; connection: DeviceConnection; reasons: string[] }> {
    const broker = await stallingBroker();
    cleanup.push(() => broker.close());
    const { client, reasons } = await observe(broker.url);
    cleanup.push(() => client.endAsync());
    const info = reader();
    const connection = new DeviceConnection({
      url: broker.url,
      info,
      options: DEFAULT_DEVICE_OPTIONS.connection,
      log: createLogger('test', { level: 'silent' }),
      onlineNow: () => onlineStatus(SITE, info, Date.now()),
    });
    connection.up(onlineStatus(SITE, info, Date.now()));
    await connection.waitConnected(5_000);
    return { broker, connection, reasons };
  }

  it('says so itself once the broker has taken what it sent', async () => {
    const { connection, reasons } = await connected();
    for (let i = 0; i < 50; i++) connection.publish(read(i));
    await connection.close(shutdownStatus(SITE, reader(), Date.now()), 5_000);
    await expect.poll(() => reasons).toEqual(['shutdown']);
  });

  it('is cut off after the grace when the broker does not take its last messages, and the broker reports it by the will', async () => {
    const { broker, connection, reasons } = await connected();
    broker.stall();
    for (let i = 0; i < 50; i++) connection.publish(read(i));
    const started = performance.now();
    await connection.close(shutdownStatus(SITE, reader(), Date.now()), 300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // Its own `shutdown` may have got through; what stays retained is the will's.
    await expect.poll(() => reasons.at(-1)).toBe('connection-lost');
  });
});

describe("a simulated device's delivery window and buffer (Impinj eventPendingDeliveryLimit and eventBufferSize)", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function device(broker: BrokerHandle, limits: { maxInFlight: number; bufferMessages: number }): Promise<DeviceConnection> {
    const info = reader();
    const connection = new DeviceConnection({
      url: broker.url,
      info,
      options: { ...DEFAULT_DEVICE_OPTIONS.connection, ...limits },
      log: createLogger('test', { level: 'silent' }),
      onlineNow: () => onlineStatus(SITE, info, Date.now()),
    });
    connection.up(onlineStatus(SITE, info, Date.now()));
    await connection.waitConnected(5_000);
    cleanup.push(() => connection.close(undefined, 300));
    return connection;
  }

  it('holds what the broker has not acknowledged beyond its window, and purges the oldest once its buffer is full', async () => {
    const broker = await stallingBroker();
    cleanup.push(() => broker.close());
    const connection = await device(broker, { maxInFlight: 10, bufferMessages: 20 });
    broker.stall();
    for (let i = 0; i < 50; i++) connection.publish(read(i));
    // At most 10 on the wire unacknowledged (the retained `online` may still be one of
    // them), 20 held, the oldest of the rest purged and counted; nothing unaccounted for.
    const onWire = connection.stats.published - 1;
    expect(onWire).toBeGreaterThanOrEqual(9);
    expect(onWire).toBeLessThanOrEqual(10);
    expect(connection.held).toBe(20);
    expect(connection.stats.overflowed).toBe(50 - onWire - 20);
  });

  it('delivers everything, in order, through a small window when the broker keeps up', async () => {
    const broker = await startBroker({});
    cleanup.push(() => broker.close());
    const observer = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => observer.endAsync());
    const seen: string[] = [];
    let all: () => void = () => {};
    const done = new Promise<void>((resolve) => (all = resolve));
    observer.on('message', (_topic, payload) => {
      seen.push(payload.toString());
      if (seen.length === 300) all();
    });
    await observer.subscribeAsync(topics.rfidEvents(SITE, 'rd-1'), { qos: 1 });
    const connection = await device(broker, { maxInFlight: 5, bufferMessages: 1_000 });
    const sent = Array.from({ length: 300 }, (_, i) => read(i));
    for (const message of sent) connection.publish(message);
    expect(connection.held).toBeGreaterThan(0);
    await done;
    expect(seen).toEqual(sent.map((m) => m.payload.toString()));
    expect(connection.stats.overflowed).toBe(0);
    expect(connection.held).toBe(0);
  });
});
