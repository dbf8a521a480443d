import { createPublicKey } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Counter } from 'prom-client';
import { IngestReply, MAX_INGEST_BATCH, VerificationEvent } from '../../protocol/index.ts';
import { conflict } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import type { GatewayAuthenticator } from '../gateways/gateway-auth.ts';
import type { GatewayRecord } from '../gateways/gateway-repository.ts';
import { requireKey } from '../gateways/gateway-auth.ts';
import type { EventRepository } from './event-repository.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { rejectionAnomalies } from './rejection-anomalies.ts';

import { invalidEvidenceAnomaly } from './invalid-evidence-anomaly.ts';

export interface EventsPluginOptions {
  events: EventRepository;
  authenticate: GatewayAuthenticator;
  metrics: { ingested: Counter<'outcome'>; invalidEvidence: Counter<'type'> };
  bus: DomainEventBus;
}

export const eventsPlugin: FastifyPluginAsync<EventsPluginOptions> = async (fastify, { events, authenticate, metrics, bus }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  fastify.addHook('onClose', () => events.close());

  // The token is checked before the body is read: a stranger's 16 MiB batch is refused
  // without parsing or validating it.
  const authenticated = new WeakMap<FastifyRequest, GatewayRecord>();
  app.post(
    '/api/v1/gateways/:id/events',
    {
      onRequest: async (request) => {
        authenticated.set(request, await authenticate(request, (request.params as { id: string }).id));
      },
      schema: {
        tags: ['events'],
        summary: 'Deliver a batch of signed, hash-chained verification events (idempotent on id)',
        description:
          'Every event is checked for schema, hash, Ed25519 signature, gateway and sequence. Duplicates are ' +
          'acknowledged without effect; forgeries and replays are listed in `rejected`; sequence gaps and chain ' +
          'breaks are accepted and reported in `anomalies`. An authentic event arriving late into a seq never stored ' +
          '(a reported gap) is accepted too and reported as `gap_filled` (whether it links to its neighbours); the head ' +
          'does not move back. Every gap, break and refusal also opens (or feeds) an ' +
          'alert case of its own (kinds chain.gap, chain.break, ingest.forgery, ingest.replay, ingest.foreign); ' +
          'refused events are kept as evidence. An authentic event whose evidence does not fit its type (protocol/evidence) ' +
          'is stored in the chain but applied to nothing, listed in `invalidEvidence`, counted and raised on the ' +
          "gateway's case (kind ingest.invalid_evidence).",
        security: [{ gatewayToken: [] }],
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        body: Type.Object({ events: Type.Array(VerificationEvent, { minItems: 1, maxItems: MAX_INGEST_BATCH }) }),
        response: { 200: IngestReply, ...errorResponses(400, 401, 404, 409, 413) },
      },
    },
    async (request) => {
      const gateway = authenticated.get(request) ?? (await authenticate(request, request.params.id));
      const publicKeyPem = requireKey(gateway);
      const publicKey = createPublicKey(publicKeyPem);
      const ids = new Set(request.body.events.map((e) => e.id));
      if (ids.size !== request.body.events.length) {
        // The same id twice in one batch is a sender bug, not a retry: refuse the batch.
        throw conflict('batch contains the same event id more than once');
      }
      const plan = await events.ingest({ gatewayId: gateway.id, siteId: gateway.siteId, publicKey, publicKeyPem, batch: request.body.events });
      metrics.ingested.inc({ outcome: 'accepted' }, plan.accept.length);
      metrics.ingested.inc({ outcome: 'duplicate' }, plan.duplicates);
      metrics.ingested.inc({ outcome: 'rejected' }, plan.rejected.length);
      for (const invalid of plan.evidence.invalid) metrics.invalidEvidence.inc({ type: invalid.type });
      // Only events whose evidence fits their type reach cases, lot states and reports.
      if (plan.accept.length > 0) bus.emit('gateway.events', { gatewayId: gateway.id, site: gateway.siteId, events: plan.evidence.typed });
      const invalidAnomaly = invalidEvidenceAnomaly(plan.evidence.invalid);
      if (invalidAnomaly !== undefined) {
        request.log.warn({ gatewayId: gateway.id, count: plan.evidence.invalid.length, first: plan.evidence.invalid[0] }, 'events stored with evidence that does not fit their type');
        bus.emit('gateway.chain_anomaly', { gatewayId: gateway.id, site: gateway.siteId, anomaly: invalidAnomaly });
      }
      for (const anomaly of plan.anomalies) {
        request.log.warn({ gatewayId: gateway.id, anomaly }, 'event chain anomaly');
        bus.emit('gateway.chain_anomaly', { gatewayId: gateway.id, site: gateway.siteId, anomaly: { ...anomaly } });
      }
      if (plan.rejected.length > 0) {
        // One line per batch: a flood of forgeries must not become a flood of log lines.
        request.log.warn({ gatewayId: gateway.id, count: plan.rejected.length, first: plan.rejected[0] }, 'events rejected');
      }
      // A refused event is an attack on the chain as much as a gap is: reported the same
      // way, one anomaly per kind of refusal, naming the refused events kept as evidence.
      for (const anomaly of rejectionAnomalies(plan)) {
        bus.emit('gateway.chain_anomaly', { gatewayId: gateway.id, site: gateway.siteId, anomaly });
      }
      return {
        accepted: plan.accept.length,
        duplicates: plan.duplicates,
        rejected: plan.rejected,
        anomalies: plan.anomalies,
        head: plan.head,
        invalidEvidence: plan.evidence.invalid.map(({ id, seq, message }) => ({ id, seq, message })),
      };
    },
  );
};
