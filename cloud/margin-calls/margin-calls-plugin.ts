import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from '../auth/principal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { facilityVisible } from '../facilities/facility-service.ts';
import { thresholdsOf } from '../facilities/facility-row.ts';
import { assessLtv } from '../facilities/ltv.ts';
import { MarginCallView, marginCallView } from '../facilities/facility-views.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_READERS, userActor } from '../risk/actor.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Uuid } from '../valuation/wire-schemas.ts';
import { partyOf, stageOf } from './margin-call-stage.ts';

export interface MarginCallsPluginOptions {
  prisma: PrismaClient;
  bus: DomainEventBus;
  now: () => Date;
}

const READERS = [...BANK_READERS, 'borrower'] as const;

const WorkflowView = Type.Object({
  call: MarginCallView,
  stage: Type.Union([Type.Literal('issued'), Type.Literal('acknowledged'), Type.Literal('cured'), Type.Literal('expired'), Type.Literal('liquidated')]),
  facility: Type.Object({ id: Type.String(), reference: Type.String(), currency: Type.String(), outstanding: Type.String(), lendingValue: Type.String(), ltv: Type.Union([Type.String(), Type.Null()]) }),
  cure: Type.Union([Type.Object({ targetBelow: Type.String(), repayment: Type.String(), additionalLendingValue: Type.String() }), Type.Null()]),
  acknowledgements: Type.Array(Type.Object({ party: Type.String(), userId: Type.String(), at: Type.String(), note: Type.Union([Type.String(), Type.Null()]) })),
});

/** Margin calls as a workflow both sides follow: read with what cures them, and acknowledged. */
export const marginCallsPlugin: FastifyPluginAsync<MarginCallsPluginOptions> = async (fastify, { prisma, bus, now }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['risk']);

  async function load(principal: Principal, id: string) {
    const call = await prisma.marginCall.findUnique({ where: { id } });
    const facility = call === null ? null : await prisma.facility.findUnique({ where: { id: call.facilityId } });
    // Another bank's or another borrower's call is not found, as if it did not exist.
    if (call === null || !facilityVisible(principal, facility)) throw notFound(`margin call ${id}`);
    return { call, facility };
  }

  async function view(principal: Principal, id: string) {
    const { call, facility } = await load(principal, id);
    const acks = await prisma.marginCallAck.findMany({ where: { marginCallId: id }, orderBy: { at: 'asc' } });
    const ltv = assessLtv({ currency: facility.currency, outstanding: fromDb(facility.outstanding), lendingValue: fromDb(facility.lendingValue), thresholds: thresholdsOf(facility) });
    return {
      call: marginCallView(call),
      stage: stageOf(call.status, acks.map((a) => a.party)),
      facility: { id: facility.id, reference: facility.reference, currency: facility.currency, outstanding: ltv.outstanding, lendingValue: ltv.lendingValue, ltv: ltv.ltv },
      cure: call.status === 'open' ? ltv.cure : null,
      acknowledgements: acks.map((a) => ({ party: a.party, userId: a.userId, at: a.at.toISOString(), note: a.note })),
    };
  }

  app.get(
    '/api/v1/margin-calls/:id',
    {
      onRequest: fastify.requireRole(...READERS),
      schema: docs('A margin call with its stage, what cures it now, and who acknowledged it (lender and borrower)', { params: Type.Object({ id: Uuid }), response: { 200: WorkflowView } }, [400, 403, 404]),
    },
    async (request) => view(request.user, request.params.id),
  );

  app.post(
    '/api/v1/margin-calls/:id/acknowledge',
    {
      onRequest: fastify.requireRole('lender', 'risk_officer', 'borrower'),
      schema: docs(
        'Acknowledge a margin call: the borrower confirms it received the call (issued → acknowledged); the lender that it followed it up',
        { params: Type.Object({ id: Uuid }), body: Type.Union([Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }), Type.Null()]), response: { 200: WorkflowView } },
        [400, 403, 404, 409],
      ),
    },
    async (request) => {
      const party = partyOf(request.user.role);
      if (party === undefined) throw new AppError('forbidden', 'only the lender and the borrower acknowledge margin calls');
      const { call, facility } = await load(request.user, request.params.id);
      if (call.status !== 'open') throw conflict(`the margin call is ${call.status}`, { status: call.status });
      const at = now();
      const note = request.body?.note ?? null;
      await inUnitOfWork({ prisma }, async (tx) => {
        const existing = await tx.marginCallAck.findUnique({ where: { marginCallId_party: { marginCallId: call.id, party } } });
        if (existing !== null) throw conflict(`the ${party} acknowledged this margin call already`);
        await tx.marginCallAck.create({ data: { marginCallId: call.id, party, userId: request.user.userId, note, at } });
        await appendAudit(tx, { actor: userActor(request.user), action: 'margin_call.acknowledged', entityType: 'margin_call', entityId: call.id, tenantId: facility.bankTenantId, before: null, after: { party, note }, at });
      });
      bus.emit('collateral.changed', { tenantId: facility.bankTenantId, facilityId: facility.id, receiptId: null, reason: 'margin_call.acknowledged', detail: { marginCallId: call.id, party } });
      return view(request.user, call.id);
    },
  );
};
