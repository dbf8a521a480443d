import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../db/generated/client.ts';
import { badRequest } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_READERS, BANK_STAFF } from '../risk/actor.ts';
import { COMMODITY_CLASSES } from '../valuation/commodity-classes.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec, toPlain } from '../valuation/decimal.ts';
import { CurrencyCode, DecimalString, IdParams, Money, Timestamp } from '../valuation/wire-schemas.ts';
import { accrueInterest } from './interest.ts';
import type { FacilityService } from './facility-service.ts';
import { CollateralLineView, FacilityView, LedgerEntryView, MarginCallView, facilityView, ledgerEntryView, marginCallView } from './facility-views.ts';
import { FacilityValuationView } from './facility-valuation.ts';
import { createFacilitiesRepository } from './facilities-repository.ts';

export interface FacilitiesPluginOptions {
  prisma: PrismaClient;
  facilities: FacilityService;
  now?: () => Date;
}

// Borrowers read their own facilities (facilityScope) and draw and repay on them.
export const FACILITY_READERS = [...BANK_READERS, 'borrower'] as const;
const FACILITY_MOVERS = [...BANK_STAFF, 'borrower'] as const;

const Fraction = DecimalString;
const ClassRates = Type.Partial(Type.Object(Object.fromEntries(Object.keys(COMMODITY_CLASSES).map((c) => [c, Fraction]))), {
  description: 'advance rate per commodity class, within the class range; classes left out use the class default',
});
const ConcentrationLimit = Type.Object({ maxShare: Fraction, reserveRate: Fraction });

const CreateFacilityBody = Type.Object({
  reference: Type.String({ minLength: 1, maxLength: 64, description: 'contract reference, unique per bank' }),
  borrower: Type.Object({
    ref: Type.String({ minLength: 1, maxLength: 128 }),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the borrower's own tenant (kind borrower), whose users then see the facility" })),
  }),
  limit: Money,
  validFrom: Timestamp,
  validUntil: Timestamp,
  annualRate: Type.String({ pattern: '^\\d+(\\.\\d+)?$', description: 'nominal annual rate as a fraction (0.085 = 8.5 %)' }),
  dayCount: Type.Optional(Type.Union([Type.Literal('ACT/360'), Type.Literal('ACT/365F')], { description: 'default ACT/360' })),
  advanceRates: Type.Optional(ClassRates),
  ltvThresholds: Type.Optional(Type.Object({ warning: Fraction, marginCall: Fraction, liquidation: Fraction }, { description: 'default 0.80 / 0.85 / 0.90' })),
  curePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 * 86_400, description: 'margin-call cure period; default 2 days' })),
  concentration: Type.Optional(Type.Object({ commodity: Type.Optional(ConcentrationLimit), warehouse: Type.Optional(ConcentrationLimit) })),
});

const MovementBody = Type.Object({ amount: Money, note: Type.Optional(Type.String({ maxLength: 500 })) });
const MovementResponse = Type.Object({ entry: LedgerEntryView, facility: FacilityView });

const InterestView = Type.Object({
  currency: CurrencyCode,
  annualRate: DecimalString,
  dayCount: Type.String(),
  from: Type.String(),
  to: Type.String(),
  days: Type.Integer(),
  openingBalance: DecimalString,
  closingBalance: DecimalString,
  segments: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), days: Type.Integer(), balance: DecimalString, interest: DecimalString })),
  interestExact: DecimalString,
  interest: Money,
  rounding: Type.String(),
});

