import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../infra/config-error.ts';
import { checkFeeds, type FeedConfig } from '../../../cloud/market-data/feed-config.ts';
import { parseFeedDocument } from '../../../cloud/market-data/feed-quotes.ts';

const csvFeed: FeedConfig = {
  name: 'lme',
  url: 'http://127.0.0.1/prices.csv',
  format: 'csv',
  intervalMs: 60_000,
  columns: { symbol: 'Symbol', price: 'Last', ts: 'Time', currency: 'Ccy' },
  symbols: { LMCADS03: 'copper', EURUSD: 'fx_eur' },
  unit: 't',
};

describe('price feed mapping', () => {
  it('maps CSV columns and symbols, skipping unmapped symbols and bad rows with reasons', () => {
    const csv = [
      'Symbol,Last,Ccy,Time',
      'LMCADS03,8123.50,usd,2026-03-10T15:00:00Z',
      'EURUSD,1.0842,USD,2026-03-10T15:00:00Z',
      'LMAHDS03,2400,USD,2026-03-10T15:00:00Z',
      'LMCADS03,-1,USD,2026-03-10T15:00:00Z',
      'LMCADS03,8100,US$,2026-03-10T15:00:00Z',
      'LMCADS03,8100,USD,10/03/2026 15:00',
    ].join('\n');
    const parsed = parseFeedDocument(csv, csvFeed);
    expect(parsed.quotes).toEqual([
      { commodity: 'copper', price: '8123.5', currency: 'USD', unit: 't', ts: new Date('2026-03-10T15:00:00Z') },
      { commodity: 'fx_eur', price: '1.0842', currency: 'USD', unit: 't', ts: new Date('2026-03-10T15:00:00Z') },
    ]);
    expect(parsed.problems.map((p) => [p.index, p.reason])).toEqual([
      [2, 'unknown_symbol'],
      [3, 'bad_price'],
      [4, 'bad_currency'],
      [5, 'bad_timestamp'],
    ]);
  });

  it('reads JSON at a path, numbers and epoch milliseconds included', () => {
    const feed: FeedConfig = { ...csvFeed, format: 'json', jsonPath: 'data.quotes', columns: { symbol: 'sym', price: 'px.last', ts: 'at' }, currency: 'USD' };
    const doc = JSON.stringify({ data: { quotes: [{ sym: 'LMCADS03', px: { last: 8001.25 }, at: Date.UTC(2026, 2, 10) }, { sym: 'LMCADS03', px: { last: '1e3' }, at: '2026-03-10' }] } });
    const parsed = parseFeedDocument(doc, feed);
    expect(parsed.quotes).toEqual([{ commodity: 'copper', price: '8001.25', currency: 'USD', unit: 't', ts: new Date('2026-03-10T00:00:00Z') }]);
    expect(parsed.problems).toEqual([expect.objectContaining({ index: 1, reason: 'bad_price' })]);
    expect(() => parseFeedDocument('{"data":{}}', feed)).toThrow(/no array of quotes at data.quotes/);
    expect(() => parseFeedDocument('<html>', feed)).toThrow();
  });

  it('refuses a feeds file that would fail later, naming the setting', () => {
    expect(checkFeeds({ feeds: [csvFeed] })).toHaveLength(1);
    expect(() => checkFeeds({ feeds: [{ ...csvFeed, url: 'ftp://x' }] })).toThrow(ConfigError);
    expect(() => checkFeeds({ feeds: [csvFeed, csvFeed] })).toThrow(/names feed "lme" twice/);
    const { currency: _c, ...columns } = csvFeed.columns;
    expect(() => checkFeeds({ feeds: [{ ...csvFeed, columns }] })).toThrow(/needs a currency column or a currency/);
    expect(() => checkFeeds({ feeds: [{ ...csvFeed, symbols: {} }] })).toThrow(/PRICE_FEEDS/);
    expect(() => checkFeeds({ feeds: [{ ...csvFeed, intervalMs: 10 }] })).toThrow(/PRICE_FEEDS/);
  });
});
