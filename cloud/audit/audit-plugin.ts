import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../db/generated/client.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { verifyAuditTrail } from './audit-log.ts';
import { queryAudit } from './audit-query.ts';

const AuditQuery = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 64 })),
  entityId: Type.Optional(Type.String({ maxLength: 256 })),
  action: Type.Optional(Type.String({ maxLength: 128 })),
  actor: Type.Optional(Type.String({ maxLength: 256, description: 'user:<uuid>, gateway:<id> or system:<component>' })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'page backwards: entries older than this seq (nextBeforeSeq of the previous page)' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
});

const VerifyResult = Type.Union([
  Type.Object({ ok: Type.Literal(true), count: Type.Integer(), head: Type.Object({ seq: Type.Integer(), hash: Type.String() }) }),
  Type.Object({
    ok: Type.Literal(false),
    seq: Type.Integer({ description: 'the first entry that does not continue the chain' }),
    reason: Type.Union([Type.Literal('seq'), Type.Literal('prevHash'), Type.Literal('hash')]),
    message: Type.String(),
  }),
]);

/** Reading and checking the tamper-evident audit trail (cloud/audit/audit-log.ts writes it). */
export const auditPlugin: FastifyPluginAsync<{ prisma: PrismaClient }> = async (fastify, { prisma }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['audit']);

  app.get(
    '/api/v1/audit',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        "Audit entries (actor, time, before and after), newest first; the caller's tenant and the cases it sees",
        { querystring: AuditQuery, response: { 200: Type.Object({ items: Type.Array(AuditEntryView), nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]) }) } },
        [400],
      ),
    },
    async (request) => {
      const q = request.query;
      const items = await queryAudit(prisma, request.user, {
        ...q,
        since: q.since === undefined ? undefined : new Date(q.since),
        until: q.until === undefined ? undefined : new Date(q.until),
      });
      return { items, nextBeforeSeq: items.length === q.limit ? (items.at(-1)?.seq ?? null) : null };
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Re-verify the whole hash chain; names the first broken entry', { response: { 200: VerifyResult } }, [403]),
    },
    async () => verifyAuditTrail(prisma),
  );
};
