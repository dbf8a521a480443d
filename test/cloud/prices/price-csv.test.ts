import { describe, expect, it } from 'vitest';
import { parsePriceCsv, parsePriceCsvStream } from '../../../cloud/prices/price-csv.ts';

// Line numbers are physical lines; line 5 is blank and lines 10–11 are one record with a
// quoted line break in its source field.
const CSV = [
  'commodity,price,currency,ts,source,unit', // 1 header
  'copper,8512.50,USD,2024-03-01T16:00:00Z,LME,t', // 2 good
  'zinc,abc,USD,2024-03-01T16:00:00Z,,', // 3 bad decimal
  'nickel,-5,USD,2024-03-01T16:00:00Z,,', // 4 negative price
  '', // 5 blank, skipped
  'gold,2050.1,US$,2024-03-01T16:00:00Z,,ozt', // 6 unknown currency format
  'silver,23.1,usd,2024-13-01T00:00:00Z,,', // 7 month 13: bad timestamp
  'wheat,250', // 8 missing currency
  '"cocoa, grade 1",7000,gbp,2024-03-01,ICE,tonne', // 9 good: quoted comma, date only, aliases
  'sugar,500,USD,2024-03-01T10:00:00+01:00,"ICE', // 10 good, record continues…
  'Futures",lb', // 11 …here
  'tin,1e3,USD,2024-03-01T12:00:00Z,,', // 12 exponent: bad decimal
  'lead,2100,USD,2024-03-01T12:00:00Z,,furlong', // 13 unknown unit
  'aluminium,2200,USD,2024-03-01T12:00:00,,', // 14 no offset: bad timestamp
  'cobalt,0,USD,2024-03-01T12:00:00Z,,', // 15 zero price
].join('\n');

