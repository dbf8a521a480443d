import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../infra/logger.ts';
import { startBroker, type BrokerHandle } from '../../infra/broker.ts';
import { loadCloudConfig } from '../../cloud/config.ts';
import { startCloud, type CloudHandle, type StartCloudOptions } from '../../cloud/start-cloud.ts';
import { createGatewayRepository } from '../../cloud/gateways/gateway-repository.ts';
import { loadGatewayConfig, type GatewayConfig } from '../../gateway/config.ts';
import { startGateway, type GatewayDeps, type GatewayHandle } from '../../gateway/start-gateway.ts';
import { createDomainEventBus, type DomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import type { Database } from '../../cloud/db/database.ts';
import { openTestDatabase } from './test-database.ts';
import { seedTenants, tokenHolder } from './cloud-app.ts';
import { uniqueId } from './unique-id.ts';
import { parseSiteConfig } from '../../protocol/index.ts';
import { provisionClients } from '../../infra/mqtt-auth/provision-clients.ts';
import { hashMqttPassword } from '../../infra/mqtt-auth/mqtt-password.ts';

export interface TestStack {
  broker: BrokerHandle;
  cloud: CloudHandle;
  gateway: GatewayHandle;
  site: string;
  gatewayId: string;
  /** The bearer token the gateway was provisioned with. */
  gatewayToken: string;
  dataDir: string;
  db: Database;
  /** The cloud's domain-event bus, for seeding through the same services the API uses. */
  bus: DomainEventBus;
  /** Bearer header of a platform administrator, for reading the cloud's API. */
  adminAuth: { authorization: string };
  /** What the gateway was started with. */
  gatewayConfig: GatewayConfig;
  /**
   * How a test's own MQTT client connects as `username` (a site device, or `observer`, a
   * viewer of the gateway's topics): the embedded broker authenticates every client
   * (issue 17); an external one (MQTT_URL) is the operator's to configure.
   */
  mqttLogin(username: string): { clientId: string; username?: string; password?: string };
  /** The site devices' passwords for the simulator (`startSimulatedWarehouse`), on the embedded broker. */
  mqttPasswords: { mqttPasswords?: ReadonlyMap<string, string> };
  /** Restarts the gateway on the same data directory (key, outbox, chain). */
  restartGateway(): Promise<GatewayHandle>;
  close(): Promise<void>;
}

/**
 * Broker, cloud and gateway, really connected: MQTT (embedded aedes, or MQTT_URL),
 * HTTP on loopback, an isolated database. The site gets a unique id so runs against a
 * shared Mosquitto never see each other's retained messages.
 */
export async function startTestStack(
  siteYaml: (site: string) => string,
  options: { gateway?: Omit<GatewayDeps, 'log'>; gatewayConfig?: Partial<GatewayConfig>; cloud?: StartCloudOptions } = {},
): Promise<TestStack> {
  const log = createLogger('test-stack');
  const site = uniqueId('s');
  const gatewayId = `gw-${site}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'wrm-stack-'));
  const siteConfigPath = join(dataDir, 'site.yaml');
  await writeFile(siteConfigPath, siteYaml(site));
  const provisioned = await provisionClients(parseSiteConfig(siteYaml(site)), gatewayId);
  const observerPassword = 'observer-password';
  provisioned.passwords.set('observer', observerPassword);
  provisioned.clients.push({ username: 'observer', role: 'viewer', passwordHash: await hashMqttPassword(observerPassword) });
  const broker = await startBroker({ url: process.env.MQTT_URL, auth: { site, clients: provisioned.clients } });
  const mqttLogin = (username: string) => {
    const password = provisioned.passwords.get(username);
    // On a shared external broker client ids must not clash between runs.
    if (!broker.embedded || password === undefined) return { clientId: `${username}-${site}` };
    return { clientId: username, username, password };
  };
  const db = await openTestDatabase();
  const bus = createDomainEventBus(log);
  const cloud = await startCloud({ ...loadCloudConfig({}), port: 0 }, log, db, bus, options.cloud);
  const token = uniqueId('token');
  await createGatewayRepository(db.prisma).provision({ id: gatewayId, siteId: site, token });
  const gatewayConfig: GatewayConfig = {
    ...loadGatewayConfig({ GATEWAY_TOKEN: token }),
    gatewayId,
    siteConfigPath,
    mqttUrl: broker.url,
    cloudUrl: cloud.url,
    dataDir: join(dataDir, 'gateway'),
    apiPort: 0,
    ...(broker.embedded ? { mqttCredentials: { username: gatewayId, password: provisioned.passwords.get(gatewayId) ?? '' } } : {}),
    ...options.gatewayConfig,
  };
  const gatewayDeps: GatewayDeps = { log, tickMs: 0, ...options.gateway };
  let gateway = await startGateway(gatewayConfig, gatewayDeps);
  await seedTenants(db, [{ id: 'platform', name: 'Platform', kind: 'platform' }]);
  const admin = tokenHolder(cloud.app, db, 'platform', 'admin', { userId: '00000000-0000-4000-8000-000000000000', email: 'admin@test', name: 'Admin' });
  await admin.ready();
  return {
    adminAuth: { authorization: `Bearer ${admin.token}` },
    broker,
    cloud,
    mqttLogin,
    mqttPasswords: broker.embedded ? { mqttPasswords: provisioned.passwords } : {},
    get gateway() {
      return gateway;
    },
    site,
    gatewayId,
    gatewayToken: token,
    gatewayConfig,
    dataDir,
    db,
    bus,
    async restartGateway() {
      await gateway.stop();
      gateway = await startGateway(gatewayConfig, gatewayDeps);
      return gateway;
    },
    async close() {
      await gateway.stop();
      await cloud.stop();
      await broker.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