export const facilitiesPlugin: FastifyPluginAsync<FacilitiesPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const now = options.now ?? (() => new Date());
  const docs = bearerRouteDocs(['facilities']);
  // Margin calls and freeze holds are listed under risk as well.
  const riskDocs = bearerRouteDocs(['facilities', 'risk']);

  const repository = createFacilitiesRepository(options.prisma);
  const pendingCall = (facilityId: string) => repository.pendingCall(facilityId);

  app.post(
    '/api/v1/facilities',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Open a revolving receipt-financing facility for one of the bank's borrowers",
        {
          description:
            'available = min(limit, Σ lending value × advance rate of the pledged receipts) − outstanding. Advance-rate ' +
            'defaults per class: precious metals 0.85, base metals 0.70, agricultural bulk 0.65, softs 0.60, fuels 0.60, ' +
            'other 0.40 (cloud/valuation/commodity-classes.ts). Interest accrues on the daily outstanding balance, ACT/360 ' +
            'unless ACT/365F is chosen.',
          body: CreateFacilityBody,
          response: { 201: FacilityView },
        },
        [400, 403, 409],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      const row = await options.facilities.create(request.user, {
        ...body,
        validFrom: new Date(body.validFrom),
        validUntil: new Date(body.validUntil),
        advanceRates: body.advanceRates as Record<string, string> | undefined,
      });
      reply.code(201);
      return facilityView(row, null, now());
    },
  );

  app.get(
    '/api/v1/facilities',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs(
        "The bank's facilities with their current availability and LTV",
        {
          querystring: Type.Object({ borrowerRef: Type.Optional(Type.String({ maxLength: 128 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
          response: { 200: Type.Object({ items: Type.Array(FacilityView) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const rows = await repository.list(request.user, { borrowerRef: request.query.borrowerRef, limit: request.query.limit });
      return { items: rows.map((r) => facilityView(r.facility, r.pendingCall, now())) };
    },
  );

  app.get(
    '/api/v1/facilities/:id',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs(
        'A facility with availability, LTV, freeze holds, pending margin call and its collateral line by line',
        { params: IdParams, response: { 200: Type.Intersect([FacilityView, Type.Object({ collateral: Type.Array(CollateralLineView) })]) } },
        [400, 403, 404],
      ),
    },
    async (request) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const lines = await repository.collateralLines(row.id);
      return {
        ...facilityView(row, await pendingCall(row.id), now()),
        collateral: lines.map((l) => ({
          pledgeId: l.pledgeId,
          receiptId: l.receiptId,
          receiptNumber: l.receipt.number,
          siteId: l.receipt.siteId,
          lotId: l.receipt.lotId,
          commodity: l.commodity,
          verifiedQuantity: { value: fromDb(l.receipt.verifiedQuantity), unit: l.receipt.unit },
          price: l.price === null || l.priceUnit === null ? null : { amount: fromDb(l.price), currency: l.currency, unit: l.priceUnit },
          haircut: l.haircut === null ? null : fromDb(l.haircut),
          fx: l.priceCurrency === null || l.fxRate === null ? null : { from: l.priceCurrency, rate: fromDb(l.fxRate) },
          collateralValue: fromDb(l.collateralValue),
          concentrationReserve: fromDb(l.concentrationReserve),
          lendingValue: fromDb(l.lendingValue),
          advanceRate: fromDb(l.advanceRate),
          advanceValue: toPlain(new Dec(fromDb(l.lendingValue)).times(fromDb(l.advanceRate))),
          problem: l.problem,
          valuedAt: l.valuedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get(
    '/api/v1/facilities/:id/valuation',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs(
        "The facility's collateral valued receipt by receipt with every intermediate figure",
        {
          description:
            'value = verified quantity × price × grade factor × sensor condition factor, less shrinkage and concentration ' +
            'reserves; haircut = min(cap, max(floor, z·σ_daily·√liquidationDays)); lending value = value × (1 − haircut).',
          params: IdParams,
          response: { 200: FacilityValuationView },
        },
        [400, 403, 404],
      ),
    },
    async (request) => repository.valuation(await options.facilities.find(request.user, request.params.id)),
  );

  app.put(
    '/api/v1/facilities/:id/borrower-tenant',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Link the facility to its borrower's tenant, whose users then see it and may draw and repay (null unlinks)",
        {
          params: IdParams,
          body: Type.Object({ tenantId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) }),
          response: { 200: FacilityView },
        },
        [400, 403, 404],
      ),
    },
    async (request) => {
      const row = await options.facilities.linkBorrower(request.user, request.params.id, request.body.tenantId);
      return facilityView(row, await pendingCall(row.id), now());
    },
  );

  app.post(
    '/api/v1/facilities/:id/drawdowns',
    {
      onRequest: fastify.requireRole(...FACILITY_MOVERS),
      schema: docs(
        'Draw on the facility',
        {
          description: 'Refused with 422 when the amount exceeds what is available, or the facility is frozen, expired or not yet valid; details.code says which.',
          params: IdParams,
          body: MovementBody,
          response: { 201: MovementResponse },
        },
        [400, 403, 404, 422],
      ),
    },
    async (request, reply) => {
      const { entry, facility } = await options.facilities.drawdown(request.user, request.params.id, request.body.amount, request.body.note);
      reply.code(201);
      return { entry: ledgerEntryView(entry), facility: facilityView(facility, await pendingCall(facility.id), now()) };
    },
  );

  app.post(
    '/api/v1/facilities/:id/repayments',
    {
      onRequest: fastify.requireRole(...FACILITY_MOVERS),
      schema: docs(
        'Repay (any time, frozen or not); cures a margin call once the LTV falls below the warning level',
        { params: IdParams, body: MovementBody, response: { 201: MovementResponse } },
        [400, 403, 404, 422],
      ),
    },
    async (request, reply) => {
      const { entry, facility } = await options.facilities.repay(request.user, request.params.id, request.body.amount, request.body.note);
      reply.code(201);
      return { entry: ledgerEntryView(entry), facility: facilityView(facility, await pendingCall(facility.id), now()) };
    },
  );

  app.get(
    '/api/v1/facilities/:id/ledger',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs('Drawdowns and repayments, oldest first', { params: IdParams, response: { 200: Type.Object({ items: Type.Array(LedgerEntryView) }) } }, [400, 403, 404]),
    },
    async (request) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const entries = await repository.ledger(row.id);
      return { items: entries.map(ledgerEntryView) };
    },
  );

  app.get(
    '/api/v1/facilities/:id/interest',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs(
        'Interest accrued on the daily outstanding balance over [from, to)',
        {
          description:
            'A day accrues on its closing balance: money drawn on day D accrues from D, money repaid on D stops on D. ' +
            "UTC days; the facility's day count (ACT/360 by default); the period total rounded once, half-even.",
          params: IdParams,
          querystring: Type.Object({
            from: Type.Optional(Type.String({ format: 'date', description: 'default: the facility start' })),
            to: Type.Optional(Type.String({ format: 'date', description: 'exclusive; default: today' })),
          }),
          response: { 200: InterestView },
        },
        [400, 403, 404],
      ),
    },
    async (request) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const from = request.query.from === undefined ? row.validFrom : new Date(`${request.query.from}T00:00:00Z`);
      const to = request.query.to === undefined ? now() : new Date(`${request.query.to}T00:00:00Z`);
      if (to.getTime() < from.getTime()) throw badRequest('to is before from');
      const ledger = await repository.ledger(row.id);
      const accrual = accrueInterest({
        currency: row.currency,
        annualRate: fromDb(row.annualRate),
        dayCount: row.dayCount === 'ACT/365F' ? 'ACT/365F' : 'ACT/360',
        from,
        to,
        ledger: ledger.map((e) => ({ at: e.at, kind: e.kind as 'drawdown' | 'repayment', amount: fromDb(e.amount) })),
      });
      return { ...accrual, segments: [...accrual.segments], interest: { amount: accrual.interest, currency: row.currency } };
    },
  );

  app.get(
    '/api/v1/facilities/:id/margin-calls',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: riskDocs("The facility's margin calls, newest first", { params: IdParams, response: { 200: Type.Object({ items: Type.Array(MarginCallView) }) } }, [400, 403, 404]),
    },
    async (request) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const calls = await repository.marginCalls(row.id);
      return { items: calls.map(marginCallView) };
    },
  );

  app.post(
    '/api/v1/facilities/:id/holds/:holdId/resolve',
    {
      onRequest: fastify.requireRole('risk_officer'),
      schema: riskDocs(
        'Lift a freeze hold with the decision of a case',
        {
          description: "Holds opened by a suspect or breached lot are also lifted when the alerts workflow resolves the lot's case (case.resolved).",
          params: Type.Object({ id: IdParams.properties.id, holdId: Type.String({ minLength: 1, maxLength: 256 }) }),
          body: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 128 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }),
          response: { 200: FacilityView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request) => {
      const row = await options.facilities.resolveHold(request.user, request.params.id, request.params.holdId, request.body);
      return facilityView(row, await pendingCall(row.id), now());
    },
  );
};
