import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../support/feed-server.ts';
import { createTestClock } from '../../support/test-clock.ts';
import { startTestCloud, TEST_TENANTS, type TestCloud } from '../../support/cloud-app.ts';

const TOKEN = 'market-data-token-0123456789abcdef';
const MINUTE = 60_000;

describe('price feed adapters', () => {
  let feed: FeedServer;
  let cloud: TestCloud;
  const clock = createTestClock();
  let risk = '';

  const runJobs = async () => {
    const ran = await cloud.app.earlyWarning.jobs.runDue(clock.now());
    await cloud.bus.idle();
    await cloud.app.earlyWarning.idle();
    return ran;
  };
  const history = async (commodity: string, currency = 'USD') => {
    const res = await cloud.app.inject({ method: 'GET', url: `/api/v1/prices/${commodity}/history?currency=${currency}`, headers: { authorization: `Bearer ${risk}` } });
    return res.json() as { items: { price: string; source: string; ts: string }[] };
  };

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    feed = await startFeedServer();
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(
      file,
      [
        'feeds:',
        '  - name: exchange-csv',
        `    url: ${feed.url}/close.csv`,
        '    format: csv',
        '    intervalMs: 900000',
        '    columns: { symbol: Symbol, price: Last, ts: Time, currency: Ccy }',
        '    symbols: { LMCADS03: copper }',
        '    unit: t',
        '  - name: fx-json',
        `    url: ${feed.url}/fx.json`,
        '    format: json',
        '    intervalMs: 3600000',
        '    jsonPath: rates',
        '    columns: { symbol: pair, price: mid, ts: at }',
        '    symbols: { EURUSD: fx_eur }',
        '    currency: USD',
        '    headers: { x-api-key: secret-key }',
      ].join('\n'),
    );
    cloud = await startTestCloud({ name: 'market-data-test', tenants: TEST_TENANTS, env: { PRICE_FEEDS: file, MARKET_DATA_TOKEN: TOKEN }, now: clock.now });
    const holder = cloud.tokenHolder('bank-a', 'risk_officer');
    await holder.ready();
    risk = holder.token;
  }, 180_000);
  afterAll(async () => {
    await cloud.close();
    await feed.close();
  });

  it('pulls each feed on its schedule, once per interval, keeping each price’s source', async () => {
    const at = clock.now().toISOString();
    feed.serve('/close.csv', `Symbol,Last,Ccy,Time\nLMCADS03,8123.50,USD,${at}\nLMZSDS03,2500,USD,${at}\n`, 'text/csv');
    feed.serve('/fx.json', JSON.stringify({ rates: [{ pair: 'EURUSD', mid: 1.0842, at }] }), 'application/json');
    expect((await runJobs()).sort()).toEqual(['daily-reports', 'feed:exchange-csv', 'feed:fx-json', 'interest-postings', 'watchdogs']);
    expect((await history('copper')).items).toEqual([expect.objectContaining({ price: '8123.5', source: 'feed:exchange-csv' })]);
    expect((await history('fx_eur')).items).toEqual([expect.objectContaining({ price: '1.0842', source: 'feed:fx-json' })]);
    expect(feed.requests.find((r) => r.path === '/fx.json')?.headers['x-api-key']).toBe('secret-key');
    // The same slot again: nothing runs.
    const requestsBefore = feed.requests.length;
    expect(await runJobs()).toEqual([]);
    expect(feed.requests.length).toBe(requestsBefore);
    const feeds = (await cloud.app.inject({ method: 'GET', url: '/api/v1/market-data/feeds', headers: { authorization: `Bearer ${risk}` } })).json() as { items: { name: string; lastPull: { recorded: number; problems: { reason: string }[] } }[] };
    expect(feeds.items.find((f) => f.name === 'exchange-csv')?.lastPull).toMatchObject({ recorded: 1, problems: [{ reason: 'unknown_symbol' }] });
  });

  it('a feed that fails records nothing and says why', async () => {
    feed.serve('/close.csv', 'down for maintenance', 'text/plain', 503);
    const res = await cloud.app.inject({ method: 'POST', url: '/api/v1/market-data/feeds/exchange-csv/pull', headers: { authorization: `Bearer ${risk}` } });
    expect(res.json()).toMatchObject({ recorded: 0, error: 'HTTP 503' });
    expect((await history('copper')).items).toHaveLength(1);
  });

  it('accepts pushed prices only with the market-data token, and keeps their source', async () => {
    const body = { source: 'vendor-x', prices: [{ commodity: 'copper', price: '8150.25', currency: 'USD', ts: clock.now().toISOString() }, { commodity: 'copper', price: '0', currency: 'USD', ts: clock.now().toISOString() }] };
    expect((await cloud.app.inject({ method: 'POST', url: '/api/v1/market-data/prices', payload: body })).statusCode).toBe(401);
    expect((await cloud.app.inject({ method: 'POST', url: '/api/v1/market-data/prices', payload: body, headers: { authorization: `Bearer ${risk}` } })).statusCode).toBe(401);
    const bad = await cloud.app.inject({ method: 'POST', url: '/api/v1/market-data/prices', payload: { source: 'vendor-x', prices: [] }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.statusCode).toBe(400);
    const res = await cloud.app.inject({ method: 'POST', url: '/api/v1/market-data/prices', payload: body, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.json()).toEqual({ recorded: 1, duplicates: 0, rejected: [{ index: 1, message: 'price must be a positive decimal, got "0"' }] });
    expect((await history('copper')).items[0]).toMatchObject({ price: '8150.25', source: 'push:vendor-x' });
  });

  it('the next slot pulls again after the interval', async () => {
    clock.advance(15 * MINUTE);
    feed.serve('/close.csv', `Symbol,Last,Ccy,Time\nLMCADS03,8160,USD,${clock.now().toISOString()}\n`, 'text/csv');
    expect(await runJobs()).toContain('feed:exchange-csv');
    expect((await history('copper')).items[0]).toMatchObject({ price: '8160', source: 'feed:exchange-csv' });
  });
});
