// Routes of the credit domain (issue 24) under /api/v1/credit: platform data in (JSON
// batches and CSV), scorecard versions and their report, decisions, the borrower's
// acceptance, and the monthly re-scoring. Thin: checks, then the service.
import { Type, type TSchema } from 'typebox';
import { compileSchema } from '../../protocol/json-payload.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MerchantRecord, MerchantTransaction } from '../../protocol/credit/merchant-data.ts';
import { MONTH_PATTERN } from '../../protocol/credit/month.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { badRequest } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_STAFF } from '../risk/actor.ts';
import { DecisionView, decisionView } from './credit-views.ts';
import { parseTransactionCsv } from './ingest/transaction-csv.ts';
import type { TrainedScorecard } from './model/trained-scorecard.ts';
import type { CreditService } from './service/credit-service.ts';
import { TrainedScorecardBody } from './service/scorecard-schema.ts';

export interface CreditPluginOptions {
  readonly prisma: PrismaClient;
  readonly credit: CreditService;
  readonly csvBodyLimitBytes?: number;
}

export const MAX_TRANSACTIONS_PER_BATCH = 5000;
const Month = Type.String({ pattern: MONTH_PATTERN, description: 'calendar month, YYYY-MM' });
const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer({ description: 'already stored under the same id: resending a batch is harmless' }),
  rejected: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
});

