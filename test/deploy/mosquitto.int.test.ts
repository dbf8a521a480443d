import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provisionSite } from '../../deploy/mosquitto/provision.ts';
import { freePort } from '../support/free-port.ts';

const MOSQUITTO = '/usr/sbin/mosquitto';
const SITE = `site: s9
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1] }, { reader: rd-b, antennas: [2] }]
`;


/** Issue 17: the generated Mosquitto configuration, run by a real Mosquitto on a free port. */
describe.skipIf(!existsSync(MOSQUITTO))('Mosquitto with the provisioned configuration', () => {
  let dir: string;
  let broker: ChildProcess;
  let url: string;
  let secrets: Record<string, string>;
  const open: MqttClient[] = [];
  const connect = async (options: mqtt.IClientOptions) => {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, protocolVersion: 4, ...options });
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wrm-mosquitto-'));
    await writeFile(join(dir, 'site-in.yaml'), SITE);
    const port = await freePort();
    ({ secrets } = await provisionSite({ siteYamlPath: join(dir, 'site-in.yaml'), outDir: join(dir, 'out'), port, brokerUser: userInfo().username }));
    url = `mqtt://127.0.0.1:${port}`;
    broker = spawn(MOSQUITTO, ['-c', join(dir, 'out', 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await vi.waitFor(async () => (await mqtt.connectAsync(url, { reconnectPeriod: 0, username: 'gw-s9', password: secrets['gw-s9'] ?? '' })).endAsync(), { timeout: 10_000, interval: 100 });
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    broker?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses anonymous and wrong-password clients and delivers only what a device may publish', async () => {
    await expect(connect({ clientId: 'anon' })).rejects.toThrow();
    await expect(connect({ username: 'rd-a', password: 'guess' })).rejects.toThrow();
    const received: string[] = [];
    const gateway = await connect({ username: 'gw-s9', password: secrets['gw-s9'] });
    gateway.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
    await gateway.subscribeAsync('wh/s9/#', { qos: 1 });
    const spoofer = await connect({ username: 'rd-a', password: secrets['rd-a'] });
    await spoofer.publishAsync('wh/s9/rfid/rd-b/events', 'spoofed', { qos: 1 });
    await spoofer.publishAsync('wh/s9/gateway/status', 'spoofed', { qos: 1, retain: true });
    await spoofer.publishAsync('wh/s9/rfid/rd-a/events', 'own', { qos: 1 });
    await vi.waitFor(() => expect(received).toContain('wh/s9/rfid/rd-a/events own'));
    expect(received).toEqual(['wh/s9/rfid/rd-a/events own']);
  });
});
