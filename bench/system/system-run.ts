import { readFile } from 'node:fs/promises';
import type { DeviceOverrides } from '../../firmware-sim/index.ts';
import { startSimulatedWarehouse, type SimulatedWarehouse } from '../../firmware-sim/index.ts';
import { gatewayTimingAtSpeed } from '../../gateway/site-speed.ts';
import { seedDemoCollateral } from '../../cloud/risk/demo-collateral.ts';
import { DEMO_TENANTS, seedIdentity } from '../../demo/seed-identity.ts';
import { startTestStack, type TestStack } from '../../test/support/test-stack.ts';

const PASSWORD = 'system-run-password';

export interface SystemRunOptions {
  scenario: string;
  seed: number;
  /** Simulated ms per real ms; the gateway's timings shrink by the same factor. */
  speed: number;
  devices?: DeviceOverrides;
  runPastEnd?: boolean;
  /** Site YAML (its `site:` line is replaced by a unique id); the demo site by default. */
  siteYaml?: string;
}

export interface SystemRun {
  stack: TestStack;
  warehouse: SimulatedWarehouse;
  /** Bearer headers of the demo's lender and risk officer. */
  lender: { authorization: string };
  risk: { authorization: string };
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
  let warehouse: SimulatedWarehouse | undefined;
  const stack = await startTestStack((site) => yaml.replace(/^site: .*$/m, `site: ${site}`), {
    gatewayConfig: timing.config,
    gateway: { ...timing.deps, manifestPollMs: Math.max(50, Math.round(60_000 / options.speed)), siteTime: (ms) => (warehouse === undefined ? ms : warehouse.siteTimeAt(ms)) },
  });
  try {
    const site = stack.gateway.site;
    await seedIdentity(stack.db, { site, gatewayId: stack.gatewayId, gatewayToken: stack.gatewayToken, password: PASSWORD });
    warehouse = await startSimulatedWarehouse({
      mqttUrl: stack.broker.url,
      siteConfig: site,
      scenario: options.scenario,
      seed: options.seed,
      speed: options.speed,
      ...(options.devices ? { devices: options.devices } : {}),
      ...(options.runPastEnd ? { runPastEnd: true } : {}),
    });
    const { facilityId } = await seedDemoCollateral(stack.db, { site: site.site, operatorTenantId: DEMO_TENANTS.operator.id, bankTenantId: DEMO_TENANTS.bank.id, lots: warehouse.lots, bus: stack.bus });
    const run = warehouse;
    return {
      stack,
      warehouse: run,
      lender: await login(stack.cloud.url, 'lender@bank.demo'),
      risk: await login(stack.cloud.url, 'risk@bank.demo'),
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
