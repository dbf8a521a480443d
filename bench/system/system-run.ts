import { readFile } from 'node:fs/promises';
import type { DeviceOverrides } from '../../firmware-sim/index.ts';
import { createSimulation, startSimulatedWarehouse, type SimulatedWarehouse } from '../../firmware-sim/index.ts';
import { gatewayTimingAtSpeed } from '../../gateway/site-speed.ts';
import { seedDemoCollateral } from '../../demo/demo-collateral.ts';
import { DEMO_TENANTS, seedIdentity } from '../../demo/seed-identity.ts';
import { startTestStack, type TestStack } from '../../test/support/test-stack.ts';

const PASSWORD = 'system-run-password';

export interface SystemRunOptions {
  scenario: string;
  seed: number;
  /** Simulated ms per real ms; the gateway's timings shrink by the same factor. */
  speed: number;
  /** Device options, or a function of the channels the gateway's stages take (so cameras run only where a stage watches them). */
  devices?: DeviceOverrides | ((channels: ReadonlySet<string>) => DeviceOverrides);
  durationMs?: number;
  runPastEnd?: boolean;
  /** Site YAML (its `site:` line is replaced by a unique id); the demo site by default. */
  siteYaml?: string;
  /** Told what is being started (a progress line). */
  onStep?: (step: string) => void;
}

export interface SystemRun {
  stack: TestStack;
  warehouse: SimulatedWarehouse;
  /** Bearer headers of the demo's lender and risk officer. */
  lender: { authorization: string };
  risk: { authorization: string };
  operator: { authorization: string };
  /** Channels some gateway stage takes (`camera.frame` once a video stage exists, …). */
  channels: ReadonlySet<string>;
  facilityId: string;
  stop(): Promise<void>;
}

async function login(cloudUrl: string, email: string): Promise<{ authorization: string }> {
  const res = await fetch(`${cloudUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

/**
 * The whole system on real connections, as `npm start` runs it, in this process:
 * broker (embedded, or MQTT_URL), cloud (PGlite, or a fresh schema on DATABASE_URL),
 * the site's gateway, the demo's tenants and collateral, and a simulated warehouse
 * playing one scenario at `speed` times real time, with the gateway's clocks scaled
 * to it (as the night-theft end-to-end test does).
 */
export async function startSystemRun(options: SystemRunOptions): Promise<SystemRun> {
  const yaml = options.siteYaml ?? (await readFile(new URL('../../config/site-s1.yaml', import.meta.url), 'utf8'));
  const timing = gatewayTimingAtSpeed(options.speed);
  options.onStep?.('starting broker, cloud and gateway');
  let warehouse: SimulatedWarehouse | undefined;
  const stack = await startTestStack((site) => yaml.replace(/^site: .*$/m, `site: ${site}`), {
    gatewayConfig: timing.config,
    gateway: { ...timing.deps, manifestPollMs: Math.max(50, Math.round(60_000 / options.speed)), siteTime: (ms) => (warehouse === undefined ? ms : warehouse.siteTimeAt(ms)) },
  });
  try {
    const site = stack.gateway.site;
    await seedIdentity(stack.db, { site, gatewayId: stack.gatewayId, gatewayToken: stack.gatewayToken, password: PASSWORD });
    const channels = new Set(stack.gateway.pipeline.stages.flatMap((s) => [...s.channels]));
    const devices = typeof options.devices === 'function' ? options.devices(channels) : options.devices;
    // The collateral first, from the same seeded population the warehouse will stock, so
    // seeding the database does not stall a warehouse already running at high speed.
    const lots = createSimulation({ siteConfig: site, scenario: options.scenario, seed: options.seed }).lots;
    options.onStep?.('seeding collateral');
    const { facilityId } = await seedDemoCollateral(stack.db, { site: site.site, operatorTenantId: DEMO_TENANTS.operator.id, bankTenantId: DEMO_TENANTS.bank.id, lots, bus: stack.bus });
    const auth = { lender: await login(stack.cloud.url, 'lender@bank.demo'), risk: await login(stack.cloud.url, 'risk@bank.demo'), operator: await login(stack.cloud.url, 'operator@warehouse.demo') };
    options.onStep?.('starting the simulated warehouse');
    warehouse = await startSimulatedWarehouse({
      mqttUrl: stack.broker.url,
      // The embedded broker authenticates every device (issue #17): the stack provisioned their passwords.
      ...stack.mqttPasswords,
      siteConfig: site,
      scenario: options.scenario,
      seed: options.seed,
      speed: options.speed,
      ...(devices ? { devices } : {}),
      ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
      ...(options.runPastEnd ? { runPastEnd: true } : {}),
    });
    const run = warehouse;
    return {
      stack,
      warehouse: run,
      ...auth,
      channels,
      facilityId,
      async stop() {
        await run.stop();
        await stack.close();
      },
    };
  } catch (error) {
    await warehouse?.stop();
    await stack.close();
    throw error;
  }
}