export const creditPlugin: FastifyPluginAsync<CreditPluginOptions> = async (fastify, { prisma, credit, csvBodyLimitBytes }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['credit']);
  // Roles are checked on request, before the body is parsed or validated: a caller
  // without a token learns nothing about the shapes, and big bodies are not read for them.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: csvBodyLimitBytes ?? 64 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/credit/merchants',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs('Register or update platform merchants (batch of at most 1,000)', { body: Type.Object({ merchants: Type.Array(MerchantRecord, { minItems: 1, maxItems: 1000 }) }), response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }) } }, [400, 403]),
    },
    async (request) => credit.upsertMerchants(request.user, request.body.merchants),
  );

  app.put(
    '/api/v1/credit/merchants/:merchantId/borrower-tenant',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Link a merchant to its borrower tenant, whose users then see and accept the merchant's offers (null unlinks)",
        { params: Type.Object({ merchantId: MerchantRecord.properties.merchantId }), body: Type.Object({ tenantId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) }), response: { 200: Type.Object({ merchantId: Type.String(), borrowerTenantId: Type.Union([Type.String(), Type.Null()]) }) } },
        [400, 403, 404],
      ),
    },
    async (request) => {
      const row = await credit.linkBorrower(request.user, request.params.merchantId, request.body.tenantId);
      return { merchantId: row.merchantId, borrowerTenantId: row.borrowerTenantId };
    },
  );

  app.post(
    '/api/v1/credit/transactions',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        `Ingest a batch of platform transactions (orders, payments, refunds, disputes, shipments; at most ${MAX_TRANSACTIONS_PER_BATCH}), idempotent on the transaction id`,
        { body: Type.Object({ transactions: Type.Array(MerchantTransaction, { minItems: 1, maxItems: MAX_TRANSACTIONS_PER_BATCH }) }), response: { 200: IngestResult } },
        [400, 403],
      ),
    },
    async (request) => credit.ingestTransactions(request.user, request.body.transactions),
  );

  app.post(
    '/api/v1/credit/transactions/import',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        'Import platform transactions from CSV (header: id, merchantId, kind, at, amount, currency, orderId, customerId); bad rows are reported by line',
        {
          consumes: ['text/csv'],
          body: Type.String({ description: 'CSV text' }),
          response: { 200: Type.Object({ ...IngestResult.properties, badRows: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })), badRowCount: Type.Integer() }) },
        },
        [400, 403, 413, 415],
      ),
    },
    async (request) => {
      const parsed = parseTransactionCsv(request.body);
      let accepted = 0;
      let duplicates = 0;
      const rejected: { id: string; reason: string }[] = [];
      for (let i = 0; i < parsed.transactions.length; i += MAX_TRANSACTIONS_PER_BATCH) {
        const result = await credit.ingestTransactions(request.user, parsed.transactions.slice(i, i + MAX_TRANSACTIONS_PER_BATCH));
        accepted += result.accepted;
        duplicates += result.duplicates;
        rejected.push(...result.rejected.slice(0, Math.max(0, 100 - rejected.length)));
      }
      return { accepted, duplicates, rejected, badRows: parsed.badRows, badRowCount: parsed.badRowCount };
    },
  );

  app.post(
    '/api/v1/credit/models',
    {
      onRequest: fastify.requireRole('risk_officer'),
      // Checked by TypeBox itself, not Fastify's Ajv: Ajv's type coercion would turn the
      // open upper bound (null) of a numeric class into 0 and silently change the card.
      validatorCompiler: ({ schema }) => {
        const check = compileSchema(schema as TSchema);
        return (data: unknown) => {
          const result = check(data);
          return result.ok ? { value: data } : { error: new Error(result.error) };
        };
      },
      schema: docs(
        'Register a trained scorecard (the JSON npm run train:credit saves); activate=true makes it the one that scores',
        { body: TrainedScorecardBody, querystring: Type.Object({ activate: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }), response: { 201: Type.Object({ version: Type.String(), active: Type.Boolean() }) } },
        [400, 403, 409],
      ),
    },
    async (request, reply) => {
      const card = request.body as TrainedScorecard;
      const bins = card.reference.counts.length;
      if (bins !== card.reference.edges.length + 1) throw badRequest('reference.counts must have one more entry than reference.edges');
      const activate = request.query.activate === 'true';
      await credit.registerModel(request.user, card, activate);
      reply.code(201);
      return { version: card.version, active: activate };
    },
  );

  app.post(
    '/api/v1/credit/models/:version/activate',
    {
      onRequest: fastify.requireRole('risk_officer'),
      schema: docs('Make a registered scorecard version the active one', { params: Type.Object({ version: TrainedScorecardBody.properties.version }), response: { 200: Type.Object({ version: Type.String(), active: Type.Boolean() }) } }, [400, 403, 404]),
    },
    async (request) => {
      await credit.activateModel(request.user, request.params.version);
      return { version: request.params.version, active: true };
    },
  );

  app.get(
    '/api/v1/credit/models/active',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        'Model report of the active scorecard: validation (AUC, KS, Gini per fold), characteristics with their classes, WoE and points, what was left out, and the latest population stability',
        { response: { 200: Type.Object({ card: Type.Unknown(), stability: Type.Array(Type.Object({ month: Type.String(), merchants: Type.Integer(), scorePsi: Type.Number(), shifted: Type.Boolean(), inputs: Type.Unknown() })) }) } },
        [403, 409],
      ),
    },
    async (request) => {
      const bank = await credit.bankOf(request.user);
      const card = await credit.activeModel(bank);
      const stability = await prisma.creditStability.findMany({ where: { bankTenantId: bank, modelVersion: card.version }, orderBy: { month: 'desc' }, take: 24 });
      return { card, stability: stability.map((s) => ({ month: s.month, merchants: s.merchants, scorePsi: s.scorePsi, shifted: s.shifted, inputs: s.inputs })) };
    },
  );

  app.post(
    '/api/v1/credit/decisions',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "Score a merchant at the end of a month with the active scorecard and decide a small unsecured line from its PD, sales and the bank's policy, explained by rules and reason codes",
        { body: Type.Object({ merchantId: MerchantRecord.properties.merchantId, month: Month }), response: { 201: DecisionView } },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const row = await credit.decide(request.user, request.body.merchantId, request.body.month);
      reply.code(201);
      return decisionView(row);
    },
  );

  app.get(
    '/api/v1/credit/decisions',
    {
      onRequest: fastify.requireRole(...BANK_STAFF, 'borrower', 'admin'),
      schema: docs("Decisions, newest first: the bank's for its staff, a borrower's own offers for the borrower", { response: { 200: Type.Object({ items: Type.Array(DecisionView) }) } }),
    },
    async (request) => ({ items: (await credit.offersFor(request.user)).map(decisionView) }),
  );

  app.post(
    '/api/v1/credit/decisions/:id/accept',
    {
      onRequest: fastify.requireRole('borrower'),
      schema: docs(
        'Accept an open offer: the line becomes the unsecured tranche of your revolving facility (opened on first acceptance), drawn and repaid through /api/v1/facilities/{id}/drawdowns and /repayments',
        { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: DecisionView } },
        [400, 403, 404, 409],
      ),
    },
    async (request) => decisionView(await credit.accept(request.user, request.params.id)),
  );

  app.get(
    '/api/v1/credit/merchants/:merchantId/scores',
    {
      onRequest: fastify.requireRole(...BANK_STAFF),
      schema: docs(
        "A merchant's score history, month by month (decisions and the monthly re-scoring), newest first",
        {
          params: Type.Object({ merchantId: MerchantRecord.properties.merchantId }),
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ month: Type.String(), modelVersion: Type.String(), score: Type.Number(), pd: Type.Number(), scoredAt: Type.String({ format: 'date-time' }) })) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const bank = await credit.bankOf(request.user);
      const rows = await prisma.creditScore.findMany({ where: { bankTenantId: bank, merchantId: request.params.merchantId }, orderBy: [{ month: 'desc' }, { scoredAt: 'desc' }], take: 60 });
      return { items: rows.map((r) => ({ month: r.month, modelVersion: r.modelVersion, score: r.score, pd: r.pd, scoredAt: r.scoredAt.toISOString() })) };
    },
  );

  app.post(
    '/api/v1/credit/rescore',
    {
      onRequest: fastify.requireRole('risk_officer'),
      schema: docs(
        "Re-score every merchant of the bank for a month: early-warning cases for borrowers whose score fell, PSI of the score and inputs against the model's training population (a case above 0.25)",
        { body: Type.Object({ month: Month }), response: { 200: Type.Object({ scored: Type.Integer(), warnings: Type.Integer(), scorePsi: Type.Number(), shifted: Type.Boolean() }) } },
        [400, 403, 409],
      ),
    },
    async (request) => credit.rescoreMonth(await credit.bankOf(request.user), request.body.month),
  );
};
