import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicKey, topics, verifyChain, type VerificationEvent } from '../../protocol/index.ts';
import { openSse, type SseStream } from '../support/sse-client.ts';
import { startSystemStack, type SystemStack } from './support/system-stack.ts';
import { until } from './support/processes.ts';

// Two cloud processes on one PostgreSQL behind a round-robin balancer, with Mosquitto and
// a gateway delivering through the balancer (issue 20). Needs PostgreSQL:
// SYSTEM_DATABASE_URL names the server (`.ci/run` gives it); without it the suite says so and skips.
const DATABASE_URL = process.env.SYSTEM_DATABASE_URL;
if (!DATABASE_URL) console.log('replicas.system.test.ts: skipped, set SYSTEM_DATABASE_URL to a PostgreSQL server to run two cloud replicas');

const DEVICES = Array.from({ length: 8 }, (_, i) => `rp-${String(i + 1).padStart(2, '0')}`);
const siteYaml = (site: string) => `site: ${site}
zones:
  - id: bay-1
    kind: storage
    sensors: [${DEVICES.join(', ')}]
`;

describe.skipIf(!DATABASE_URL)('two cloud replicas on one PostgreSQL behind a balancer', () => {
  let stack: SystemStack;
  let devices: MqttClient;
  const streams: SseStream[] = [];
  const changes = new Map<string, number>();
  let round = 0;

  beforeAll(async () => {
    stack = await startSystemStack(siteYaml, { databaseUrl: DATABASE_URL, cloudReplicas: 2 });
    await stack.startBroker();
    await stack.startCloud(0);
    await stack.startCloud(1);
    await stack.startGateway();
    devices = await mqtt.connectAsync(stack.mqttUrl, { clientId: `devices-${stack.site}`, clean: false, reconnectPeriod: 200 });
  }, 300_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await devices?.endAsync(true);
    await stack?.close();
  });

  async function traffic(flips: number): Promise<void> {
    for (let i = 0; i < flips; i++) {
      round += 1;
      for (const device of DEVICES) {
        const state = (round + DEVICES.indexOf(device)) % 2 === 0 ? 'online' : 'offline';
        changes.set(device, (changes.get(device) ?? 0) + 1);
        await devices.publishAsync(topics.deviceStatus(stack.site, device), JSON.stringify({ state, ts: new Date().toISOString() }), { qos: 1, retain: true });
      }
    }
  }

  function perDevice(events: VerificationEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) {
      if (e.type !== 'device.online' && e.type !== 'device.offline') continue;
      const device = String((e.evidence as { device?: unknown }).device ?? '').split('/').at(-1) ?? '';
      counts[device] = (counts[device] ?? 0) + 1;
    }
    return counts;
  }

  it('streams a case opened on either replica to the viewers of both, with one id', async () => {
    const token = await stack.login('operator@warehouse.demo');
    const [onA, onB] = await Promise.all(stack.cloudUrls.map((url) => openSse(`${url}/api/v1/live`, { authorization: `Bearer ${token}` })));
    if (onA === undefined || onB === undefined) throw new Error('two replicas expected');
    streams.push(onA, onB);
    await onA.next((e) => e.event === 'ready');
    await onB.next((e) => e.event === 'ready');

    await traffic(1);
    const isDeviceCase = (e: { event?: string; data: unknown }) => e.event === 'case.opened' && String((e.data as { kind?: unknown }).kind).startsWith('device.');
    const fromA = await onA.next(isDeviceCase);
    const fromB = await onB.next((e) => isDeviceCase(e) && e.id === fromA.id);
    expect((fromB.data as { id: string }).id).toBe((fromA.data as { id: string }).id);
  });

  it('kill -9 of one replica during traffic loses and duplicates nothing; the chain verifies', async () => {
    const sending = traffic(4);
    await stack.clouds[0]?.kill();
    await sending;
    await traffic(1);
    const expected = Object.fromEntries(changes);
    await until(
      'every status change to reach the cloud through the surviving replica',
      async () => {
        await stack.drained();
        const counts = perDevice(await stack.cloudEvents());
        return DEVICES.every((d) => counts[d] === expected[d]) ? true : undefined;
      },
      180_000,
      [stack.gateway, ...stack.clouds],
    ).catch(() => undefined);
    await stack.startCloud(0);
    const events = await stack.cloudEvents();
    expect(perDevice(events)).toEqual(expected);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const key = (await (await fetch(`${stack.cloudUrl}/api/v1/gateways/${stack.gatewayId}/key`)).json()) as { publicKey: string };
    expect(verifyChain(events, loadPublicKey(key.publicKey))).toMatchObject({ ok: true, count: events.length });
  });
});
