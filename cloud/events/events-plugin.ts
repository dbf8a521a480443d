import { createPublicKey } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Counter } from 'prom-client';
import { VerificationEvent } from '../../protocol/index.ts';
import { badRequest, conflict } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import type { GatewayAuthenticator } from '../gateways/gateway-auth.ts';
import { requireKey } from '../gateways/gateway-auth.ts';
import type { EventRepository } from './event-repository.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { decodeCursor, encodeCursor } from './event-cursor.ts';

const MAX_BATCH = 5_000;

const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ id: Type.String(), seq: Type.Integer(), reason: Type.String() })),
  anomalies: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
});

const EventListQuery = Type.Object({
  gatewayId: Type.Optional(Type.String({ maxLength: 64 })),
  site: Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  severity: Type.Optional(Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')])),
  lotId: Type.Optional(Type.String({ maxLength: 128 })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

const StoredEventResponse = Type.Object({
  event: Type.Record(Type.String(), Type.Unknown()),
  receivedAt: Type.String({ format: 'date-time' }),
});

export interface EventsPluginOptions {
  events: EventRepository;
  authenticate: GatewayAuthenticator;
  metrics: { ingested: Counter<'outcome'> };
  bus: DomainEventBus;
}

export const eventsPlugin: FastifyPluginAsync<EventsPluginOptions> = async (fastify, { events, authenticate, metrics, bus }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/gateways/:id/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Deliver a batch of signed, hash-chained verification events (idempotent on id)',
        description:
          'Every event is checked for schema, hash, Ed25519 signature, gateway and sequence. Duplicates are ' +
          'acknowledged without effect; forgeries and replays are listed in `rejected`; sequence gaps and chain ' +
          'breaks are accepted and reported in `anomalies`.',
        security: [{ gatewayToken: [] }],
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        body: Type.Object({ events: Type.Array(VerificationEvent, { minItems: 1, maxItems: MAX_BATCH }) }),
        response: { 200: IngestResult, ...errorResponses(400, 401, 404, 409, 413) },
      },
    },
    async (request) => {
      const gateway = await authenticate(request, request.params.id);
      const publicKey = createPublicKey(requireKey(gateway));
      const ids = new Set(request.body.events.map((e) => e.id));
      if (ids.size !== request.body.events.length) {
        // The same id twice in one batch is a sender bug, not a retry: refuse the batch.
        throw conflict('batch contains the same event id more than once');
      }
      const plan = await events.ingest({ gatewayId: gateway.id, siteId: gateway.siteId, publicKey, batch: request.body.events });
      metrics.ingested.inc({ outcome: 'accepted' }, plan.accept.length);
      metrics.ingested.inc({ outcome: 'duplicate' }, plan.duplicates);
      metrics.ingested.inc({ outcome: 'rejected' }, plan.rejected.length);
      if (plan.accept.length > 0) bus.emit('gateway.events', { gatewayId: gateway.id, site: gateway.siteId, events: plan.accept });
      for (const anomaly of plan.anomalies) {
        request.log.warn({ gatewayId: gateway.id, anomaly }, 'event chain anomaly');
        bus.emit('gateway.chain_anomaly', { gatewayId: gateway.id, site: gateway.siteId, anomaly: { ...anomaly } });
      }
      for (const rejection of plan.rejected) request.log.warn({ gatewayId: gateway.id, rejection }, 'event rejected');
      return {
        accepted: plan.accept.length,
        duplicates: plan.duplicates,
        rejected: plan.rejected,
        anomalies: plan.anomalies,
        head: plan.head,
      };
    },
  );

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The verified gateway event log, newest first',
        querystring: EventListQuery,
        response: {
          200: Type.Object({ items: Type.Array(StoredEventResponse), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const before = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (q.cursor && !before) throw badRequest('cursor is not valid');
      const rows = await events.list({
        gatewayId: q.gatewayId,
        site: q.site,
        type: q.type,
        severity: q.severity,
        lotId: q.lotId,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        before,
        limit: q.limit,
      });
      const last = rows.at(-1);
      return {
        items: rows.map((r) => ({ event: r.event as unknown as Record<string, unknown>, receivedAt: r.receivedAt.toISOString() })),
        nextCursor: rows.length === q.limit && last ? encodeCursor({ ts: last.ts, id: last.event.id }) : null,
      };
    },
  );
};
