import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../infra/logger.ts';
import { buildCloudApp } from '../../cloud/app.ts';
import { loadCloudConfig } from '../../cloud/config.ts';
import type { Database } from '../../cloud/db/database.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestCloud {
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

/** The real cloud app on an isolated database, driven with fastify's inject (no socket). */
export async function startTestCloud(): Promise<TestCloud> {
  const db = await openTestDatabase();
  const app = await buildCloudApp({ db, log: createLogger('cloud-test'), config: loadCloudConfig({}) });
  await app.ready();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
