import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { LiveHub, LiveMessage } from './live-hub.ts';
import { SSE_HEARTBEAT, sseFrame } from './sse-frame.ts';

export interface LivePluginOptions {
  hub: LiveHub;
  bus: DomainEventBus;
  /**
   * Comment lines this often keep proxies from closing a quiet stream; each one also
   * re-checks the viewer's token and account.
   */
  heartbeatMs?: number;
  /** The borrower tenant of a facility, if one is linked: it sees its facility's changes live. */
  borrowerOf?: (facilityId: string) => Promise<string | null>;
}

const OWNER = 'live';
// A client that stops reading is cut off rather than buffered without bound; it
// reconnects with Last-Event-ID and resumes from the ring buffer.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RECONNECT_MS = 3_000;

const LiveQuery = Type.Object({
  access_token: Type.Optional(Type.String({ maxLength: 4096, description: 'the bearer token, for EventSource, which cannot send headers' })),
  lastEventId: Type.Optional(Type.String({ maxLength: 64, description: 'same as the Last-Event-ID header' })),
});

/**
 * Server-Sent Events for the dashboard: case.opened, case.updated, case.resolved,
 * case.escalated and collateral.changed, each only to the tenants it concerns. A stream
 * outlives the request that authorised it, so on every heartbeat the token's expiry and
 * the account are checked again: a viewer whose token expired, or whose account was
 * disabled, deleted or changed, gets `revoked` and the stream ends.
 */
export const livePlugin: FastifyPluginAsync<LivePluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { hub } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<() => void>();

  options.bus.on('collateral.changed', OWNER, async (change) => {
    hub.publish('collateral.changed', change, [change.tenantId]);
    if (change.facilityId === null || options.borrowerOf === undefined) return;
    const borrower = await options.borrowerOf(change.facilityId);
    // The borrower learns that its facility changed and why (a drawing, a revaluation, a
    // margin call), which is what its pages re-read; the bank's detail (which tags, which
    // other site, credit signals) stays with the bank.
    if (borrower !== null && borrower !== change.tenantId) {
      hub.publish('collateral.changed', { facilityId: change.facilityId, reason: change.reason }, [borrower]);
    }
  });
  // Open streams would keep the server from closing; end them first.
  fastify.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  fastify.addHook('onClose', async () => options.bus.removeOwner(OWNER));

  const requireUser = fastify.requireRole();
  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = (request.query as { access_token?: unknown }).access_token;
    // EventSource cannot set headers; the token in the URL is taken only when no header came.
    if (request.headers.authorization === undefined && typeof token === 'string' && token.length > 0) {
      request.headers.authorization = `Bearer ${token}`;
    }
    await requireUser.call(fastify, request, reply);
  };

  app.get(
    '/api/v1/live',
    {
      onRequest: authenticate,
      schema: bearerRouteDocs(['live'])(
        'Live updates as Server-Sent Events, filtered by tenant',
        {
          description:
            'Events: `ready` (first), `case.opened`, `case.updated`, `case.resolved`, `case.escalated` (data: the case), ' +
            '`collateral.changed` (data: the bus payload), `reset` (the Last-Event-ID is no longer known: reload) and ' +
            '`revoked` (data: `{ reason }`; the token expired or the account was disabled, deleted or changed: the stream ends, log in again). ' +
            'Each event has an `id`; reconnecting with `Last-Event-ID` replays what was missed from a small buffer. ' +
            'A comment line every heartbeat (15 s by default) keeps the connection open, and the token and account are checked again then. ' +
            'Authenticate with the bearer header or `?access_token=`.',
          querystring: LiveQuery,
          response: { 200: { description: 'an endless text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } } },
        },
        [400],
      ),
    },
    async (request, reply) => {
      const principal = request.user;
      const { exp } = await request.jwtDecode<{ exp?: number }>();
      const expiresAtMs = typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY;
      const header = request.headers['last-event-id'];
      const lastEventId = (typeof header === 'string' ? header : undefined) ?? request.query.lastEventId;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      const write = (chunk: string): void => {
        if (closed) return;
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          end();
          return;
        }
        raw.write(chunk);
      };
      const send = (message: LiveMessage): void => write(sseFrame({ id: message.id, event: message.event, data: message.data }));
      const subscription = hub.subscribe({ tenantId: principal.tenantId, seesAll: principal.role === 'admin' }, send, lastEventId);
      let checking = false;
      const recheck = async (): Promise<void> => {
        const reason = Date.now() >= expiresAtMs ? 'the token expired' : await fastify.accountRefusal(principal);
        if (reason === undefined) return;
        write(sseFrame({ event: 'revoked', data: { reason } }));
        end();
      };
      const heartbeat = setInterval(() => {
        write(SSE_HEARTBEAT);
        if (closed || checking) return;
        checking = true;
        recheck()
          .catch((err: unknown) => {
            // Without an answer the stream is not kept on trust: the client reconnects and is authorised afresh.
            request.log.warn({ err, userId: principal.userId }, 'live stream closed: the account could not be checked');
            end();
          })
          .finally(() => {
            checking = false;
          });
      }, heartbeatMs);
      heartbeat.unref();
      function end(): void {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        subscription.unsubscribe();
        streams.delete(end);
        raw.end();
      }
      streams.add(end);
      raw.on('close', end);
      write(sseFrame({ event: 'ready', data: { tenantId: principal.tenantId, role: principal.role }, retryMs: RECONNECT_MS }));
      if (subscription.replay.kind === 'reset') write(sseFrame({ event: 'reset', data: { reason: 'the stream resumed from an unknown point; reload' } }));
      else for (const message of subscription.replay.messages) send(message);
    },
  );
};
