/**
 * `npm start`: the whole system in one process tree on embedded defaults: MQTT broker,
 * cloud (with seeded tenants, users, site and gateway), the site's gateway and a
 * simulated warehouse playing a scenario. Prints where to look; Ctrl-C stops it all.
 */
import { join } from 'node:path';
import { createLogger } from '../infra/logger.ts';
import { exitOnConfigError } from '../infra/config-error.ts';
import { onShutdownSignal } from '../infra/shutdown.ts';
import { startBroker } from '../infra/broker.ts';
import { provisionClients } from '../infra/mqtt-auth/provision-clients.ts';
import { loadSiteConfig } from '../protocol/index.ts';
import { loadCloudConfig } from '../cloud/config.ts';
import { openDatabase } from '../cloud/db/database.ts';
import { startCloud } from '../cloud/start-cloud.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway } from '../gateway/start-gateway.ts';
import { startSimulatedWarehouse } from '../firmware-sim/index.ts';
import { loadDemoConfig } from './demo-config.ts';
import { DEMO_TENANTS, DEMO_USERS, seedIdentity } from './seed-identity.ts';
import { createDomainEventBus } from '../cloud/domain-events/domain-event-bus.ts';
import { seedDemoCollateral } from './demo-collateral.ts';
import { gatewayTimingAtSpeed } from '../gateway/site-speed.ts';
import { SECOND_BANK_USERS, seedSecondLender, splitLotsBetweenLenders } from './second-lender.ts';
import { createDemoScenarioTrigger } from './scenario-trigger.ts';

const DEMO_PASSWORD = 'demo-password';
const GATEWAY_ID = 'gw-s1';

try {
  const log = createLogger('demo');
  const config = loadDemoConfig();
  const site = await loadSiteConfig(config.siteConfigPath);
  // Every device and the gateway log in with a password made for this run; the embedded
  // broker checks them and the topics each may publish (infra/mqtt-auth).
  const mqttClients = await provisionClients(site, GATEWAY_ID);
  const broker = await startBroker({ url: config.mqttUrl, log, auth: { site: site.site, clients: mqttClients.clients } });

  const db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'cloud-db'), dataDirSetting: 'DEMO_DATA_DIR' });
  await seedIdentity(db, { site, gatewayId: GATEWAY_ID, gatewayToken: config.gatewayToken, password: DEMO_PASSWORD });
  const bus = createDomainEventBus(log.child({ service: 'cloud' }));
  // Incidents an admin stages on the live warehouse (dashboard, `npm run demo -- trigger …`).
  const scenarios = createDemoScenarioTrigger({ log: log.child({ service: 'demo' }), password: DEMO_PASSWORD });
  const cloud = await startCloud({ ...loadCloudConfig(), port: config.port }, log.child({ service: 'cloud' }), db, bus, { demoScenarios: scenarios });

  const warehouse = await startSimulatedWarehouse({
    mqttUrl: broker.url,
    siteConfig: site,
    scenario: config.scenario,
    seed: config.seed,
    speed: config.speed,
    runPastEnd: true,
    log: log.child({ service: 'firmware-sim' }),
    ...(broker.embedded ? { mqttPasswords: mqttClients.passwords } : {}),
  });
  // Receipts for the simulated lots, pledged under a revolving facility per bank, with a month of prices.
  const lenders = splitLotsBetweenLenders(warehouse.lots);
  const collateral = await seedDemoCollateral(db, {
    site: site.site,
    operatorTenantId: DEMO_TENANTS.operator.id,
    bankTenantId: DEMO_TENANTS.bank.id,
    borrowerTenantId: DEMO_TENANTS.borrower.id,
    lots: lenders.first,
    bus,
  });
  log.info({ ...collateral, secondBank: await seedSecondLender(db, { site: site.site, lots: lenders.second, bus, password: DEMO_PASSWORD }) }, 'demo collateral seeded');

  // The simulated warehouse's clock runs `speed` times faster than the gateway's, and
  // the gateway judges time by arrival: cycles, graces, dwell and silences shrink with it,
  // and its night is the simulated warehouse's night.
  const timing = gatewayTimingAtSpeed(config.speed);
  const gateway = await startGateway(
    {
      ...loadGatewayConfig({ ...process.env, GATEWAY_TOKEN: config.gatewayToken }),
      gatewayId: GATEWAY_ID,
      siteConfigPath: config.siteConfigPath,
      mqttUrl: broker.url,
      cloudUrl: cloud.url,
      dataDir: join(config.dataDir, 'gateway'),
      apiPort: config.gatewayPort,
      ...(broker.embedded ? { mqttCredentials: { username: GATEWAY_ID, password: mqttClients.passwords.get(GATEWAY_ID) ?? '' } } : {}),
      ...timing.config,
    },
    { log: log.child({ service: 'gateway' }), ...timing.deps, siteTime: (ms) => warehouse.siteTimeAt(ms) },
  );

  const lines = [
    '',
    'Warehouse receipt collateral monitor: demo running',
    `  dashboard         ${cloud.url}/`,
    `  cloud API         ${cloud.url}/api/v1   (OpenAPI: ${cloud.url}/docs)`,
    `  gateway API       ${gateway.apiUrl}/api/v1/lots   (health ${gateway.apiUrl}/health, metrics ${gateway.apiUrl}/metrics)`,
    `  MQTT broker       ${broker.url}${broker.embedded ? ' (embedded aedes)' : ''}`,
    `  database          ${db.kind}${db.kind === 'pglite' ? ` in ${join(config.dataDir, 'cloud-db')}` : ''}`,
    `  scenario          ${config.scenario} (seed ${config.seed}, ${config.speed}x real time)`,
    '  users (password "' + DEMO_PASSWORD + '"):',
    ...[...DEMO_USERS, ...SECOND_BANK_USERS].map((u) => `    ${u.email.padEnd(26)} ${u.role.padEnd(20)} ${u.tenantId}`),
    '  stage an incident  npm run demo -- trigger night-theft   (list: npm run demo -- list)',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  scenarios.attach({ warehouse, cloudUrl: cloud.url });

  onShutdownSignal(log, async () => {
    await warehouse.stop();
    await gateway.stop();
    await cloud.stop();
    await broker.close();
  });
} catch (error) {
  exitOnConfigError(error);
}
