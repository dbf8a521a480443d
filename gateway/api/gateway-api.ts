import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../../infra/logger.ts';
import type { LotStateView } from '../fusion/lot-view.ts';
import type { StageOffers } from '../pipeline/stage.ts';
import { lotList, type LotFacet } from './lot-list.ts';

export interface GatewayApiDeps {
  log: Logger;
  metrics: Registry;
  /** gateway-health.ts's judgement, and detail for the operator; the stages' health facets are added to it. */
  health(): { status: 'ok' | 'degraded'; ready: boolean; reasons: string[]; detail: Record<string, unknown> };
  /** Each pledged lot's fused state; the stages' lot facets are added to each. */
  lots(): readonly LotStateView[];
  outbox(): Record<string, unknown>;
  /** What each stage offers (routes, health and lot facets), wired alike for every stage. */
  stages: readonly StageOffers[];
}

/** Keys of the health answer the gateway itself writes; a stage's facet may not take one. */
const HEALTH_KEYS = ['status', 'reasons', 'gatewayId', 'site', 'chainHead', 'manifest'];
/** Keys of a lot's fused state (LotStateView); a stage's lot facet may not take one. */
const LOT_KEYS = Object.keys({
  lotId: true,
  zone: true,
  state: true,
  since: true,
  rule: true,
  reason: true,
  cites: true,
  kinds: true,
  updatedAt: true,
  evidence: true,
} satisfies Record<keyof LotStateView, true>);

/** Each facet's key once, in stage order; a clash is a programming error, refused at start. */
function facetsOf<T>(stages: readonly StageOffers[], pick: (stage: StageOffers) => Readonly<Record<string, T>> | undefined, reserved: readonly string[], what: string): [string, T][] {
  const taken = new Set(reserved);
  const out: [string, T][] = [];
  for (const stage of stages) {
    for (const [key, facet] of Object.entries(pick(stage) ?? {})) {
      if (taken.has(key)) throw new Error(`${what} facet "${key}" is offered twice (or is the gateway's own)`);
      taken.add(key);
      out.push([key, facet]);
    }
  }
  return out;
}

/** The gateway's local API for the site's operators and monitoring. Read-only. */
export async function buildGatewayApi(deps: GatewayApiDeps): Promise<FastifyInstance> {
  const healthFacets = facetsOf(deps.stages, (s) => s.healthFacets, HEALTH_KEYS, 'health');
  const lotFacets = facetsOf(deps.stages, (s) => s.lotFacets, LOT_KEYS, 'lot');
  const health = () => {
    const judged = deps.health();
    const detail: Record<string, unknown> = { ...judged.detail };
    for (const [key, facet] of healthFacets) detail[key] = facet();
    return { ...judged, detail };
  };
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  // /health answers 200 while the process runs (a restart would not mend a broker or a
  // cloud that is away) and says `degraded` with the reasons; /ready is 503 then.
  app.get('/health', async () => {
    const { status, reasons, detail } = health();
    return { status, reasons, ...detail };
  });
  app.get('/ready', async (_request, reply) => {
    const { ready, reasons, detail } = health();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', reasons, ...detail });
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });
  app.get('/api/v1/lots', async () => ({ items: lotList(deps.lots(), lotFacets.map(([key, facet]): LotFacet => [key, facet()])) }));
  app.get('/api/v1/outbox', async () => deps.outbox());
  for (const stage of deps.stages) stage.routes?.(app);
  return app;
}
