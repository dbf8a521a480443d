import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { Inspection, InspectionCount } from '../db/generated/client.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { InspectionService } from './inspection-service.ts';
import { NullableString, NullableTimestamp, Quantity, Timestamp, Uuid, UuidParams } from './wire.ts';

const CountView = Type.Object({
  lotId: Type.String(),
  counted: Quantity,
  verified: Type.Union([Type.String(), Type.Null()], { description: 'what the system vouched for, in the counted unit' }),
  variance: Type.Union([Type.String(), Type.Null()], { description: 'counted − verified' }),
  withinTolerance: Type.Boolean(),
  caseId: Type.Union([Uuid, Type.Null()]),
});

const InspectionView = Type.Object({
  id: Uuid,
  site: Type.String(),
  tenantId: Type.String({ description: 'the bank whose branch inspects' }),
  planDay: Type.String(),
  scheduledFor: Timestamp,
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('completed'), Type.Literal('missed')]),
  completedAt: NullableTimestamp,
  completedBy: NullableString,
  note: NullableString,
  counts: Type.Array(CountView),
  lots: Type.Array(Type.Object({ lotId: Type.String(), receiptNumber: Type.String(), unit: Type.String() }), { description: 'lots to count (while scheduled)' }),
});

function view(row: Inspection & { counts: InspectionCount[]; lots?: { lotId: string; receiptNumber: string; unit: string }[] }) {
  return {
    id: row.id,
    site: row.siteId,
    tenantId: row.tenantId,
    planDay: row.planDay.toISOString().slice(0, 10),
    scheduledFor: row.scheduledFor.toISOString(),
    status: row.status as 'scheduled' | 'completed' | 'missed',
    completedAt: row.completedAt?.toISOString() ?? null,
    completedBy: row.completedBy,
    note: row.note,
    counts: row.counts.map((c) => ({
      lotId: c.lotId,
      counted: { value: c.counted.toFixed(), unit: c.unit },
      verified: c.verified?.toFixed() ?? null,
      variance: c.variance?.toFixed() ?? null,
      withinTolerance: c.withinTolerance,
      caseId: c.caseId,
    })),
    lots: row.lots ?? [],
  };
}

/** Unannounced inspections: the bank's branch sees what to visit and records its counts. */
export const inspectionsPlugin: FastifyPluginAsync<{ inspections: InspectionService; now: () => Date }> = async (fastify, { inspections, now }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['inspections']);

  app.get(
    '/api/v1/inspections',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        "Inspections: a bank's own; an operator's sites once done",
        {
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('scheduled'), Type.Literal('completed'), Type.Literal('missed')])),
            site: Type.Optional(Id),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(InspectionView) }) },
        },
        [400],
      ),
    },
    async (request) => ({ items: (await inspections.list(request.user, request.query)).map(view) }),
  );

  app.post(
    '/api/v1/inspections',
    {
      onRequest: fastify.requireRole('risk_officer'),
      schema: docs(
        "Send the bank's branch to a warehouse where the bank holds receipts: an inspection outside the random draw",
        { body: Type.Object({ site: Id, scheduledFor: Type.Optional(Timestamp) }), response: { 201: InspectionView } },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const at = now();
      const scheduledFor = request.body.scheduledFor === undefined ? at : new Date(request.body.scheduledFor);
      return reply.status(201).send(view(await inspections.scheduleNow(request.user, { siteId: request.body.site, scheduledFor }, at)));
    },
  );

  app.get(
    '/api/v1/inspections/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One inspection; while scheduled, the lots to count (without figures: the branch counts blind)', { params: UuidParams, response: { 200: InspectionView } }, [404]),
    },
    async (request) => view(await inspections.get(request.user, request.params.id)),
  );

  app.post(
    '/api/v1/inspections/:id/counts',
    {
      onRequest: fastify.requireRole('branch_investigator', 'risk_officer', 'admin'),
      schema: docs(
        'Record what the branch counted per lot; a variance beyond tolerance opens a case',
        {
          params: UuidParams,
          body: Type.Object({
            counts: Type.Array(Type.Object({ lotId: Id, quantity: Quantity }), { minItems: 1, maxItems: 1000 }),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
          }),
          response: { 200: InspectionView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request) => view(await inspections.recordCounts(request.user, request.params.id, request.body, now())),
  );
};
