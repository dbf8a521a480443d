import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import { notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_STAFF } from '../risk/actor.ts';
import { IdParams, Quantity, Timestamp, Uuid } from '../valuation/wire-schemas.ts';
import { borrowerReleaseOrderWhere } from '../borrower/borrower-scope.ts';
import { canSeeOrder, type ReleaseOrderService } from './release-order-service.ts';
import { RELEASE_ORDER_STATUSES, ReleaseOrderView, releaseOrderView } from './release-order-views.ts';

export interface ReleaseOrdersPluginOptions {
  prisma: PrismaClient;
  releaseOrders: ReleaseOrderService;
}

const Decision = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) });

export const releaseOrdersPlugin: FastifyPluginAsync<ReleaseOrdersPluginOptions> = async (fastify, { prisma, releaseOrders }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['release-orders']);

  app.post(
    '/api/v1/release-orders',
    {
      onRequest: fastify.requireRole('warehouse_operator', ...BANK_STAFF, 'borrower'),
      schema: docs(
        'Ask the lender to let goods leave a pledged lot: all of it, some items, or a quantity (the borrower for receipts under its facilities)',
        {
          body: Type.Object({
            receiptId: Uuid,
            all: Type.Optional(Type.Boolean()),
            epcs: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 124 }), { maxItems: 100_000 })),
            quantity: Type.Optional(Quantity),
            validFrom: Type.Optional(Timestamp),
            validUntil: Type.Optional(Timestamp),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          }),
          response: { 201: ReleaseOrderView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      const order = await releaseOrders.request(request.user, {
        ...body,
        validFrom: body.validFrom === undefined ? undefined : new Date(body.validFrom),
        validUntil: body.validUntil === undefined ? undefined : new Date(body.validUntil),
      });
      reply.code(201);
      return releaseOrderView(order);
    },
  );

  app.get(
    '/api/v1/release-orders',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Release orders of your receipts, newest first',
        {
          querystring: Type.Object({
            status: Type.Optional(Type.Enum([...RELEASE_ORDER_STATUSES])),
            receiptId: Type.Optional(Uuid),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(ReleaseOrderView) }) },
        },
        [400],
      ),
    },
    async (request) => {
      const { user } = request;
      const scope: Prisma.ReleaseOrderWhereInput =
        user.role === 'admin'
          ? {}
          : user.role === 'warehouse_operator'
            ? { issuerTenantId: user.tenantId }
            : user.role === 'borrower'
              ? borrowerReleaseOrderWhere(user.tenantId)
              : { bankTenantId: user.tenantId };
      const rows = await prisma.releaseOrder.findMany({
        where: { ...scope, ...(request.query.status ? { status: request.query.status } : {}), ...(request.query.receiptId ? { receiptId: request.query.receiptId } : {}) },
        orderBy: { requestedAt: 'desc' },
        take: request.query.limit,
      });
      return { items: rows.map(releaseOrderView) };
    },
  );

  app.get(
    '/api/v1/release-orders/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One release order', { params: IdParams, response: { 200: ReleaseOrderView } }, [400, 404]),
    },
    async (request) => {
      const { user } = request;
      const row =
        user.role === 'borrower'
          ? await prisma.releaseOrder.findFirst({ where: { id: request.params.id, ...borrowerReleaseOrderWhere(user.tenantId) } })
          : await prisma.releaseOrder.findUnique({ where: { id: request.params.id } });
      if (row === null || (user.role !== 'borrower' && !canSeeOrder(user, row))) throw notFound(`release order ${request.params.id}`);
      return releaseOrderView(row);
    },
  );

  app.post(
    '/api/v1/release-orders/:id/approve',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Consent to the release: the receipt is reduced (or released in full) and the gateway's manifest expects the movement",
        {
          description: 'Refused with 422 when the remaining collateral would not cover what is outstanding on the facility.',
          params: IdParams,
          body: Decision,
          response: { 200: ReleaseOrderView },
        },
        [400, 403, 404, 409, 422],
      ),
    },
    async (request) => releaseOrderView(await releaseOrders.approve(request.user, request.params.id, request.body.note)),
  );

  app.post(
    '/api/v1/release-orders/:id/refuse',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs('Refuse the release', { params: IdParams, body: Decision, response: { 200: ReleaseOrderView } }, [400, 403, 404, 409]),
    },
    async (request) => releaseOrderView(await releaseOrders.refuse(request.user, request.params.id, request.body.note)),
  );

  app.post(
    '/api/v1/release-orders/:id/complete',
    {
      onRequest: fastify.requireRole('warehouse_operator'),
      schema: docs('Confirm the approved goods left the warehouse', { params: IdParams, response: { 200: ReleaseOrderView } }, [400, 403, 404, 409]),
    },
    async (request) => releaseOrderView(await releaseOrders.complete(request.user, request.params.id)),
  );
};
