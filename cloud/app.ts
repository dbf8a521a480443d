import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from '../infra/logger.ts';
import type { Database } from './db/database.ts';
import { DEFAULT_ATTACHMENT_TENANT_MAX_BYTES, type CloudConfig } from './config.ts';
import { authPlugin } from './auth/auth-plugin.ts';
import { createDomainEventBus, type DomainEventBus } from './domain-events/domain-event-bus.ts';
import { createUserRepository } from './auth/user-repository.ts';
import { ErrorResponse, errorHandler } from './http/error-response.ts';
import { createGatewayRepository } from './gateways/gateway-repository.ts';
import { createGatewayAuthenticator } from './gateways/gateway-auth.ts';
import { gatewaysPlugin } from './gateways/gateways-plugin.ts';
import { createEventRepository } from './events/event-repository.ts';
import { eventsPlugin } from './events/events-plugin.ts';
import { attachmentsPlugin } from './attachments/attachments-plugin.ts';
import { createCloudMetrics } from './observability/cloud-metrics.ts';
import { healthPlugin } from './observability/health-plugin.ts';
import { collateralPlugin } from './risk/collateral-plugin.ts';
import { dashboardPlugin } from './dashboard/dashboard-plugin.ts';
import { monitoringPlugin } from './monitoring/monitoring-plugin.ts';
import { inputGuardPlugin } from './http/input-guard.ts';
import { earlyWarningPlugin } from './early-warning/early-warning-plugin.ts';
import { creditModule } from './credit/credit-module.ts';
import { demoScenariosPlugin } from './demo-scenarios/demo-scenarios-plugin.ts';
import type { DemoScenarios } from './demo-scenarios/demo-scenarios.ts';

export interface CloudAppDeps {
  db: Database;
  log: Logger;
  /** Shared with whatever else runs in the process (tests await `bus.idle()`). */
  bus?: DomainEventBus;
  config: Pick<CloudConfig, 'bodyLimitBytes' | 'jwtSecret' | 'tokenTtlSeconds' | 'loginRateLimit' | 'liveHeartbeatMs' | 'inspectionSeed'> & Partial<Pick<CloudConfig, 'earlyWarning' | 'attachments'>>;
  /** The clock of what happens with time alone (expiry, due times, SLAs); tests move it instead of waiting. */
  now?: () => Date;
  /** Given by a demo that runs a simulated warehouse: its incidents, staged by an admin (routes exist only then). */
  demoScenarios?: DemoScenarios;
}

/** The cloud's composition root for HTTP: every domain is one plugin wired here. */
export async function buildCloudApp({ db, log, config, bus = createDomainEventBus(log), now, demoScenarios }: CloudAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, bodyLimit: config.bodyLimitBytes, logController: new LogController({ disableRequestLogging: true }) });
  app.setErrorHandler(errorHandler);
  app.addSchema(ErrorResponse);
  await app.register(inputGuardPlugin);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Warehouse receipt collateral monitor',
        description: 'Receipts, pledges, facilities, prices, alerts and the verified event log of on-site gateways.',
        version: '1',
      },
      components: {
        securitySchemes: {
          gatewayToken: { type: 'http', scheme: 'bearer', description: 'Token provisioned for one gateway' },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'User token from POST /api/v1/auth/login' },
          marketDataToken: { type: 'http', scheme: 'bearer', description: 'Token of the market-data service pushing prices (MARKET_DATA_TOKEN)' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = createCloudMetrics();
  const gateways = createGatewayRepository(db.prisma);
  const authenticate = createGatewayAuthenticator(gateways);

  await app.register(healthPlugin, { db, metrics });
  await app.register(dashboardPlugin);
  await app.register(authPlugin, {
    users: createUserRepository(db.prisma),
    jwtSecret: config.jwtSecret,
    tokenTtlSeconds: config.tokenTtlSeconds,
    loginRateLimit: config.loginRateLimit,
  });
  await app.register(gatewaysPlugin, { gateways, authenticate });
  await app.register(eventsPlugin, { events: createEventRepository(db.prisma), authenticate, metrics, bus });
  await app.register(attachmentsPlugin, { prisma: db.prisma, authenticate, registry: metrics.registry, bus, tenantMaxBytes: config.attachments?.tenantMaxBytes ?? DEFAULT_ATTACHMENT_TENANT_MAX_BYTES });
  await app.register(collateralPlugin, { db, bus, authenticate, ...(now === undefined ? {} : { now }) });
  await app.register(monitoringPlugin, { db, bus, liveHeartbeatMs: config.liveHeartbeatMs, inspectionSeed: config.inspectionSeed, ...(now === undefined ? {} : { now }) });
  await app.register(earlyWarningPlugin, { db, bus, ...(config.earlyWarning === undefined ? {} : { config: config.earlyWarning }), ...(now === undefined ? {} : { now }) });
  await app.register(creditModule, { db, bus, ...(config.earlyWarning === undefined ? {} : { jobPollMs: config.earlyWarning.jobPollMs }), ...(now === undefined ? {} : { now }) });
  if (demoScenarios !== undefined) await app.register(demoScenariosPlugin, { scenarios: demoScenarios });
  return app;
}
