import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicKey, verifyChain } from '../../protocol/index.ts';
import { openSse, type SseStream } from '../support/sse-client.ts';
import { startSystemStack, type SystemStack } from './support/system-stack.ts';
import { until } from './support/processes.ts';
import { deviceEventsPerDevice, startStatusTraffic, statusSiteYaml, type StatusTraffic } from './support/status-traffic.ts';

// Two cloud processes on one PostgreSQL behind a round-robin balancer, with Mosquitto and
// a gateway delivering through the balancer (issue 20). Needs PostgreSQL:
// SYSTEM_DATABASE_URL names the server (`.ci/run` gives it); without it the suite says so and skips.
const DATABASE_URL = process.env.SYSTEM_DATABASE_URL;
if (!DATABASE_URL) console.log('replicas.system.test.ts: skipped, set SYSTEM_DATABASE_URL to a PostgreSQL server to run two cloud replicas');

const DEVICES = Array.from({ length: 8 }, (_, i) => `rp-${String(i + 1).padStart(2, '0')}`);

describe.skipIf(!DATABASE_URL)('two cloud replicas on one PostgreSQL behind a balancer', () => {
  let stack: SystemStack;
  let devices: StatusTraffic;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    stack = await startSystemStack(statusSiteYaml(DEVICES), { databaseUrl: DATABASE_URL, cloudReplicas: 2 });
    await stack.startBroker();
    await stack.startCloud(0);
    await stack.startCloud(1);
    await stack.startGateway();
    devices = await startStatusTraffic(stack.mqttUrl, stack.site, DEVICES);
  }, 300_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await devices?.close();
    await stack?.close();
  });

  const traffic = (flips: number) => devices.flip(flips);
  const perDevice = deviceEventsPerDevice;

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
    const expected = Object.fromEntries(devices.changes);
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
