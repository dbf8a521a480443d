import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/principal.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { MarginCallView, marginCallView } from '../facilities/facility-views.ts';
import { Uuid } from '../valuation/wire-schemas.ts';
import { BANK_READERS } from './actor.ts';
import type { RiskSweep } from './risk-sweep.ts';

export interface RiskPluginOptions {
  prisma: PrismaClient;
  sweep: RiskSweep;
}

export const riskPlugin: FastifyPluginAsync<RiskPluginOptions> = async (fastify, { prisma, sweep }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['risk']);

  app.get(
    '/api/v1/margin-calls',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs(
        "The bank's margin calls, newest first",
        {
          description:
            'A margin call opens when a facility LTV (outstanding / lending value) reaches its margin-call threshold, is ' +
            'due after the cure period, is cured by repayment or more collateral once the LTV is below the warning ' +
            'threshold, and expires (freezing drawings, collateral eligible for liquidation) when due uncured.',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('cured'), Type.Literal('expired'), Type.Literal('liquidated')])),
            facilityId: Type.Optional(Uuid),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(MarginCallView) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const q = request.query;
      const rows = await prisma.marginCall.findMany({
        where: { ...(tenant === undefined ? {} : { bankTenantId: tenant }), ...(q.status ? { status: q.status } : {}), ...(q.facilityId ? { facilityId: q.facilityId } : {}) },
        orderBy: { openedAt: 'desc' },
        take: q.limit,
      });
      return { items: rows.map(marginCallView) };
    },
  );

  app.post(
    '/api/v1/risk/sweep',
    {
      onRequest: fastify.requireRole('admin', 'risk_officer'),
      schema: docs(
        'Run the time-driven risk checks now (they also run on a timer)',
        {
          description:
            "Calls pledged receipts past their validity, expires margin calls past their due time and freezes their facilities: the caller's bank's " +
            'only; administrators sweep every bank.',
          response: { 200: Type.Object({ at: Type.String(), receiptsCalled: Type.Integer(), marginCallsExpired: Type.Integer(), facilitiesFrozen: Type.Integer() }) },
        },
        [403],
      ),
    },
    async (request) => sweep({ bankTenantId: tenantScope(request.user) }),
  );
};
