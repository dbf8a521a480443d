import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import type { CloudMetrics } from './cloud-metrics.ts';

export const healthPlugin: FastifyPluginAsync<{ db: Database; metrics: CloudMetrics }> = async (app, { db, metrics }) => {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.sql.query('SELECT 1');
      return { status: 'ready', database: db.kind };
    } catch (error) {
      return reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: `database: ${(error as Error).message}` });
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
