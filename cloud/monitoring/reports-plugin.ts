import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import type { CollateralLookup } from './collateral-lookup.ts';
import { buildDailyReport, type DailyReport } from './daily-report.ts';
import { reportCsv } from './report-csv.ts';
import type { ReportData } from './report-data.ts';
import { DailyReportView } from './report-views.ts';
import { Uuid } from './wire.ts';
import { addDays, dayBounds, isCalendarDay, localDay } from './zoned-day.ts';

export interface ReportsPluginOptions {
  prisma: PrismaClient;
  directory: TenantDirectory;
  collateral: CollateralLookup;
  data: ReportData;
  now: () => Date;
}

const ReportQuery = Type.Object({
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "the calendar day (YYYY-MM-DD); yesterday when left out" })),
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
});

const response = {
  200: {
    description: 'the report, as JSON or as CSV (one row per lot)',
    content: { 'application/json': { schema: DailyReportView }, 'text/csv': { schema: Type.String() } },
  },
};
const errors = [400, 403, 404];

/**
 * Routine monitoring: the daily stock, movement and variance report per warehouse (in
 * the site's time zone) and per facility (UTC days, as a facility spans warehouses).
 */
const FIRST_REPORT_DAY = '1970-01-01';
const LAST_REPORT_DAY = '2999-12-31';

export const reportsPlugin: FastifyPluginAsync<ReportsPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { prisma, directory, collateral, data, now } = options;
  const docs = bearerRouteDocs(['monitoring']);

  const pickDay = (date: string | undefined, timeZone: string): string => {
    if (date === undefined) return addDays(localDay(now(), timeZone), -1);
    if (!isCalendarDay(date)) throw badRequest(`${date} is not a calendar day`);
    // Dates far outside any warehouse's life (9999-12-31's next day has no ISO form) are bad input.
    if (date < FIRST_REPORT_DAY || date > LAST_REPORT_DAY) throw badRequest(`date must be between ${FIRST_REPORT_DAY} and ${LAST_REPORT_DAY}`);
    return date;
  };

  const send = (reply: FastifyReply, report: DailyReport, format: 'json' | 'csv') => {
    if (format === 'json') return reply.type('application/json').send(report);
    const name = `daily-${report.kind}-${report.subject}-${report.date}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reportCsv(report));
  };

  app.get(
    '/api/v1/reports/sites/:id/daily',
    {
      onRequest: fastify.requireRole(),
      schema: docs("A warehouse's daily stock, movement and variance report (a bank sees its own lots)", { params: Type.Object({ id: Id }), querystring: ReportQuery, response }, errors),
    },
    async (request, reply) => {
      const site = await prisma.site.findUnique({ where: { id: request.params.id } });
      const visibility = await directory.visibilityFor(request.user);
      const whole = visibility.kind === 'all' || visibility.wholeSites.includes(request.params.id);
      const lots = whole ? 'all' : visibility.lots.get(request.params.id);
      if (site === null || lots === undefined) throw notFound(`site ${request.params.id}`);
      const date = pickDay(request.query.date, site.timezone);
      const { from, to } = dayBounds(date, site.timezone);
      const bank = whole ? undefined : request.user.tenantId;
      const receipts = await collateral.receiptsAtSite(site.id, bank);
      const facts = await data.siteFacts(site.id, from, to, receipts, lots);
      return send(reply, buildDailyReport({ kind: 'site', subject: site.id, date, timezone: site.timezone, from, to, generatedAt: now(), lots: facts }), request.query.format);
    },
  );

  app.get(
    '/api/v1/reports/facilities/:id/daily',
    {
      onRequest: fastify.requireRole('lender', 'risk_officer', 'branch_investigator', 'admin'),
      schema: docs("A facility's daily report over the lots pledged to it (UTC day)", { params: Type.Object({ id: Uuid }), querystring: ReportQuery, response }, errors),
    },
    async (request, reply) => {
      const facility = await collateral.facility(request.params.id);
      if (facility === null || (request.user.role !== 'admin' && facility.bankTenantId !== request.user.tenantId)) throw notFound(`facility ${request.params.id}`);
      const date = pickDay(request.query.date, 'UTC');
      const { from, to } = dayBounds(date, 'UTC');
      const receipts = await collateral.facilityReceipts(facility.id);
      const sites = [...new Set(receipts.map((r) => r.site))];
      const facts = (
        await Promise.all(
          sites.map((site) => {
            const onSite = receipts.filter((r) => r.site === site);
            return data.siteFacts(site, from, to, onSite, onSite.map((r) => r.lotId));
          }),
        )
      ).flat();
      return send(reply, buildDailyReport({ kind: 'facility', subject: facility.reference, date, timezone: 'UTC', from, to, generatedAt: now(), lots: facts }), request.query.format);
    },
  );
};
