import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/principal.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_READERS, BANK_STAFF } from '../risk/actor.ts';
import { IdParams, Uuid } from '../valuation/wire-schemas.ts';
import type { PledgeService } from './pledge-service.ts';
import { PledgeView, pledgeView } from './pledge-views.ts';

export interface PledgesPluginOptions {
  prisma: PrismaClient;
  pledges: PledgeService;
}

export const pledgesPlugin: FastifyPluginAsync<PledgesPluginOptions> = async (fastify, { prisma, pledges }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['pledges']);
  const ReleaseBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) });

  app.post(
    '/api/v1/pledges',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Pledge an issued receipt to one of the bank's facilities",
        {
          description:
            'One active pledge per receipt, enforced by the database: of concurrent attempts exactly one succeeds and ' +
            'the others get 409 naming the receipt and the pledge that won (details.conflict = "pledge"). The receipt must ' +
            "be issued, still valid, and deposited by the facility's borrower.",
          body: Type.Object({ receiptId: Uuid, facilityId: Uuid }),
          response: { 201: PledgeView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const { pledge, receipt } = await pledges.pledge(request.user, request.body);
      reply.code(201);
      return pledgeView(pledge, receipt);
    },
  );

  app.get(
    '/api/v1/pledges',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs(
        "The bank's pledges, newest first",
        {
          querystring: Type.Object({
            facilityId: Type.Optional(Uuid),
            receiptId: Type.Optional(Uuid),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('released'), Type.Literal('liquidated')])),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(PledgeView) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const q = request.query;
      const rows = await prisma.pledge.findMany({
        where: {
          ...(tenant === undefined ? {} : { bankTenantId: tenant }),
          ...(q.facilityId ? { facilityId: q.facilityId } : {}),
          ...(q.receiptId ? { receiptId: q.receiptId } : {}),
          ...(q.status ? { status: q.status } : {}),
        },
        include: { receipt: { select: { number: true } } },
        orderBy: { pledgedAt: 'desc' },
        take: q.limit,
      });
      return { items: rows.map((r) => pledgeView(r, r.receipt)) };
    },
  );

  app.get(
    '/api/v1/pledges/:id',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs('One pledge', { params: IdParams, response: { 200: PledgeView } }, [400, 403, 404]),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const row = await prisma.pledge.findFirst({
        where: { id: request.params.id, ...(tenant === undefined ? {} : { bankTenantId: tenant }) },
        include: { receipt: { select: { number: true } } },
      });
      if (row === null) throw notFound(`pledge ${request.params.id}`);
      return pledgeView(row, row.receipt);
    },
  );

  const releaseParts = {
    description: 'Refused with 422 while the remaining collateral would not cover what is outstanding. For part of a lot use a release order.',
    params: IdParams,
    response: { 200: PledgeView },
  };
  const releaseErrors = [400, 403, 404, 409, 422];

  app.post(
    '/api/v1/pledges/:id/release',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs('Release the pledge on the whole receipt (the goods go back to the depositor)', { ...releaseParts, body: ReleaseBody }, releaseErrors),
    },
    async (request) => {
      const { pledge, receipt } = await pledges.release(request.user, request.params.id, request.body.reason);
      return pledgeView(pledge, receipt);
    },
  );

  app.delete(
    '/api/v1/pledges/:id',
    { onRequest: fastify.requireRole(...BANK_STAFF), schema: docs('Same as POST /pledges/{id}/release', releaseParts, releaseErrors) },
    async (request) => {
      const { pledge, receipt } = await pledges.release(request.user, request.params.id);
      return pledgeView(pledge, receipt);
    },
  );
};
