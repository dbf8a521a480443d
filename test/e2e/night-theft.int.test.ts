import { readFile } from 'node:fs/promises';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions } from '../../protocol/index.ts';
import { startSimulatedWarehouse, type GroundTruthEvent, type SimulatedWarehouse } from '../../firmware-sim/index.ts';
import { gatewayTimingAtSpeed } from '../../gateway/site-speed.ts';
import type { LotListItem } from '../../gateway/api/lot-list.ts';
import type { LotStateView } from '../../gateway/fusion/lot-view.ts';
import type { CaseView } from '../../cloud/alerts/case-views.ts';
import { seedDemoCollateral } from '../../demo/demo-collateral.ts';
import { DEMO_TENANTS, seedIdentity } from '../../demo/seed-identity.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { openSse, type SseStream } from '../support/sse-client.ts';

// The simulated warehouse runs 120 times faster than real time, so the gateway's cycles,
// grace periods, dwell and silences shrink by the same factor, and its night is the
// simulated warehouse's night, whatever the hour the test runs (as in the demo).
const SPEED = 120;
const PASSWORD = 'e2e-password';

/**
 * The whole chain on real connections: firmware-sim readers publish over MQTT, the
 * gateway smooths, reconciles against the manifest it pulled from the cloud and fuses
 * the evidence, the cloud verifies the signed events and opens a case, and the lender
 * sees it on the live stream.
 */
describe('night theft: simulated readers → gateway → cloud case on the lender’s live stream', () => {
  let stack: TestStack;
  let warehouse: SimulatedWarehouse;
  let live: SseStream;
  let observer: mqtt.MqttClient;
  const retained = new Map<string, LotStateView | null>();
  const removals: GroundTruthEvent[] = [];

  beforeAll(async () => {
    const yaml = await readFile(new URL('../../config/site-s1.yaml', import.meta.url), 'utf8');
    const timing = gatewayTimingAtSpeed(SPEED);
    stack = await startTestStack((site) => yaml.replace(/^site: s1$/m, `site: ${site}`), {
      gatewayConfig: timing.config,
      // The warehouse starts after the gateway; until it does, no read arrives to be judged.
      gateway: { ...timing.deps, manifestPollMs: 100, siteTime: (ms) => (warehouse === undefined ? ms : warehouse.siteTimeAt(ms)) },
    });
    const site = stack.gateway.site;
    await seedIdentity(stack.db, { site, gatewayId: stack.gatewayId, gatewayToken: stack.gatewayToken, password: PASSWORD });

    observer = await mqtt.connectAsync(stack.broker.url, { ...stack.mqttLogin('observer'), protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const lotId = topic.split('/').at(-1) ?? '';
      retained.set(lotId, payload.length === 0 ? null : (JSON.parse(payload.toString()) as LotStateView));
    });
    await observer.subscribeAsync(subscriptions.gatewayLots(site.site), { qos: 1 });

    warehouse = await startSimulatedWarehouse({
      mqttUrl: stack.broker.url,
      siteConfig: site,
      scenario: 'night-theft',
      seed: 7,
      speed: SPEED,
      devices: { camera: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false } },
      ...stack.mqttPasswords,
    });
    warehouse.onGroundTruth((event) => {
      if (event.kind === 'removal') removals.push(event);
    });
    await seedDemoCollateral(stack.db, { site: site.site, operatorTenantId: DEMO_TENANTS.operator.id, bankTenantId: DEMO_TENANTS.bank.id, lots: warehouse.lots, bus: stack.bus });

    const login = await fetch(`${stack.cloud.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lender@bank.demo', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    live = await openSse(`${stack.cloud.url}/api/v1/live`, { authorization: `Bearer ${token}` });
    await live.next((e) => e.event === 'ready');
  }, 60_000);

  afterAll(async () => {
    live?.close();
    await observer?.endAsync();
    await warehouse?.stop();
    await stack?.close();
  });

  it('opens a case for the stolen lot, publishes its state and keeps every other lot verified', async () => {
    // The gateway guards what the cloud pledged: every simulated lot, verified at first.
    await expect.poll(() => [...retained.keys()].sort(), { timeout: 10_000 }).toEqual(warehouse.lots.map((l) => l.lotId).sort());

    const opened = await live.next((e) => e.event === 'case.opened' && (e.data as CaseView).lotId !== null, 90_000);
    const theCase = opened.data as CaseView;
    expect(removals.length).toBeGreaterThan(0);
    const stolenLot = removals[0]?.lotId;
    expect(theCase).toMatchObject({ site: stack.site, lotId: stolenLot, status: 'open' });
    expect(['tags.missing', 'lot.state']).toContain(theCase.kind);
    expect(['warning', 'critical']).toContain(theCase.severity);

    // The retained state says why, citing signed events the cloud holds.
    await expect.poll(() => retained.get(stolenLot ?? '')?.state, { timeout: 15_000 }).toMatch(/^(suspect|breached)$/);
    const view = retained.get(stolenLot ?? '') as LotStateView;
    expect(view.evidence.rfid.clear).toBe(false);
    expect(view.cites.length).toBeGreaterThan(0);
    await stack.gateway.flush();
    const events = await fetch(`${stack.cloud.url}/api/v1/events?gatewayId=${stack.gatewayId}&limit=1000`, { headers: stack.adminAuth });
    const stored = new Set(((await events.json()) as { items: { event: { id: string } }[] }).items.map((i) => i.event.id));
    for (const id of view.cites) expect(stored).toContain(id);

    // The stolen tags are reported missing, critical because they left in the warehouse's
    // night (its simulated clock, not the hour this test runs at), and the cloud holds it.
    const missing = async () => {
      await stack.gateway.flush();
      const res = await fetch(`${stack.cloud.url}/api/v1/events?gatewayId=${stack.gatewayId}&type=tags.missing&limit=1000`, { headers: stack.adminAuth });
      return ((await res.json()) as { items: { event: { lotId?: string; severity: string } }[] }).items.map((i) => i.event).filter((e) => e.lotId === stolenLot);
    };
    await expect.poll(async () => (await missing()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(new Set((await missing()).map((e) => e.severity))).toEqual(new Set(['critical']));

    // The local API shows the same state with the live count.
    const lots = (await (await fetch(`${stack.gateway.apiUrl}/api/v1/lots`)).json()) as { items: LotListItem[] };
    const local = lots.items.find((l) => l.lotId === stolenLot);
    expect(local?.state).toBe(view.state);
    expect(local?.rfid?.expected).toBe(warehouse.lots.find((l) => l.lotId === stolenLot)?.epcs.length);

    // No false alarm: nothing against the lots nobody touched.
    for (const lot of warehouse.lots.filter((l) => l.lotId !== stolenLot)) expect(retained.get(lot.lotId)?.state).toBe('verified');
    const lotCases = live.received.filter((e) => e.event === 'case.opened').map((e) => (e.data as CaseView).lotId);
    expect(lotCases.filter((lotId) => lotId !== null && lotId !== stolenLot)).toEqual([]);
  }, 120_000);
});
