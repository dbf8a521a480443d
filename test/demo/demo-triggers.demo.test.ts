import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi, type DemoApi } from '../../demo/demo-api.ts';
import { casesSince, type CaseSummary } from '../../demo/incident-watch.ts';
import { runDemoCli } from './demo-process.ts';
import { DEMO_PASSWORD, startDemoStack, type DemoStack } from './demo-stack.ts';

const ADMIN = 'admin@platform.demo';
// Twice the demo's default: an incident's simulated minutes pass in seconds, at a speed
// the gateway's scaled cycles hold on a shared machine (test/e2e/night-theft plays at 120x).
const SPEED = 120;

/**
 * The demo as `npm start` composes it, playing a quiet day, then incidents staged on its
 * live warehouse as the README says: `npm run demo -- trigger <name>` (its own process)
 * and the admin API behind it. Each must end in what a viewer is told to watch for.
 */
describe('npm run demo -- trigger: incidents staged on the running demo', () => {
  let demo: DemoStack & { url: string };
  let api: DemoApi;

  beforeAll(async () => {
    // Microphones off: no incident here needs them, and PCM at 120x only loads the machine.
    const started = await startDemoStack({ scenario: 'quiet-day', speed: SPEED, runPastEnd: true, devices: { audio: { enabled: false } } });
    demo = { ...started, url: started.stack.cloud.url };
    api = createDemoApi(demo.url, DEMO_PASSWORD);
  // Migrations, seeding and the gateway's models take minutes on a loaded machine.
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
  });

  const cases = async (since: number): Promise<CaseSummary[]> => casesSince(((await api.call(ADMIN, 'GET', '/api/v1/alerts?limit=200')).json.items ?? []) as CaseSummary[], since);

  it('lists the incidents to admins only', async () => {
    const listed = await api.call(ADMIN, 'GET', '/api/v1/demo/scenarios');
    expect(listed.status).toBe(200);
    expect((listed.json.items as Array<{ name: string }>).map((s) => s.name)).toEqual(expect.arrayContaining(['night-theft', 'camera-covered', 'price-crash', 'double-pledge']));
    expect((await api.call('lender@bank.demo', 'POST', '/api/v1/demo/scenarios/night-theft')).status).toBe(403);
    expect((await api.call(ADMIN, 'POST', '/api/v1/demo/scenarios/no-such-thing')).status).toBe(404);
    const docs = (await (await fetch(`${demo.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toContain('/api/v1/demo/scenarios/{name}');
  }, 90_000);

  it('each bank sees its own facility only', async () => {
    const first = (await api.call('lender@bank.demo', 'GET', '/api/v1/facilities')).json.items as Array<{ id: string }>;
    const second = (await api.call('lender@north.demo', 'GET', '/api/v1/facilities')).json.items as Array<{ id: string }>;
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0]?.id).not.toBe(second[0]?.id);
    expect((await api.call('lender@north.demo', 'GET', `/api/v1/facilities/${first[0]?.id}`)).status).toBe(404);
  }, 90_000);

  it('double-pledge: the second presentation of pledged goods is refused with 409', async () => {
    const cli = await runDemoCli(demo.url, ['trigger', 'double-pledge']);
    expect(cli.stdout).toMatch(/HTTP 409/);
    expect(cli.code).toBe(0);
  }, 60_000);

  // Before the theft: a facility frozen by a suspect lot refuses the drawing that makes the crash bite.
  it('price-crash: the price path goes through the cloud and ends in a margin call', async () => {
    const since = Date.now();
    expect((await api.call(ADMIN, 'POST', '/api/v1/demo/scenarios/price-crash')).status).toBe(202);
    const calls = async () => ((await api.call(ADMIN, 'GET', '/api/v1/margin-calls')).json.items as Array<{ openedAt: string }>).filter((m) => Date.parse(m.openedAt) >= since);
    await expect.poll(async () => (await calls()).length, { timeout: 240_000, interval: 2_000 }).toBeGreaterThan(0);
  }, 270_000);
  // Before the theft, so that the covered camera's bay is not already in a lot's case.
  it('camera-covered: a tamper case follows', async () => {
    const since = Date.now();
    expect((await api.call(ADMIN, 'POST', '/api/v1/demo/scenarios/camera-covered')).status).toBe(202);
    await expect.poll(async () => (await cases(since)).map((c) => c.kind), { timeout: 120_000, interval: 2_000 }).toContain('camera.tamper');
  }, 150_000);

  it('night-theft: the CLI stages it and prints the case the theft opened', async () => {
    const since = Date.now();
    const cli = await runDemoCli(demo.url, ['trigger', 'night-theft', '--timeout', '150']);
    expect(cli.stderr).not.toMatch(/no case/);
    expect(cli.stdout).toMatch(/^case C-\d+ (warning|critical) (tags\.missing|lot\.state) lot LOT-/m);
    expect(cli.code).toBe(0);
    expect((await cases(since)).some((c) => c.lotId !== null)).toBe(true);
  }, 180_000);

});
