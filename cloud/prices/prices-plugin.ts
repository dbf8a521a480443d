import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { badRequest, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { userActor } from '../risk/actor.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { CommodityCode, CurrencyCode, DecimalString, Money, Timestamp } from '../valuation/wire-schemas.ts';
import { ewmaVolatility, TRADING_DAYS_PER_YEAR, type EwmaState } from './ewma-volatility.ts';
import { parsePriceCsv } from './price-csv.ts';
import type { PriceImporter } from './price-import.ts';
import type { PriceService } from './price-service.ts';
import { RevaluationView, SeriesView, revaluationView, seriesView } from './price-views.ts';

export interface PricesPluginOptions {
  prisma: PrismaClient;
  prices: PriceService;
  importer: PriceImporter;
  /** Largest CSV accepted by POST /prices/import. */
  importBodyLimitBytes?: number;
}

const PRICE_WRITERS = ['admin', 'risk_officer'] as const;
const PROGRESS_EVERY = 10_000;

const TickBody = Type.Object({
  commodity: CommodityCode,
  price: Money,
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'unit the price is per; default the series unit' })),
  ts: Type.Optional(Type.String({ format: 'date-time', description: 'time of the price; default now' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

const BadRowView = Type.Object({
  line: Type.Integer(),
  reason: Type.String(),
  column: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  message: Type.String(),
});

const ImportSummaryView = Type.Object({
  rowsRead: Type.Integer(),
  imported: Type.Integer(),
  duplicates: Type.Integer(),
  badRowCount: Type.Integer(),
  badRows: Type.Array(BadRowView, { description: 'the first 1000 bad rows, by line' }),
  series: Type.Array(
    Type.Object({
      commodity: Type.String(),
      currency: Type.String(),
      unit: Type.String(),
      imported: Type.Integer(),
      duplicates: Type.Integer(),
      lastPrice: DecimalString,
      sigmaDaily: Type.Union([DecimalString, Type.Null()]),
      haircut: DecimalString,
    }),
  ),
  revaluations: Type.Array(RevaluationView),
});

const SeriesParams = Type.Object({ commodity: CommodityCode });
const SeriesQuery = Type.Object({ currency: CurrencyCode });

export const pricesPlugin: FastifyPluginAsync<PricesPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['prices']);
  const bodyLimit = options.importBodyLimitBytes ?? 64 * 1024 * 1024;
  // Encapsulated: only this plugin's routes accept CSV bodies.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, body));

  const commodityOf = (text: string): string => {
    const code = normaliseCommodity(text);
    if (code === undefined) throw badRequest(`"${text}" is not a commodity code`);
    return code;
  };

  app.post(
    '/api/v1/prices',
    {
      onRequest: fastify.requireRole(...PRICE_WRITERS),
      schema: docs(
        'Record a commodity price tick; revalues the pledged receipts and facilities it moves',
        {
          description:
            'The tick is stored, the series EWMA volatility and haircut updated, and every pledged receipt of the ' +
            'commodity valued in that currency revalued with its facility, margin calls included, in one transaction. ' +
            'A tick already stored (same commodity, currency, source and time) is acknowledged with duplicate=true.',
          body: TickBody,
          response: { 201: Type.Object({ duplicate: Type.Boolean(), series: SeriesView, revaluation: Type.Union([RevaluationView, Type.Null()]) }) },
        },
        [400, 403],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      const outcome = await options.prices.recordTick(
        {
          commodity: body.commodity,
          price: body.price.amount,
          currency: body.price.currency,
          unit: body.unit,
          ts: body.ts === undefined ? undefined : new Date(body.ts),
          source: body.source ?? 'api',
        },
        userActor(request.user),
      );
      reply.code(201);
      return {
        duplicate: outcome.duplicate,
        series: seriesView(outcome.series),
        revaluation: outcome.revaluation === null ? null : revaluationView(outcome.revaluation),
      };
    },
  );

  app.post(
    '/api/v1/prices/import',
    {
      bodyLimit,
      onRequest: fastify.requireRole(...PRICE_WRITERS),
      schema: docs(
        'Import price ticks from CSV (text/csv); bad rows are reported by line',
        {
          description:
            'Columns commodity, price, currency, ts and optionally source and unit, by header name in any order or in ' +
            'that order without a header. Good rows are stored even when others are bad; each bad row is reported with ' +
            'its line number, reason and message. Progress is logged every 10,000 rows. For files larger than the body ' +
            'limit use `npx tsx cloud/prices/import-prices-cli.ts <file>`.',
          consumes: ['text/csv'],
          querystring: Type.Object({ source: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'source for rows that name none; default csv' })) }),
          body: Type.String({ description: 'CSV text' }),
          response: { 200: ImportSummaryView },
        },
        [400, 403, 413, 415],
      ),
    },
    async (request) => {
      const log = request.log;
      const started = Date.now();
      const parsed = parsePriceCsv(request.body, {
        progressEvery: PROGRESS_EVERY,
        onProgress: (rows, bytes, total) =>
          log.info({ rows, bytes, total, percent: total ? Math.round((100 * bytes) / total) : null }, 'price import: parsing'),
      });
      const summary = await options.importer(parsed, {
        actor: userActor(request.user),
        source: request.query.source,
        onProgress: (p) => log.info(p, 'price import: series stored'),
      });
      log.info({ rowsRead: summary.rowsRead, imported: summary.imported, badRows: summary.badRowCount, ms: Date.now() - started }, 'price import done');
      return { ...summary, badRows: [...summary.badRows], series: [...summary.series], revaluations: summary.revaluations.map(revaluationView) };
    },
  );

  app.get(
    '/api/v1/prices',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Latest price, volatility and haircut of every price series',
        { querystring: Type.Object({ commodity: Type.Optional(CommodityCode) }), response: { 200: Type.Object({ items: Type.Array(SeriesView) }) } },
        [400],
      ),
    },
    async (request) => {
      const commodity = request.query.commodity === undefined ? undefined : commodityOf(request.query.commodity);
      const rows = await options.prisma.priceSeries.findMany({
        where: commodity === undefined ? {} : { commodity },
        orderBy: [{ commodity: 'asc' }, { currency: 'asc' }],
      });
      return { items: rows.map(seriesView) };
    },
  );

  app.get(
    '/api/v1/prices/:commodity/history',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Stored ticks of a series, newest first (without currency: the most recently quoted series)',
        {
          params: SeriesParams,
          querystring: Type.Object({
            currency: Type.Optional(CurrencyCode),
            from: Type.Optional(Timestamp),
            to: Type.Optional(Timestamp),
            limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
          }),
          response: {
            200: Type.Object({
              commodity: Type.String(),
              currency: Type.String(),
              unit: Type.String(),
              items: Type.Array(
                Type.Object({
                  price: DecimalString,
                  ts: Timestamp,
                  source: Type.String(),
                  quoted: Type.Union([Type.Object({ price: DecimalString, unit: Type.String() }), Type.Null()]),
                }),
              ),
            }),
          },
        },
        [400, 404],
      ),
    },
    async (request) => {
      const commodity = commodityOf(request.params.commodity);
      const { from, to, limit } = request.query;
      // Without a currency: the commodity's most recently quoted series.
      const series = await options.prisma.priceSeries.findFirst({
        where: { commodity, ...(request.query.currency ? { currency: request.query.currency } : {}) },
        orderBy: { lastTs: 'desc' },
      });
      if (series === null) throw notFound(`price series ${commodity}${request.query.currency ? `/${request.query.currency}` : ''}`);
      const { currency } = series;
      const ticks = await options.prisma.priceTick.findMany({
        where: { commodity, currency, ts: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lt: new Date(to) } : {}) } },
        orderBy: [{ ts: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return {
        commodity,
        currency,
        unit: series.unit,
        items: ticks.map((t) => ({
          price: fromDb(t.price),
          ts: t.ts.toISOString(),
          source: t.source,
          quoted: t.quotedPrice === null || t.quotedUnit === null ? null : { price: fromDb(t.quotedPrice), unit: t.quotedUnit },
        })),
      };
    },
  );

  app.get(
    '/api/v1/prices/:commodity/volatility',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'EWMA volatility of a series and the haircut it gives',
        {
          description:
            'RiskMetrics EWMA of daily log returns, σ²ₜ = λσ²ₜ₋₁ + (1−λ)r²ₜ, over UTC daily closes (the last tick of each ' +
            'day), λ = 0.94 unless the commodity terms set another; haircut = min(cap, max(floor, z·σ_daily·√liquidationDays)).',
          params: SeriesParams,
          querystring: SeriesQuery,
          response: {
            200: Type.Object({
              commodity: Type.String(),
              currency: Type.String(),
              lambda: DecimalString,
              returns: Type.Integer(),
              asOfDay: Type.Union([Type.String(), Type.Null()]),
              sigmaDaily: Type.Union([DecimalString, Type.Null()]),
              sigmaAnnual: Type.Union([DecimalString, Type.Null()]),
              tradingDaysPerYear: Type.Integer(),
              intraday: Type.Union([Type.Object({ sigmaDaily: DecimalString, asOfDay: Type.String() }), Type.Null()], {
                description: "with today's latest tick taken as its close (provisional; the haircut does not use it)",
              }),
              haircut: Type.Record(Type.String(), Type.Unknown()),
            }),
          },
        },
        [400, 404],
      ),
    },
    async (request) => {
      const commodity = commodityOf(request.params.commodity);
      const { currency } = request.query;
      const series = await options.prisma.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency } } });
      if (series === null) throw notFound(`price series ${commodity}/${currency}`);
      const ewma = series.ewma as unknown as EwmaState;
      const vol = ewmaVolatility(ewma);
      const intraday = ewmaVolatility(ewma, { includePending: true });
      return {
        commodity,
        currency,
        lambda: ewma.lambda,
        returns: vol?.returns ?? 0,
        asOfDay: vol?.asOfDay ?? null,
        sigmaDaily: vol?.sigmaDaily ?? null,
        sigmaAnnual: vol?.sigmaAnnual ?? null,
        tradingDaysPerYear: TRADING_DAYS_PER_YEAR,
        intraday: intraday?.provisional ? { sigmaDaily: intraday.sigmaDaily, asOfDay: intraday.asOfDay } : null,
        haircut: series.haircutBreakdown as Record<string, unknown>,
      };
    },
  );
};
