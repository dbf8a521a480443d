import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/principal.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { DailyReport } from '../monitoring/daily-report.ts';
import { reportCsv } from '../monitoring/report-csv.ts';
import { BANK_READERS } from '../risk/actor.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { CUTOFF_PATTERN, cutoffMinutes, cutoffText } from './cutoff-time.ts';
import { reportHtml } from './report-html.ts';

const Summary = Type.Object({
  id: Type.String(),
  site: Type.String(),
  day: Type.String(),
  generatedAt: Type.String(),
  lots: Type.Integer(),
  lotsWithVariance: Type.Integer(),
});

const CutoffView = Type.Object({
  cutoff: Type.String({ pattern: CUTOFF_PATTERN, description: "the bank's cut-off, HH:MM in each site's local time" }),
  bankDefined: Type.Boolean({ description: "false: the platform's default applies" }),
});

/** The daily reports made at the cut-off: listed, and downloadable as JSON, CSV or printable HTML. */
export const storedReportsPlugin: FastifyPluginAsync<{ prisma: PrismaClient; defaultCutoffMinutes: number }> = async (fastify, { prisma, defaultCutoffMinutes }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['monitoring']);
  const cutoffView = (minutes: number | null) => ({ cutoff: cutoffText(minutes ?? defaultCutoffMinutes), bankDefined: minutes !== null });

  app.get(
    '/api/v1/reports/cutoff',
    {
      onRequest: fastify.requireRole('lender', 'risk_officer'),
      schema: docs("When the bank's day closes and its daily reports are made", { response: { 200: CutoffView } }, [403]),
    },
    async (request) => {
      const tenant = await prisma.tenant.findUnique({ where: { id: request.user.tenantId } });
      return cutoffView(tenant?.reportCutoffMinutes ?? null);
    },
  );

  app.put(
    '/api/v1/reports/cutoff',
    {
      onRequest: fastify.requireRole('risk_officer'),
      schema: docs(
        "Set the bank's cut-off (null: back to the platform default); reports from the next cut-off on follow it",
        { body: Type.Object({ cutoff: Type.Union([Type.String({ pattern: CUTOFF_PATTERN }), Type.Null()]) }, { additionalProperties: false }), response: { 200: CutoffView } },
        [400, 403],
      ),
    },
    async (request) => {
      const minutes = request.body.cutoff === null ? null : cutoffMinutes(request.body.cutoff);
      const tenantId = request.user.tenantId;
      await prisma.$transaction(async (tx) => {
        const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
        await tx.tenant.update({ where: { id: tenantId }, data: { reportCutoffMinutes: minutes } });
        await appendAudit(tx, {
          actor: `user:${request.user.userId}`,
          action: 'report.cutoff_set',
          entityType: 'tenant',
          entityId: tenantId,
          tenantId,
          before: cutoffView(before.reportCutoffMinutes),
          after: cutoffView(minutes),
        });
      });
      return cutoffView(minutes);
    },
  );

  app.get(
    '/api/v1/reports/stored',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs(
        "The bank's daily reports made at its cut-off time, newest first",
        {
          querystring: Type.Object({ site: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
          response: { 200: Type.Object({ items: Type.Array(Summary) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const rows = await prisma.storedReport.findMany({
        where: { ...(tenant === undefined ? {} : { tenantId: tenant }), ...(request.query.site === undefined ? {} : { siteId: request.query.site }) },
        orderBy: [{ day: 'desc' }, { siteId: 'asc' }],
        take: request.query.limit,
      });
      return {
        items: rows.map((r) => {
          const totals = (r.body as unknown as DailyReport).totals;
          return { id: r.id, site: r.siteId, day: r.day, generatedAt: r.generatedAt.toISOString(), lots: totals.lots, lotsWithVariance: totals.lotsWithVariance };
        }),
      };
    },
  );

  app.get(
    '/api/v1/reports/stored/:id',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs(
        'One stored daily report as JSON, CSV or printable HTML (print to PDF from the browser)',
        {
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          querystring: Type.Object({ format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('html')], { default: 'json' }) }),
          response: {
            200: {
              description: 'the report',
              content: { 'application/json': { schema: Type.Record(Type.String(), Type.Unknown()) }, 'text/csv': { schema: Type.String() }, 'text/html': { schema: Type.String() } },
            },
          },
        },
        [400, 403, 404],
      ),
    },
    async (request, reply) => {
      const tenant = tenantScope(request.user);
      const row = await prisma.storedReport.findUnique({ where: { id: request.params.id } });
      if (row === null || (tenant !== undefined && row.tenantId !== tenant)) throw notFound(`report ${request.params.id}`);
      const report = row.body as unknown as DailyReport;
      const name = `daily-${row.siteId}-${row.day}`.replace(/[^A-Za-z0-9._-]/g, '_');
      switch (request.query.format) {
        case 'csv':
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(reportCsv(report));
        case 'html':
          return reply.type('text/html; charset=utf-8').header('content-disposition', `inline; filename="${name}.html"`).send(reportHtml(report, `Daily stock, movement and variance report: ${row.siteId}`));
        default:
          return reply.type('application/json').send(JSON.stringify(report));
      }
    },
  );
};
