import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBroker, type BrokerHandle } from '../../infra/broker.ts';
import { hashMqttPassword } from '../../infra/mqtt-auth/mqtt-password.ts';
import type { MqttClientEntry } from '../../protocol/site/mqtt-clients.ts';

const PASSWORDS = { 'gw-s1': 'gateway-secret', 'rd-a': 'reader-a-secret', 'rd-b': 'reader-b-secret' } as const;

/** The embedded broker with the site's clients, as the demo starts it (issue 17). */
describe('embedded broker: authentication and topic authorisation', () => {
  let broker: BrokerHandle;
  let gateway: MqttClient;
  const received: string[] = [];
  const refused: string[] = [];
  const open: MqttClient[] = [];

  const connect = async (options: mqtt.IClientOptions): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, protocolVersion: 4, ...options });
    open.push(client);
    return client;
  };
  const refusalOf = (options: mqtt.IClientOptions): Promise<unknown> => connect(options).then(() => 'connected', (error: unknown) => (error as { code?: unknown }).code);

  beforeAll(async () => {
    const clients: MqttClientEntry[] = [
      { username: 'gw-s1', role: 'gateway', passwordHash: await hashMqttPassword(PASSWORDS['gw-s1']) },
      { username: 'rd-a', role: 'device', kind: 'rfid', passwordHash: await hashMqttPassword(PASSWORDS['rd-a']) },
      { username: 'rd-b', role: 'device', kind: 'rfid', passwordHash: await hashMqttPassword(PASSWORDS['rd-b']) },
    ];
    broker = await startBroker({ auth: { site: 's1', clients, onRefused: (reason, who) => refused.push(`${reason}:${who ?? '-'}`) } });
    gateway = await connect({ clientId: 'gw-s1', username: 'gw-s1', password: PASSWORDS['gw-s1'] });
    gateway.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
    await gateway.subscribeAsync('wh/s1/#', { qos: 1 });
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    await broker.close();
  });

  it('refuses clients without valid credentials, or with another client id than their own', async () => {
    expect(await refusalOf({ clientId: 'anon' })).toBe(4);
    expect(await refusalOf({ clientId: 'rd-a', username: 'rd-a', password: 'guess' })).toBe(4);
    expect(await refusalOf({ clientId: 'rd-b', username: 'rd-a', password: PASSWORDS['rd-a'] })).toBe(2);
    // Taking over the gateway's session needs the gateway's password.
    expect(await refusalOf({ clientId: 'gw-s1', username: 'rd-a', password: PASSWORDS['rd-a'] })).toBe(2);
    expect(gateway.connected).toBe(true);
  });

  it('lets a device publish only under its own id and kind; never as the gateway or another site', async () => {
    await gateway.publishAsync('wh/s1/gateway/status', '{"state":"online"}', { qos: 1, retain: true });
    await vi.waitFor(() => expect(received).toContain('wh/s1/gateway/status {"state":"online"}'));
    const before = received.length;
    const attempts: Array<[string, string]> = [
      ['wh/s1/rfid/rd-b/events', 'spoofed reads'],
      ['wh/s1/device/rd-b/status', '{"state":"offline"}'],
      ['wh/s1/gateway/status', '{"state":"offline"}'],
      ['wh/s1/camera/rd-a/frame', 'wrong kind'],
      ['wh/s2/rfid/rd-a/events', 'other site'],
    ];
    for (const [topic, payload] of attempts) {
      const reader = await connect({ clientId: 'rd-a', username: 'rd-a', password: PASSWORDS['rd-a'] });
      const closed = new Promise<void>((resolve) => reader.once('close', () => resolve()));
      reader.publish(topic, payload, { qos: 1, retain: true });
      // A device that publishes outside its own topics is disconnected.
      await closed;
    }
    const reader = await connect({ clientId: 'rd-a', username: 'rd-a', password: PASSWORDS['rd-a'] });
    await reader.publishAsync('wh/s1/rfid/rd-a/events', 'own reads', { qos: 1 });
    await vi.waitFor(() => expect(received.slice(before)).toContain('wh/s1/rfid/rd-a/events own reads'));
    expect(received.slice(before)).toEqual(['wh/s1/rfid/rd-a/events own reads']);
    expect(refused.filter((r) => r === 'publish:rd-a').length).toBe(attempts.length);
    // The gateway's retained status is still its own.
    const late: string[] = [];
    const other = await connect({ clientId: 'rd-b', username: 'rd-b', password: PASSWORDS['rd-b'] });
    expect(other.connected).toBe(true);
    gateway.on('message', (topic, payload, packet) => {
      if (packet.retain) late.push(`${topic} ${payload.toString()}`);
    });
    await gateway.unsubscribeAsync('wh/s1/#');
    await gateway.subscribeAsync('wh/s1/gateway/status', { qos: 1 });
    await vi.waitFor(() => expect(late).toEqual(['wh/s1/gateway/status {"state":"online"}']));
  });

  it('keeps devices from subscribing to anything', async () => {
    const reader = await connect({ clientId: 'rd-b', username: 'rd-b', password: PASSWORDS['rd-b'] });
    await expect(reader.subscribeAsync('wh/s1/#', { qos: 1 })).rejects.toThrow();
    await expect(reader.subscribeAsync('#', { qos: 1 })).rejects.toThrow();
  });
});
