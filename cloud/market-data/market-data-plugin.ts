import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, notFound, unauthorized } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { PriceService } from '../prices/price-service.ts';
import { CommodityCode, CurrencyCode, DecimalString, Timestamp } from '../valuation/wire-schemas.ts';
import type { FeedConfig } from './feed-config.ts';
import type { FeedPuller, PullSummary } from './feed-puller.ts';
import { createTokenCheck } from './push-token.ts';

export interface MarketDataPluginOptions {
  prices: PriceService;
  feeds: readonly FeedConfig[];
  pull: FeedPuller;
  /** The last pull of each feed, kept by whoever runs the feeds. */
  lastPulls: ReadonlyMap<string, PullSummary>;
  marketDataToken: string | undefined;
}

const PushBody = Type.Object({
  source: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: 'name of the pushing service; stored with each price as push:<source>' }),
  prices: Type.Array(
    Type.Object({
      commodity: CommodityCode,
      price: DecimalString,
      currency: CurrencyCode,
      unit: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      ts: Timestamp,
    }),
    { minItems: 1, maxItems: 1000 },
  ),
});

const PullView = Type.Object({
  feed: Type.String(),
  at: Type.String(),
  recorded: Type.Integer(),
  duplicates: Type.Integer(),
  problems: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String(), message: Type.String() })),
  error: Type.Union([Type.String(), Type.Null()]),
});

const ACTOR = 'system:market-data';

/** Price feed adapters a bank connects: scheduled HTTP pulls (configured) and a push endpoint for a market-data service. */
export const marketDataPlugin: FastifyPluginAsync<MarketDataPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['market-data']);
  const tokenOk = createTokenCheck(options.marketDataToken);

  app.post(
    '/api/v1/market-data/prices',
    {
      // Before the body is read: without the token nothing about the request is answered.
      onRequest: async (request) => {
        if (!tokenOk(request.headers.authorization)) throw unauthorized('a valid market-data token is required');
      },
      schema: {
        tags: ['market-data'],
        summary: 'Push prices from a market-data service (its own bearer token, MARKET_DATA_TOKEN)',
        description: 'Each price is recorded as a tick with source push:<source> and revalues what it moves; bad prices are reported by index, the rest stored.',
        security: [{ marketDataToken: [] }],
        body: PushBody,
        response: {
          200: Type.Object({
            recorded: Type.Integer(),
            duplicates: Type.Integer(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), message: Type.String() })),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      let recorded = 0;
      let duplicates = 0;
      const rejected: { index: number; message: string }[] = [];
      const ordered = [...request.body.prices.entries()].sort((a, b) => Date.parse(a[1].ts) - Date.parse(b[1].ts));
      for (const [index, p] of ordered) {
        try {
          const outcome = await options.prices.recordTick({ commodity: p.commodity, price: p.price, currency: p.currency, unit: p.unit, ts: new Date(p.ts), source: `push:${request.body.source}` }, ACTOR);
          if (outcome.duplicate) duplicates += 1;
          else recorded += 1;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          rejected.push({ index, message: error.message });
        }
      }
      return { recorded, duplicates, rejected: rejected.sort((a, b) => a.index - b.index) };
    },
  );

  app.get(
    '/api/v1/market-data/feeds',
    {
      onRequest: fastify.requireRole('admin', 'risk_officer'),
      schema: docs('Configured price feeds and their last pull', {
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ name: Type.String(), format: Type.String(), intervalMs: Type.Integer(), symbols: Type.Record(Type.String(), Type.String()), lastPull: Type.Union([PullView, Type.Null()]) })),
          }),
        },
      }, [403]),
    },
    async () => ({
      items: options.feeds.map((f) => ({ name: f.name, format: f.format, intervalMs: f.intervalMs, symbols: f.symbols, lastPull: options.lastPulls.get(f.name) ?? null })),
    }),
  );

  app.post(
    '/api/v1/market-data/feeds/:name/pull',
    {
      onRequest: fastify.requireRole('admin', 'risk_officer'),
      schema: docs('Pull a feed now (it is also pulled on its schedule)', { params: Type.Object({ name: Type.String({ maxLength: 64 }) }), response: { 200: PullView } }, [403, 404]),
    },
    async (request) => {
      const feed = options.feeds.find((f) => f.name === request.params.name);
      if (feed === undefined) throw notFound(`feed ${request.params.name}`);
      return options.pull(feed);
    },
  );
};
