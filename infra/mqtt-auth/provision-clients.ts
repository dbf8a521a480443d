import type { SiteConfig } from '../../protocol/site/site-config.ts';
import type { MqttClientEntry } from '../../protocol/site/mqtt-clients.ts';
import { hashMqttPassword, newMqttPassword } from './mqtt-password.ts';

export interface ProvisionedClients {
  /** What the broker checks (the site YAML's `mqttClients`). */
  clients: MqttClientEntry[];
  /** What each client logs in with, by username: handed to the devices and the gateway, never stored with the hashes. */
  passwords: Map<string, string>;
}

/** Every device the site YAML names, with the topic kind it publishes under. */
export function siteDevices(site: SiteConfig): Array<{ id: string; kind: NonNullable<MqttClientEntry['kind']> }> {
  const devices = new Map<string, NonNullable<MqttClientEntry['kind']>>();
  for (const zone of site.zones) {
    for (const { reader } of zone.readers) devices.set(reader, 'rfid');
    for (const { camera } of zone.cameras) devices.set(camera, 'camera');
    for (const microphone of zone.microphones) devices.set(microphone, 'audio');
    for (const sensor of zone.sensors) devices.set(sensor, 'sensor');
  }
  return [...devices].map(([id, kind]) => ({ id, kind }));
}

/** A fresh random password for the gateway and for every device of the site. */
export async function provisionClients(site: SiteConfig, gatewayId: string): Promise<ProvisionedClients> {
  const passwords = new Map<string, string>();
  const clients: MqttClientEntry[] = [];
  const add = async (entry: Omit<MqttClientEntry, 'passwordHash'>) => {
    const password = newMqttPassword();
    passwords.set(entry.username, password);
    clients.push({ ...entry, passwordHash: await hashMqttPassword(password) });
  };
  await add({ username: gatewayId, role: 'gateway' });
  for (const device of siteDevices(site)) await add({ username: device.id, role: 'device', kind: device.kind });
  return { clients, passwords };
}
