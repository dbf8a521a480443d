import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, field, list, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

const CSV = [
  'commodity,price,currency,ts,source,unit', // 1
  'copper,8000,USD,2024-03-01T16:00:00Z,LME,t', // 2 good
  'copper,8080,USD,2024-03-04T16:00:00Z,LME,t', // 3 good (a Monday: the weekend has no close)
  'copper,abc,USD,2024-03-05T16:00:00Z,LME,t', // 4 bad decimal (parser)
  'copper,8.2,USD,2024-03-05T16:00:00Z,LME,kg', // 5 good: 8.2 USD/kg is 8200 USD/t
  '"cocoa, grade 1",7000,USD,2024-03-05,ICE,t', // 6 not a commodity code (importer)
  'copper,9,USD,2024-03-06T16:00:00Z,LME,l', // 7 a price per litre for a series per tonne (importer)
  'nickel,-5,USD,2024-03-05T16:00:00Z,LME,t', // 8 negative (parser)
  'wheat,250,EUR,2024-03-05,,t', // 9 good, another series
  'copper,8000,USD,2024-02-29T16:00:00Z,LME,t', // 10 good, older than the rest (a backfill)
].join('\n');

describe('prices', () => {
  let w: CollateralWorld;
  beforeAll(async () => {
    w = await startCollateralWorld();
  });
  afterAll(() => w.close());

  const importCsv = (csv: string) => w.admin.post('/api/v1/prices/import', csv, { 'content-type': 'text/csv' });

  it('imports the good rows of a CSV and reports every bad one by line', async () => {
    const summary = expectStatus(await importCsv(CSV), 200);
    expect(summary).toMatchObject({ rowsRead: 10, imported: 5, duplicates: 0, badRowCount: 4 });
    expect(list(summary, 'badRows').map((r) => [field(r, 'line'), field(r, 'reason')])).toEqual([
      [4, 'bad_decimal'],
      [6, 'bad_commodity'],
      [7, 'unit_mismatch'],
      [8, 'negative_price'],
    ]);
    expect(text(summary, 'badRows.2.message')).toMatch(/cannot be converted to the series unit t/);
    expect(field(summary, 'series')).toEqual([
      expect.objectContaining({ commodity: 'copper', currency: 'USD', unit: 't', imported: 4, lastPrice: '8200' }),
      expect.objectContaining({ commodity: 'wheat', currency: 'EUR', unit: 't', imported: 1, lastPrice: '250' }),
    ]);
  });

  it('adds nothing when the same file comes again', async () => {
    expect(expectStatus(await importCsv(CSV), 200)).toMatchObject({ imported: 0, duplicates: 5, badRowCount: 4 });
  });

  it('keeps the history newest first with what the feed quoted, and an EWMA over daily closes', async () => {
    const history = expectStatus(await w.lender.get('/api/v1/prices/copper/history?currency=USD'), 200);
    expect(list(history, 'items').map((t) => [field(t, 'ts'), field(t, 'price')])).toEqual([
      ['2024-03-05T16:00:00.000Z', '8200'],
      ['2024-03-04T16:00:00.000Z', '8080'],
      ['2024-03-01T16:00:00.000Z', '8000'],
      ['2024-02-29T16:00:00.000Z', '8000'],
    ]);
    expect(field(history, 'items.0.quoted')).toEqual({ price: '8.2', unit: 'kg' });
    // Closes 8000 (29 Feb), 8000 (1 Mar), 8080 (4 Mar); 8200 (5 Mar) is still pending.
    // r₁ = ln 1 = 0, r₂ = ln 1.01; σ² = 0.94 · 0 + 0.06 · (ln 1.01)², σ = √0.06 · 0.00995033 = 0.00243733.
    const vol = expectStatus(await w.lender.get('/api/v1/prices/copper/volatility?currency=USD'), 200);
    expect(vol).toMatchObject({ lambda: '0.94', returns: 2, asOfDay: '2024-03-04' });
    expect(Number(field(vol, 'sigmaDaily'))).toBeCloseTo(Math.sqrt(0.06) * Math.log(1.01), 12);
    expect(Number(field(vol, 'sigmaAnnual'))).toBeCloseTo(Math.sqrt(0.06) * Math.log(1.01) * Math.sqrt(252), 10);
    expect(field(vol, 'intraday')).toMatchObject({ asOfDay: '2024-03-05' });
    const all = expectStatus(await w.investigator.get('/api/v1/prices'), 200);
    expect(list(all, 'items').map((s) => [field(s, 'commodity'), field(s, 'price')])).toEqual([
      ['copper', { amount: '8200', currency: 'USD' }],
      ['wheat', { amount: '250', currency: 'EUR' }],
    ]);
  });

  it('takes ticks by API, converting units and refusing bad input', async () => {
    const tick = expectStatus(
      await w.risk.post('/api/v1/prices', { commodity: 'Copper', price: { amount: '3.7', currency: 'USD' }, unit: 'lb', ts: '2024-03-06T16:00:00Z', source: 'COMEX' }),
      201,
    );
    // 3.7 USD/lb × 2204.62262… lb/t = 8157.10370… USD/t.
    expect(text(tick, 'series.price.amount').startsWith('8157.1037')).toBe(true);
    expect(tick).toMatchObject({ duplicate: false, revaluation: { lines: 0 } });
    const again = expectStatus(
      await w.risk.post('/api/v1/prices', { commodity: 'copper', price: { amount: '3.7', currency: 'USD' }, unit: 'lb', ts: '2024-03-06T16:00:00Z', source: 'COMEX' }),
      201,
    );
    expect(again).toMatchObject({ duplicate: true, revaluation: null });
    const bad = [
      { commodity: 'copper', price: { amount: '0', currency: 'USD' } },
      { commodity: 'copper', price: { amount: '1e3', currency: 'USD' } },
      { commodity: 'copper', price: { amount: 8000, currency: 'USD' } },
      { commodity: 'copper', price: { amount: '8000', currency: 'usd' } },
      { commodity: 'copper', price: { amount: '8000', currency: 'USD' }, unit: 'furlong' },
      { commodity: 'copper', price: { amount: '8000', currency: 'USD' }, unit: 'bbl' },
    ];
    for (const body of bad) expect((await w.risk.post('/api/v1/prices', body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await w.lender.post('/api/v1/prices', bad[0])).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'POST', url: '/api/v1/prices', payload: bad[0] })).statusCode).toBe(401);
    expect((await w.lender.get('/api/v1/prices/cobalt/volatility?currency=USD')).statusCode).toBe(404);
  });

  it('imports large files from the command line with a progress bar', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prices-cli-'));
    try {
      const file = join(dir, 'prices.csv');
      const day = Date.UTC(2023, 0, 2);
      const rows = Array.from({ length: 10_000 }, (_, i) => `tin,${(25000 + (i % 97)).toFixed(2)},USD,${new Date(day + i * 3_600_000).toISOString()},SIM,t`);
      await writeFile(file, ['commodity,price,currency,ts,source,unit', ...rows, 'tin,oops,USD,2023-01-01,SIM,t'].join('\n'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'cloud/prices/import-prices-cli.ts', file, '--source', 'SIM'], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '', CLOUD_DATA_DIR: join(dir, 'db'), LOG_LEVEL: 'silent' },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/\[#{30}\] 100\.0%/);
      const summary = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(summary).toMatchObject({ rowsRead: 10_002, imported: 10_000, badRowCount: 1, badRows: [{ line: 10_002, reason: 'bad_decimal' }] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
