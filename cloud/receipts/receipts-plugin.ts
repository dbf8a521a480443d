import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PrismaClient, Prisma } from '../db/generated/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { Id } from '../../protocol/schemas/common.ts';
import { BANK_STAFF } from '../risk/actor.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { CommodityCode, DecimalString, IdParams, Money, Quantity, Timestamp } from '../valuation/wire-schemas.ts';
import { receiptViewOf, receiptViews } from './receipt-details.ts';
import { forViewer, receiptScope } from './receipt-scope.ts';
import type { ReceiptService } from './receipt-service.ts';
import { RECEIPT_STATUSES } from './receipt-state.ts';
import { ReceiptView } from './receipt-views.ts';

export interface ReceiptsPluginOptions {
  prisma: PrismaClient;
  receipts: ReceiptService;
}

const IssueBody = Type.Object({
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the issuer's receipt number; generated (EWR-yyyy-nnnnnn) when left out" })),
  siteId: Id,
  zone: Type.String({ minLength: 1, maxLength: 128 }),
  lotId: Id,
  commodity: CommodityCode,
  grade: Type.String({ minLength: 1, maxLength: 64 }),
  gradeFactor: Type.Optional(DecimalString),
  sensorConditionFactor: Type.Optional(DecimalString),
  shrinkageRate: Type.Optional(DecimalString),
  quantity: Quantity,
  epcs: Type.Array(Type.String({ minLength: 1, maxLength: 124 }), { maxItems: 100_000, description: "hex EPCs of the lot's items (the lot's EPC manifest)" }),
  depositor: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 128 }), name: Type.String({ minLength: 1, maxLength: 256 }) }),
  validFrom: Type.Optional(Timestamp),
  validUntil: Timestamp,
});

const ListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...RECEIPT_STATUSES])),
  siteId: Type.Optional(Id),
  lotId: Type.Optional(Id),
  commodity: Type.Optional(CommodityCode),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

const Note = Type.Optional(Type.String({ maxLength: 1000 }));

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw badRequest('cursor is not valid');
  return { createdAt, id };
}

