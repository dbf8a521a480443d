import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from './demo-stack.ts';

const DAY_MS = 86_400_000;
// The demo's default is 60x: a simulated day in 24 minutes, too long for `npm test`. At
// 1440x it takes a minute when the machine keeps up (the warehouse's clock says how far
// it got, and the test waits for the whole day). Cameras and microphones are off: frames
// and PCM at 1440x are more than a shared test machine renders; readers, scales and
// probes play the day as the demo does.
const SPEED = 1440;

/**
 * The demo's `quiet-day` for a whole simulated day: ordinary work, doors, cycle counts,
 * one authorised pallet move. Nothing in it is an incident, so the cloud opens no case.
 */
describe('the demo’s quiet day', () => {
  let demo: DemoStack;

  beforeAll(async () => {
    demo = await startDemoStack({ scenario: 'quiet-day', speed: SPEED, runPastEnd: false, devices: { camera: { enabled: false }, audio: { enabled: false } } });
  // Migrations, seeding and the gateway's models take minutes on a loaded machine.
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('opens no case in a simulated day', async () => {
    await demo.warehouse.done;
    expect(demo.warehouse.simNow() - demo.warehouse.scenario.startMs).toBeGreaterThanOrEqual(DAY_MS);
    // What the day's end caused reaches the cloud before it is asked.
    await demo.stack.gateway.flush();
    const events = await fetch(`${demo.stack.cloud.url}/api/v1/events?gatewayId=${demo.stack.gatewayId}&limit=10`, { headers: demo.stack.adminAuth });
    expect(((await events.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const cases = await fetch(`${demo.stack.cloud.url}/api/v1/alerts?limit=100`, { headers: demo.stack.adminAuth });
    const items = ((await cases.json()) as { items: Array<{ reference: string; kind: string; title: string }> }).items;
    expect(items.map((c) => `${c.reference} ${c.kind}: ${c.title}`)).toEqual([]);
  }, 600_000);
});
