import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { badRequest } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import { decodeCursor, encodeCursor } from './event-cursor.ts';
import type { EventRepository } from './event-repository.ts';

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
  /** Set when the event's evidence does not fit its type (protocol/evidence): kept in the chain, applied to nothing. */
  evidenceError: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Reading the verified event log. Each event is returned exactly as signed, so a client
 * can re-verify it against GET /api/v1/gateways/{id}/key. Operators read their sites;
 * banks their lots and the site-wide events where they hold receipts.
 */
export const eventLogPlugin: FastifyPluginAsync<{ events: EventRepository; directory: TenantDirectory }> = async (fastify, { events, directory }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['events']);
  app.get(
    '/api/v1/events',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'The verified gateway event log, newest first',
        { querystring: EventListQuery, response: { 200: Type.Object({ items: Type.Array(StoredEventResponse), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
        [400],
      ),
    },
    async (request) => {
      const q = request.query;
      const before = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (q.cursor && !before) throw badRequest('cursor is not valid');
      const rows = await events.list(
        {
          gatewayId: q.gatewayId,
          site: q.site,
          type: q.type,
          severity: q.severity,
          lotId: q.lotId,
          since: q.since ? new Date(q.since) : undefined,
          until: q.until ? new Date(q.until) : undefined,
          before,
          limit: q.limit,
        },
        await directory.visibilityFor(request.user),
      );
      const last = rows.at(-1);
      return {
        items: rows.map((r) => ({ event: r.event as unknown as Record<string, unknown>, receivedAt: r.receivedAt.toISOString(), evidenceError: r.evidenceError })),
        nextCursor: rows.length === q.limit && last ? encodeCursor({ ts: last.ts, id: last.event.id }) : null,
      };
    },
  );
};
