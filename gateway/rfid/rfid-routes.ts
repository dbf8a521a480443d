import type { FastifyInstance } from 'fastify';
import type { ManifestSyncStatus } from '../manifests/manifest-sync.ts';
import type { RfidStage } from './rfid-stage.ts';

export interface RfidRoutesDeps {
  rfid: Pick<RfidStage, 'health' | 'snapshot'>;
  manifests?: { status(): ManifestSyncStatus };
}

/**
 * Read-only local endpoints for the site's operators and monitoring, added to the
 * gateway's local API before it listens:
 * `GET /api/v1/rfid/health` (200 healthy, 503 dropping or lagging) and `GET /api/v1/rfid/lots`.
 */
export function registerRfidRoutes(app: FastifyInstance, deps: RfidRoutesDeps): void {
  app.get('/api/v1/rfid/health', async (_request, reply) => {
    const health = deps.rfid.health();
    const manifest = deps.manifests?.status() ?? null;
    const ok = health.ok && (manifest === null || manifest.source !== 'none');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...health, manifest });
  });
  app.get('/api/v1/rfid/lots', async () => ({ items: deps.rfid.snapshot() }));
}
