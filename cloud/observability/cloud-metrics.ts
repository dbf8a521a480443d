import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per cloud instance, so tests can run several apps in one process. */
export function createCloudMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cloud_' });
  return {
    registry,
    ingested: new Counter({
      name: 'cloud_gateway_events_total',
      help: 'Gateway events received, by outcome (accepted, duplicate, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    invalidEvidence: new Counter({
      name: 'cloud_gateway_events_invalid_evidence_total',
      help: 'Gateway events stored whose evidence does not fit their type (applied to nothing), by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
  };
}

export type CloudMetrics = ReturnType<typeof createCloudMetrics>;
