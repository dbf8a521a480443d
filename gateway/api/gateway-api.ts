import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../../infra/logger.ts';

export interface GatewayApiDeps {
  log: Logger;
  metrics: Registry;
  /** Liveness detail and readiness: ready once MQTT is connected and the outbox is open. */
  health(): { ready: boolean; detail: Record<string, unknown> };
  lots(): unknown[];
  devices(): unknown[];
  outbox(): Record<string, unknown>;
}

/** The gateway's local API for the site's operators and monitoring. Read-only. */
export async function buildGatewayApi(deps: GatewayApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  app.get('/health', async () => ({ status: 'ok', ...deps.health().detail }));
  app.get('/ready', async (_request, reply) => {
    const { ready, detail } = deps.health();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...detail });
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });
  app.get('/api/v1/lots', async () => ({ items: deps.lots() }));
  app.get('/api/v1/devices', async () => ({ items: deps.devices() }));
  app.get('/api/v1/outbox', async () => deps.outbox());
  return app;
}
