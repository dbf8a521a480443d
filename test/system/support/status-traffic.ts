import mqtt, { type MqttClient } from 'mqtt';
import { topics, type VerificationEvent } from '../../../protocol/index.ts';

/** A site of status-reporting devices in one storage zone: what the system tests drive. */
export function statusSiteYaml(devices: readonly string[]): (site: string) => string {
  return (site) => `site: ${site}
zones:
  - id: bay-1
    kind: storage
    sensors: [${devices.join(', ')}]
`;
}

export interface StatusTraffic {
  /** What each device said last: the state the gateway must end up knowing. */
  readonly last: ReadonlyMap<string, 'online' | 'offline'>;
  /** How many times each device changed its status: one device event each, none lost. */
  readonly changes: ReadonlyMap<string, number>;
  /** Every device flips its retained status `flips` times, at QoS 1. */
  flip(flips: number): Promise<void>;
  close(): Promise<void>;
}

/** The devices' side: one MQTT session of its own that queues while the broker is away. */
export async function startStatusTraffic(mqttUrl: string, site: string, devices: readonly string[]): Promise<StatusTraffic> {
  const client: MqttClient = await mqtt.connectAsync(mqttUrl, { clientId: `devices-${site}`, clean: false, reconnectPeriod: 200 });
  const last = new Map<string, 'online' | 'offline'>();
  const changes = new Map<string, number>();
  let round = 0;
  return {
    last,
    changes,
    async flip(flips) {
      for (let i = 0; i < flips; i++) {
        round += 1;
        for (const device of devices) {
          const state = (round + devices.indexOf(device)) % 2 === 0 ? 'online' : 'offline';
          last.set(device, state);
          changes.set(device, (changes.get(device) ?? 0) + 1);
          await client.publishAsync(topics.deviceStatus(site, device), JSON.stringify({ state, ts: new Date().toISOString() }), { qos: 1, retain: true });
        }
      }
    },
    close: () => client.endAsync(true),
  };
}

/** Device events per device in what the cloud stored. */
export function deviceEventsPerDevice(events: readonly VerificationEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (e.type !== 'device.online' && e.type !== 'device.offline') continue;
    const device = String((e.evidence as { device?: unknown }).device ?? '').split('/').at(-1) ?? '';
    counts[device] = (counts[device] ?? 0) + 1;
  }
  return counts;
}
