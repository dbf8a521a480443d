import type { FastifyInstance } from 'fastify';
import type { Logger } from '../infra/logger.ts';
import type { CloudConfig } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { buildCloudApp } from './app.ts';
import type { DomainEventBus } from './domain-events/domain-event-bus.ts';
import type { DemoScenarios } from './demo-scenarios/demo-scenarios.ts';

export interface CloudHandle {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: Database;
  stop(): Promise<void>;
}

export interface StartCloudOptions {
  /** A demo's incidents, staged by an admin through /api/v1/demo/scenarios (only when given). */
  demoScenarios?: DemoScenarios;
}

/** Opens the database (migrating it), builds the app and listens. */
export async function startCloud(config: CloudConfig, log: Logger, db?: Database, bus?: DomainEventBus, options: StartCloudOptions = {}): Promise<CloudHandle> {
  const database = db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  if (database.migration.applied.length > 0) log.info({ applied: database.migration.applied }, 'database migrated');
  if (config.jwtSecretGenerated) log.warn('JWT_SECRET is not set: using a random secret, user tokens end with this process');
  const app = await buildCloudApp({ db: database, log, config, ...(bus ? { bus } : {}), ...(options.demoScenarios ? { demoScenarios: options.demoScenarios } : {}) });
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ url: address, database: database.kind }, 'cloud listening');
  return {
    url: address,
    app,
    db: database,
    stop: async () => {
      // In-flight requests get a moment to finish; a connection that never sent a request
      // (a client that connected and went away) would otherwise hold the close for
      // Node's headersTimeout.
      const force = setTimeout(() => app.server.closeAllConnections(), 2_000);
      force.unref();
      await app.close();
      clearTimeout(force);
      await database.close();
    },
  };
}