describe('price CSV', () => {
  it('returns good ticks and reports each bad row by line number, without throwing', () => {
    const result = parsePriceCsv(CSV);
    expect(result.headerDetected).toBe(true);
    expect(result.ticks).toEqual([
      { commodity: 'copper', price: '8512.5', currency: 'USD', ts: new Date('2024-03-01T16:00:00Z'), source: 'LME', unit: 't', line: 2 },
      { commodity: 'cocoa, grade 1', price: '7000', currency: 'GBP', ts: new Date('2024-03-01T00:00:00Z'), source: 'ICE', unit: 't', line: 9 },
      // 10:00 at +01:00 is 09:00 UTC.
      { commodity: 'sugar', price: '500', currency: 'USD', ts: new Date('2024-03-01T09:00:00Z'), source: 'ICE\nFutures', unit: 'lb', line: 10 },
    ]);
    expect(result.badRows.map((r) => [r.line, r.reason, r.column])).toEqual([
      [3, 'bad_decimal', 'price'],
      [4, 'negative_price', 'price'],
      [6, 'bad_currency', 'currency'],
      [7, 'bad_timestamp', 'ts'],
      [8, 'missing_column', 'currency'],
      [12, 'bad_decimal', 'price'],
      [13, 'unknown_unit', 'unit'],
      [14, 'bad_timestamp', 'ts'],
      [15, 'zero_price', 'price'],
    ]);
    expect(result.badRows[0]?.message).toContain('"abc"');
    expect(result.badRowCount).toBe(9);
    expect(result.tickCount).toBe(3);
    // 13 non-blank records, header included.
    expect(result.rowsDone).toBe(13);
  });

  it('calls the progress callback every N rows and once at the end with the byte counts', () => {
    const calls: [number, number, number | undefined][] = [];
    const result = parsePriceCsv(CSV, { progressEvery: 5, onProgress: (rows, bytes, total) => calls.push([rows, bytes, total]) });
    const total = Buffer.byteLength(CSV);
    expect(calls.map(([rows]) => rows)).toEqual([5, 10, 13]);
    expect(calls.every(([, , t]) => t === total)).toBe(true);
    // Bytes only grow, and the last call covers the whole input.
    expect(calls.map(([, bytes]) => bytes)).toEqual([...calls.map(([, bytes]) => bytes)].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([13, total, total]);
    expect(result.bytesDone).toBe(total);
  });

  it('reads positional columns when there is no header, and strips a UTF-8 BOM', () => {
    const result = parsePriceCsv('\uFEFFcopper,8500,USD,2024-03-01T16:00:00Z\nzinc,2500,USD,2024-03-01T16:00:00Z,LME,t,extra\n');
    expect(result.headerDetected).toBe(false);
    expect(result.ticks).toEqual([{ commodity: 'copper', price: '8500', currency: 'USD', ts: new Date('2024-03-01T16:00:00Z'), line: 1 }]);
    expect(result.badRows).toEqual([expect.objectContaining({ line: 2, reason: 'too_many_columns' })]);
  });

  it('maps header columns in any order and reports a header missing a required column', () => {
    const reordered = parsePriceCsv('TS,Currency,Price,Commodity\n2024-03-01T16:00:00Z,EUR,10.5,wheat\n');
    expect(reordered.ticks).toEqual([{ commodity: 'wheat', price: '10.5', currency: 'EUR', ts: new Date('2024-03-01T16:00:00Z'), line: 2 }]);

    const noCurrency = parsePriceCsv('commodity,price,ts\nwheat,10,2024-03-01T16:00:00Z\n');
    expect(noCurrency.badRows.map((r) => [r.line, r.reason, r.column])).toEqual([
      [1, 'missing_column', 'currency'],
      [2, 'missing_column', 'currency'],
    ]);
  });

  it('reports an unclosed quote as malformed from the line where the record starts', () => {
    const result = parsePriceCsv('commodity,price,currency,ts\ncopper,1,USD,2024-03-01\nzinc,"2,USD,2024-03-01\nlead,3,USD,2024-03-01\n');
    expect(result.ticks.map((t) => t.commodity)).toEqual(['copper']);
    expect(result.badRows).toEqual([expect.objectContaining({ line: 3, reason: 'malformed_csv' })]);
  });

  it('keeps at most maxBadRows reports but counts them all', () => {
    const rows = Array.from({ length: 50 }, () => 'x,bad,USD,2024-03-01');
    const result = parsePriceCsv(rows.join('\n'), { maxBadRows: 10 });
    expect(result.badRows).toHaveLength(10);
    expect(result.badRowCount).toBe(50);
  });

  it('streams chunks split anywhere, even inside a multi-byte character, with the same result', async () => {
    const text = `${CSV}\nrice,400,USD,2024-03-01T16:00:00Z,Bourse de Zürich,t\n`;
    const bytes = Buffer.from(text);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const progress: number[] = [];
    const streamed = await parsePriceCsvStream(chunks(), {
      totalBytes: bytes.length,
      progressEvery: 4,
      onProgress: (rows, done, total) => {
        expect(total).toBe(bytes.length);
        progress.push(done);
      },
    });
    const whole = parsePriceCsv(text);
    expect(streamed.ticks).toEqual(whole.ticks);
    expect(streamed.badRows).toEqual(whole.badRows);
    expect(streamed.ticks.at(-1)?.source).toBe('Bourse de Zürich');
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress.length).toBeGreaterThan(2);
  });

  it('hands ticks to onTick instead of collecting them', async () => {
    const seen: string[] = [];
    async function* one(): AsyncGenerator<string> {
      yield 'copper,1,USD,2024-03-01\nzinc,2,USD,2024-03-01\n';
    }
    const result = await parsePriceCsvStream(one(), { onTick: (t) => seen.push(t.commodity) });
    expect(seen).toEqual(['copper', 'zinc']);
    expect(result.ticks).toEqual([]);
    expect(result.tickCount).toBe(2);
  });
});

describe('price CSV robustness', () => {
  it('rejects runaway commodity fields and quotes only the start of them', () => {
    const result = parsePriceCsv(`${'x'.repeat(10_000)},1,USD,2024-03-01\nzinc,2,USD,2024-03-01\n`);
    expect(result.ticks.map((t) => t.commodity)).toEqual(['zinc']);
    expect(result.badRows[0]).toMatchObject({ line: 1, reason: 'bad_commodity' });
    expect(result.badRows[0]?.value?.length).toBeLessThanOrEqual(101);
  });

  it('rejects the promise only when the source itself fails', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield 'copper,1,USD,2024-03-01\n';
      throw new Error('connection reset');
    }
    await expect(parsePriceCsvStream(broken())).rejects.toThrow('connection reset');
  });
});
