import { parse as parseCsv } from 'csv-parse/sync';
import { parseIsoInstant } from '../prices/timestamp.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { isDecimalString, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { isCurrencyCode } from '../valuation/money.ts';
import type { FeedConfig } from './feed-config.ts';

/** One price read from a feed, mapped to our codes. */
export interface FeedQuote {
  readonly commodity: string;
  readonly price: string;
  readonly currency: string;
  readonly unit: string | undefined;
  readonly ts: Date;
}

export interface QuoteProblem {
  readonly index: number;
  readonly reason: 'unknown_symbol' | 'bad_price' | 'bad_currency' | 'bad_timestamp' | 'missing_field';
  readonly message: string;
}

export interface ParsedFeed {
  readonly quotes: FeedQuote[];
  readonly problems: QuoteProblem[];
}

type Row = Readonly<Record<string, unknown>>;

function pick(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Row)[key];
  }
  return value;
}

// JSON numbers are taken by their shortest round-trip text (what the feed wrote for any
// price of up to 15 significant digits); anything else must be a plain decimal string.
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && isDecimalString(value.trim()) ? value.trim() : undefined;
}

// ISO 8601 with its zone, a bare date, or epoch milliseconds.
function instant(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return new Date(value);
  return typeof value === 'string' ? parseIsoInstant(value) : undefined;
}

/** Maps rows (CSV records by header, or JSON objects) through the feed's columns and symbols. */
export function quotesFromRows(rows: readonly Row[], feed: Pick<FeedConfig, 'columns' | 'symbols' | 'currency' | 'unit'>): ParsedFeed {
  const quotes: FeedQuote[] = [];
  const problems: QuoteProblem[] = [];
  rows.forEach((row, index) => {
    const symbol = pick(row, feed.columns.symbol);
    if (typeof symbol !== 'string' || symbol.trim() === '') {
      problems.push({ index, reason: 'missing_field', message: `no ${feed.columns.symbol}` });
      return;
    }
    const mapped = feed.symbols[symbol.trim()];
    const commodity = mapped === undefined ? undefined : normaliseCommodity(mapped);
    if (commodity === undefined) {
      problems.push({ index, reason: 'unknown_symbol', message: `symbol ${symbol.slice(0, 64)} is not mapped` });
      return;
    }
    const priceText = decimalText(pick(row, feed.columns.price));
    const price = priceText === undefined ? undefined : parseDecimal(priceText);
    if (price === undefined || !price.greaterThan(0)) {
      problems.push({ index, reason: 'bad_price', message: `${symbol}: ${feed.columns.price} is not a positive decimal` });
      return;
    }
    const currencyValue = feed.columns.currency === undefined ? feed.currency : pick(row, feed.columns.currency);
    const currency = typeof currencyValue === 'string' ? currencyValue.trim().toUpperCase() : '';
    if (!isCurrencyCode(currency)) {
      problems.push({ index, reason: 'bad_currency', message: `${symbol}: currency is not an ISO 4217 code` });
      return;
    }
    const ts = instant(pick(row, feed.columns.ts));
    if (ts === undefined) {
      problems.push({ index, reason: 'bad_timestamp', message: `${symbol}: ${feed.columns.ts} is not an ISO 8601 time with zone or epoch ms` });
      return;
    }
    const unitValue = feed.columns.unit === undefined ? feed.unit : pick(row, feed.columns.unit);
    quotes.push({ commodity, price: toPlain(price), currency, unit: typeof unitValue === 'string' && unitValue.trim() !== '' ? unitValue.trim() : undefined, ts });
  });
  return { quotes, problems };
}

/** Parses a fetched document as the feed's format says. Throws on a document that is not CSV or JSON at all. */
export function parseFeedDocument(text: string, feed: FeedConfig): ParsedFeed {
  if (feed.format === 'csv') {
    const rows = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Row[];
    return quotesFromRows(rows, feed);
  }
  const document = JSON.parse(text) as unknown;
  const list = feed.jsonPath === undefined || feed.jsonPath === '' ? document : pick(document as Row, feed.jsonPath);
  if (!Array.isArray(list)) throw new Error(`no array of quotes at ${feed.jsonPath ?? 'the top level'}`);
  return quotesFromRows(list.filter((r): r is Row => r !== null && typeof r === 'object'), feed);
}
