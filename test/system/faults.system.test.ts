import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicKey, verifyChain, type VerificationEvent } from '../../protocol/index.ts';
import { startSystemStack, type SystemStack } from './support/system-stack.ts';
import { until } from './support/processes.ts';
import { deviceEventsPerDevice, startStatusTraffic, statusSiteYaml, type StatusTraffic } from './support/status-traffic.ts';

// Real processes (Mosquitto, cloud, gateway) and real faults. Each phase drives device
// traffic, injects one fault, and then checks the same three things: nothing the gateway
// accepted is lost (every device's last status reached it, and every event it sealed
// reached the cloud), nothing is duplicated (one event per seq), and the chain verifies.

const DEVICES = Array.from({ length: 12 }, (_, i) => `sn-${String(i + 1).padStart(2, '0')}`);

describe('fault matrix: real processes, real faults', () => {
  let stack: SystemStack;
  let devices: StatusTraffic;

  beforeAll(async () => {
    stack = await startSystemStack(statusSiteYaml(DEVICES));
    await stack.startBroker();
    await stack.startCloud();
    await stack.startGateway();
    devices = await startStatusTraffic(stack.mqttUrl, stack.site, DEVICES);
  }, 240_000);

  afterAll(async () => {
    await devices?.close();
    await stack?.close();
  });

  const traffic = (flips: number) => devices.flip(flips);
  const perDevice = deviceEventsPerDevice;

  async function invariantsHold(): Promise<VerificationEvent[]> {
    // One event per change of status: a message lost anywhere (broker, session, gateway)
    // is a change missing here. Queued messages may arrive after the retained latest
    // status, so the wait is for the counts, not for the last state.
    const expected = Object.fromEntries(devices.changes);
    await until(
      'every status change to reach the cloud as an event',
      async () => {
        await stack.drained();
        const counts = perDevice(await stack.cloudEvents());
        return DEVICES.every((d) => counts[d] === expected[d]) ? true : undefined;
      },
      120_000,
      [stack.gateway, stack.cloud, stack.broker],
    ).catch(() => undefined);
    const events = await stack.cloudEvents();
    expect(perDevice(events)).toEqual(expected);
    const seen = new Map((await stack.devices()).map((d) => [d.deviceId, d.state]));
    expect(DEVICES.map((d) => seen.get(d))).toEqual(DEVICES.map((d) => devices.last.get(d)));
    // Nothing duplicated, nothing missing between: seq 1..n once each; the chain verifies.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const key = (await (await fetch(`${stack.cloudUrl}/api/v1/gateways/${stack.gatewayId}/key`)).json()) as { publicKey: string };
    expect(verifyChain(events, loadPublicKey(key.publicKey))).toMatchObject({ ok: true, count: events.length });
    return events;
  }

  it('baseline: traffic with no fault', async () => {
    await traffic(2);
    const events = await invariantsHold();
    expect(events.filter((e) => e.type === 'device.offline').length).toBeGreaterThan(0);
  });

  it('gateway kill -9 during traffic: the broker keeps its session, the outbox its events', async () => {
    const sending = traffic(6);
    await stack.gateway.kill();
    await sending;
    await traffic(1);
    await stack.startGateway();
    await invariantsHold();
  });

  it('a second gateway on the same data directory refuses to start and names the first', async () => {
    const second = stack.gatewayProcess({ GATEWAY_PORT: '0' });
    second.start();
    expect(await second.exited()).toBe(1);
    expect(second.output).toContain(`GATEWAY_DATA_DIR`);
    expect(second.output).toContain(`is in use by process ${stack.gateway.pid}`);
    await traffic(1);
    await invariantsHold();
  });

  it('broker restart during traffic: devices and gateway reconnect to their kept sessions', async () => {
    const sending = traffic(4);
    await stack.broker.stop();
    await stack.startBroker();
    await sending;
    await traffic(1);
    await invariantsHold();
  });

  it('cloud kill -9 during traffic: the gateway keeps its events and delivers them once the cloud is back', async () => {
    const sending = traffic(4);
    await stack.cloud.kill();
    await sending;
    await traffic(2);
    await stack.startCloud();
    await invariantsHold();
  });
});
