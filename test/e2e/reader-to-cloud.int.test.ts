import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicKey, topics, verifyChain, type VerificationEvent } from '../../protocol/index.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const siteYaml = (site: string) => `
site: ${site}
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1, 2] }]
`;

async function cloudEvents(stack: TestStack): Promise<VerificationEvent[]> {
  const res = await fetch(`${stack.cloud.url}/api/v1/events?gatewayId=${stack.gatewayId}&limit=1000`, { headers: stack.adminAuth });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { event: VerificationEvent }[] };
  return body.items.map((i) => i.event).reverse();
}

describe('a reader message travels device → MQTT → gateway → cloud', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(siteYaml);
  });
  afterAll(() => stack.close());

  it('stores a signed device.online event the cloud verified, and the chain survives a gateway restart', async () => {
    const reader = await mqtt.connectAsync(stack.broker.url, { ...stack.mqttLogin('rd-a'), protocolVersion: 4 });
    const impinj = {
      timestamp: '2026-01-01T00:00:00.000Z',
      hostname: 'impinj-14-1b-a1',
      eventType: 'tagInventory',
      tagInventoryEvent: { epc: 'MHQle/cZTkAAABqF', antennaPort: 1, peakRssiCdbm: -5800 },
    };
    await reader.publishAsync(topics.rfidEvents(stack.site, 'rd-a'), JSON.stringify(impinj), { qos: 1 });
    await reader.endAsync();

    // The gateway acknowledges the reader's first message as device.online; wait for
    // the pipeline to make it durable and the sender to deliver it.
    await expect.poll(async () => (await stack.gateway.flush(), (await cloudEvents(stack)).map((e) => e.type)), { timeout: 10_000 })
      .toContain('device.online');
    const [started, online] = await cloudEvents(stack);
    expect(started).toMatchObject({ type: 'gateway.started', seq: 1 });
    expect(online).toMatchObject({ type: 'device.online', seq: 2, evidence: { device: `${stack.site}/rfid/rd-a`, reason: 'activity' } });

    await stack.restartGateway();
    await stack.gateway.flush();
    const after = await cloudEvents(stack);
    expect(after.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(after[2]).toMatchObject({ type: 'gateway.started', evidence: { resumedAtSeq: 2 } });
    const key = await (await fetch(`${stack.cloud.url}/api/v1/gateways/${stack.gatewayId}/key`)).json() as { publicKey: string };
    expect(verifyChain(after, loadPublicKey(key.publicKey))).toMatchObject({ ok: true, count: 3 });
  });
});
