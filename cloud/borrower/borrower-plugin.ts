import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FacilityInterestPosting, PrismaClient } from '../db/generated/client.ts';
import { badRequest } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_STAFF, userActor } from '../risk/actor.ts';
import { FACILITY_READERS } from '../facilities/facilities-plugin.ts';
import type { FacilityService } from '../facilities/facility-service.ts';
import { facilityScope } from '../facilities/facility-service.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { CurrencyCode, DecimalString, IdParams, Timestamp, Uuid } from '../valuation/wire-schemas.ts';
import { createInterestPosting, dayCountOf, ledgerOf } from './interest-posting.ts';
import { buildStatement, statementCsv } from './statement.ts';
import { parseMonth } from './statement-month.ts';

export interface BorrowerPluginOptions {
  prisma: PrismaClient;
  facilities: FacilityService;
  now?: () => Date;
}

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'a calendar month, YYYY-MM (UTC)' });

const PostingView = Type.Object({
  id: Uuid,
  facilityId: Uuid,
  month: Type.String(),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date', description: 'exclusive' }),
  days: Type.Integer(),
  amount: DecimalString,
  amountExact: DecimalString,
  currency: CurrencyCode,
  annualRate: DecimalString,
  dayCount: Type.String(),
  postedAt: Timestamp,
  postedBy: Type.String(),
});

function postingView(row: FacilityInterestPosting) {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    id: row.id,
    facilityId: row.facilityId,
    month: day(row.periodStart).slice(0, 7),
    from: day(row.periodStart),
    to: day(row.periodEnd),
    days: row.days,
    amount: fromDb(row.amount),
    amountExact: fromDb(row.amountExact),
    currency: row.currency,
    annualRate: fromDb(row.annualRate),
    dayCount: row.dayCount,
    postedAt: row.postedAt.toISOString(),
    postedBy: row.postedBy,
  };
}

/**
 * Borrower self-service on top of the facilities domain: interest posted per month and
 * the monthly statement (JSON or CSV). Drawing, repaying and release requests are the
 * facilities' and release orders' own routes, open to the borrower for its facilities.
 */
export const borrowerPlugin: FastifyPluginAsync<BorrowerPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const now = options.now ?? (() => new Date());
  const docs = bearerRouteDocs(['facilities']);
  const postings = createInterestPosting({ prisma: options.prisma, now });

  const periodOf = (month: string) => {
    const period = parseMonth(month);
    if (period === undefined) throw badRequest(`${month} is not a month (YYYY-MM)`);
    return period;
  };

  app.get(
    '/api/v1/facilities/:id/interest/postings',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs('Interest posted month by month, newest first', { params: IdParams, response: { 200: Type.Object({ items: Type.Array(PostingView) }) } }, [400, 403, 404]),
    },
    async (request) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const rows = await options.prisma.facilityInterestPosting.findMany({ where: { facilityId: row.id }, orderBy: { periodStart: 'desc' } });
      return { items: rows.map(postingView) };
    },
  );

  app.post(
    '/api/v1/facilities/:id/interest/postings',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Post a completed month's interest (again: returns what was posted, 200)",
        {
          description: 'Accrued on the daily outstanding balance with the facility’s day count, rounded once half-even; 409 while the month is still running.',
          params: IdParams,
          body: Type.Object({ month: Month }),
          response: { 200: PostingView, 201: PostingView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const { posting, created } = await postings.post(row, periodOf(request.body.month), userActor(request.user));
      reply.code(created ? 201 : 200);
      return postingView(posting);
    },
  );

  app.post(
    '/api/v1/interest-postings/due',
    {
      onRequest: fastify.requireRole('lender', 'risk_officer', 'admin'),
      schema: docs(
        "Post every completed month not yet posted, for the caller's bank's facilities (all, for administrators)",
        { response: { 200: Type.Object({ posted: Type.Integer() }) } },
        [403],
      ),
    },
    async (request) => {
      const facilities = await options.prisma.facility.findMany({ where: facilityScope(request.user), orderBy: { createdAt: 'asc' } });
      return { posted: await postings.postDue(facilities, userActor(request.user)) };
    },
  );

  app.get(
    '/api/v1/facilities/:id/statements/:month',
    {
      onRequest: fastify.requireRole(...FACILITY_READERS),
      schema: docs(
        'The monthly statement: principal at start and end, drawings and repayments, and the interest of the month',
        {
          description: 'While the month runs, the interest is what has accrued up to and including today, and `partial` is true.',
          params: Type.Object({ id: IdParams.properties.id, month: Month }),
          querystring: Type.Object({ format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }) }),
          response: { 200: { description: 'the statement, as JSON or CSV', content: { 'application/json': { schema: Type.Record(Type.String(), Type.Unknown()) }, 'text/csv': { schema: Type.String() } } } },
        },
        [400, 403, 404],
      ),
    },
    async (request, reply) => {
      const row = await options.facilities.find(request.user, request.params.id);
      const period = periodOf(request.params.month);
      const posting = await options.prisma.facilityInterestPosting.findUnique({ where: { facilityId_periodStart: { facilityId: row.id, periodStart: period.from } } });
      const statement = buildStatement({
        facility: {
          id: row.id,
          reference: row.reference,
          borrower: { ref: row.borrowerRef, name: row.borrowerName },
          currency: row.currency,
          limit: fromDb(row.limitAmount),
          annualRate: fromDb(row.annualRate),
          dayCount: dayCountOf(row),
        },
        period,
        ledger: await ledgerOf(options.prisma, row.id),
        posting: posting === null ? null : { amount: fromDb(posting.amount), postedAt: posting.postedAt },
        now: now(),
      });
      if (request.query.format === 'json') return reply.type('application/json').send({ ...statement });
      const name = `statement-${row.reference}-${period.month}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(statementCsv(statement));
    },
  );
};
