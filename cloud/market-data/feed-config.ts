import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../infra/config-error.ts';

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' });
const Field = Type.String({ minLength: 1, maxLength: 128 });

/**
 * One scheduled HTTP price feed: where to fetch, how often, and how its columns (CSV) or
 * fields (JSON) and symbols map to our commodity codes. FX rates are prices too: map a
 * symbol such as EURUSD to `fx-eur` quoted in USD (cloud/market-data/fx-rates.ts).
 */
export const FeedConfig = Type.Object(
  {
    name: Name,
    url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
    intervalMs: Type.Integer({ minimum: 1_000, maximum: 7 * 86_400_000 }),
    /** Dotted path to the array of quotes in a JSON document; the document itself when absent. */
    jsonPath: Type.Optional(Type.String({ maxLength: 256 })),
    columns: Type.Object(
      {
        symbol: Field,
        price: Field,
        ts: Field,
        currency: Type.Optional(Field),
        unit: Type.Optional(Field),
      },
      { additionalProperties: false },
    ),
    /** Feed symbol → commodity code; a symbol not listed is skipped and counted. */
    symbols: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.String({ minLength: 1, maxLength: 64 }), { minProperties: 1 }),
    /** Used when the feed has no currency or unit column. */
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** Extra request headers (an API key); never logged. */
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }))),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  },
  { additionalProperties: false },
);
export type FeedConfig = Static<typeof FeedConfig>;

export const FeedsFile = Type.Object({ feeds: Type.Array(FeedConfig, { maxItems: 100 }) }, { additionalProperties: false });

/** Checks a feeds document; the first problem is thrown as a ConfigError naming the setting. */
export function checkFeeds(document: unknown, setting = 'PRICE_FEEDS'): FeedConfig[] {
  if (!Value.Check(FeedsFile, document)) {
    const first = Value.Errors(FeedsFile, document)[0];
    throw new ConfigError(setting, `is not a valid feeds file: ${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`);
  }
  const feeds = (document as Static<typeof FeedsFile>).feeds;
  const names = new Set<string>();
  for (const feed of feeds) {
    if (names.has(feed.name)) throw new ConfigError(setting, `names feed "${feed.name}" twice`);
    names.add(feed.name);
    if (feed.columns.currency === undefined && feed.currency === undefined) throw new ConfigError(setting, `feed "${feed.name}" needs a currency column or a currency`);
  }
  return feeds;
}

/** PRICE_FEEDS: a YAML or JSON file of feeds; none when unset. */
export function loadFeeds(path: string | undefined): FeedConfig[] {
  if (path === undefined || path.trim() === '') return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('PRICE_FEEDS', `cannot be read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError('PRICE_FEEDS', `is not YAML or JSON: ${(error as Error).message}`);
  }
  return checkFeeds(document);
}