export const receiptsPlugin: FastifyPluginAsync<ReceiptsPluginOptions> = async (fastify, { prisma, receipts }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['receipts']);

  app.post(
    '/api/v1/receipts',
    {
      onRequest: fastify.requireRole('warehouse_operator'),
      schema: docs(
        'Issue an electronic warehouse receipt for a lot at one of your sites',
        {
          description:
            'Refused with 409 naming the receipt already standing for the goods when the lot, or any of its EPCs, backs ' +
            'another active (issued, pledged or called) receipt; the database enforces this with partial unique indexes.',
          body: IssueBody,
          response: { 201: ReceiptView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      const receipt = await receipts.issue(request.user, {
        ...body,
        validFrom: body.validFrom === undefined ? undefined : new Date(body.validFrom),
        validUntil: new Date(body.validUntil),
      });
      reply.code(201);
      return receiptViewOf(prisma, receipt);
    },
  );

  app.get(
    '/api/v1/receipts',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Receipts you may see, newest first',
        {
          description: 'Warehouse operators see the receipts they issued; banks the receipts pledged to them.',
          querystring: ListQuery,
          response: { 200: Type.Object({ items: Type.Array(ReceiptView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
        },
        [400],
      ),
    },
    async (request) => {
      const q = request.query;
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const where: Prisma.ReceiptWhereInput = {
        ...receiptScope(request.user),
        ...(q.status ? { status: q.status } : {}),
        ...(q.siteId ? { siteId: q.siteId } : {}),
        ...(q.lotId ? { lotId: q.lotId } : {}),
        ...(q.commodity ? { commodity: normaliseCommodity(q.commodity) ?? q.commodity } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      };
      const rows = await prisma.receipt.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit });
      const last = rows.at(-1);
      return {
        items: (await receiptViews(prisma, rows)).map((view) => forViewer(request.user, view)),
        nextCursor: rows.length === q.limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null,
      };
    },
  );

  app.get(
    '/api/v1/receipts/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One receipt with its pledge and current valuation', { params: IdParams, response: { 200: ReceiptView } }, [400, 404]),
    },
    async (request) => {
      const row = await prisma.receipt.findFirst({ where: { id: request.params.id, ...receiptScope(request.user) } });
      if (row === null) throw notFound(`receipt ${request.params.id}`);
      return forViewer(request.user, await receiptViewOf(prisma, row));
    },
  );

  app.get(
    '/api/v1/receipts/:id/epcs',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'The items (uppercase hex EPCs) the receipt stands for; released ones with includeReleased',
        {
          params: IdParams,
          querystring: Type.Object({ includeReleased: Type.Boolean({ default: false }) }),
          response: {
            200: Type.Object({ items: Type.Array(Type.Object({ epc: Type.String(), active: Type.Boolean(), releaseOrderId: Type.Union([Type.String(), Type.Null()]) })) }),
          },
        },
        [400, 404],
      ),
    },
    async (request) => {
      const row = await prisma.receipt.findFirst({ where: { id: request.params.id, ...receiptScope(request.user) } });
      if (row === null) throw notFound(`receipt ${request.params.id}`);
      const items = await prisma.receiptItem.findMany({
        where: { receiptId: row.id, ...(request.query.includeReleased ? {} : { active: true }) },
        orderBy: { epc: 'asc' },
      });
      return { items: items.map((i) => ({ epc: i.epc, active: i.active, releaseOrderId: i.releaseOrderId })) };
    },
  );

  app.post(
    '/api/v1/receipts/:id/cancel',
    {
      onRequest: fastify.requireRole('warehouse_operator'),
      schema: docs(
        'Cancel an issued, unpledged receipt (frees its lot and items)',
        { params: IdParams, body: Type.Object({ reason: Note }), response: { 200: ReceiptView } },
        [400, 403, 404, 409],
      ),
    },
    async (request) => receiptViewOf(prisma, await receipts.cancel(request.user, request.params.id, request.body.reason)),
  );

  app.post(
    '/api/v1/receipts/:id/call',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        'Call a pledged receipt (expiry, default or unmet margin call); the goods are held for sale',
        {
          description: 'Pledged receipts past their validity are called automatically (reason expiry) by the risk sweep.',
          params: IdParams,
          body: Type.Object({ reason: Type.Union([Type.Literal('expiry'), Type.Literal('default'), Type.Literal('margin_call')]), note: Note }),
          response: { 200: ReceiptView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request) => receiptViewOf(prisma, await receipts.call(request.user, request.params.id, request.body.reason, request.body.note)),
  );

  app.post(
    '/api/v1/receipts/:id/liquidate',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        'Record the sale of called goods with its proceeds; proceeds in the facility currency repay the facility',
        { params: IdParams, body: Type.Object({ proceeds: Money, note: Note }), response: { 200: ReceiptView } },
        [400, 403, 404, 409],
      ),
    },
    async (request) => receiptViewOf(prisma, await receipts.liquidate(request.user, request.params.id, request.body.proceeds, request.body.note)),
  );

  app.post(
    '/api/v1/receipts/:id/condition',
    {
      onRequest: fastify.requireRole('warehouse_operator', 'risk_officer'),
      schema: docs(
        'Set the grade factor or the sensor condition factor of a receipt; a pledged receipt is revalued',
        {
          params: IdParams,
          description:
            "A sensor condition factor set here overrides the gateway's lot.condition reports until followGateway: true hands it back " +
            "(the factor then returns to the gateway's latest). Audited either way.",
          body: Type.Object({ gradeFactor: Type.Optional(DecimalString), sensorConditionFactor: Type.Optional(DecimalString), followGateway: Type.Optional(Type.Boolean()), note: Note }),
          response: { 200: ReceiptView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request) => receiptViewOf(prisma, await receipts.setCondition(request.user, request.params.id, request.body)),
  );
};

