import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../../infra/logger.ts';

export interface GatewayApiDeps {
  log: Logger;
  metrics: Registry;
  /** gateway-health.ts's judgement, and detail for the operator. */
  health(): { status: 'ok' | 'degraded'; ready: boolean; reasons: string[]; detail: Record<string, unknown> };
  lots(): unknown[];
  devices(): unknown[];
  outbox(): Record<string, unknown>;
}

/** The gateway's local API for the site's operators and monitoring. Read-only. */
export async function buildGatewayApi(deps: GatewayApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  // /health answers 200 while the process runs (a restart would not mend a broker or a
  // cloud that is away) and says `degraded` with the reasons; /ready is 503 then.
  app.get('/health', async () => {
    const { status, reasons, detail } = deps.health();
    return { status, reasons, ...detail };
  });
  app.get('/ready', async (_request, reply) => {
    const { ready, reasons, detail } = deps.health();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', reasons, ...detail });
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
