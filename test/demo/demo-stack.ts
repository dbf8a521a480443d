import { readFile } from 'node:fs/promises';
import { createLogger } from '../../infra/logger.ts';
import { startSimulatedWarehouse, type DeviceOverrides, type SimulatedWarehouse } from '../../firmware-sim/index.ts';
import { gatewayTimingAtSpeed } from '../../gateway/site-speed.ts';
import { seedDemoCollateral } from '../../demo/demo-collateral.ts';
import { DEMO_TENANTS, seedIdentity } from '../../demo/seed-identity.ts';
import { seedSecondLender, splitLotsBetweenLenders } from '../../demo/second-lender.ts';
import { createDemoScenarioTrigger } from '../../demo/scenario-trigger.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

export const DEMO_PASSWORD = 'demo-password';

export interface DemoStack {
  stack: TestStack;
  warehouse: SimulatedWarehouse;
  close(): Promise<void>;
}

/**
 * What `npm start` composes (demo/main.ts), on the test stack's isolated broker, database
 * and ports: the demo's people, two banks lending against the simulated lots, the
 * warehouse playing `scenario` at `speed` with the gateway's timings scaled to it, and
 * the incidents an admin can stage on it.
 */
export async function startDemoStack(o: { scenario: string; speed: number; devices: DeviceOverrides; runPastEnd: boolean }): Promise<DemoStack> {
  const yaml = await readFile(new URL('../../config/site-s1.yaml', import.meta.url), 'utf8');
  const timing = gatewayTimingAtSpeed(o.speed);
  const scenarios = createDemoScenarioTrigger({ log: createLogger('demo'), password: DEMO_PASSWORD });
  let warehouse: SimulatedWarehouse | undefined;
  const stack = await startTestStack((site) => yaml.replace(/^site: s1$/m, `site: ${site}`), {
    gatewayConfig: timing.config,
    gateway: { ...timing.deps, manifestPollMs: 100, siteTime: (ms) => (warehouse === undefined ? ms : warehouse.siteTimeAt(ms)) },
    cloud: { demoScenarios: scenarios },
  });
  const site = stack.gateway.site;
  await seedIdentity(stack.db, { site, gatewayId: stack.gatewayId, gatewayToken: stack.gatewayToken, password: DEMO_PASSWORD });
  warehouse = await startSimulatedWarehouse({
    mqttUrl: stack.broker.url,
    siteConfig: site,
    scenario: o.scenario,
    seed: 1,
    speed: o.speed,
    runPastEnd: o.runPastEnd,
    devices: o.devices,
    ...stack.mqttPasswords,
  });
  const lenders = splitLotsBetweenLenders(warehouse.lots);
  await seedDemoCollateral(stack.db, {
    site: site.site,
    operatorTenantId: DEMO_TENANTS.operator.id,
    bankTenantId: DEMO_TENANTS.bank.id,
    borrowerTenantId: DEMO_TENANTS.borrower.id,
    lots: lenders.first,
    bus: stack.bus,
  });
  await seedSecondLender(stack.db, { site: site.site, lots: lenders.second, bus: stack.bus, password: DEMO_PASSWORD });
  scenarios.attach({ warehouse, cloudUrl: stack.cloud.url });
  const started = warehouse;
  return {
    stack,
    warehouse: started,
    async close() {
      await started.stop();
      await stack.close();
    },
  };
}
