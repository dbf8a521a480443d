import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importTransactionCsv, type ImportProgress, type IngestAnswer } from '../../../../cloud/credit/ingest/transaction-import.ts';
import type { MerchantTransaction } from '../../../../protocol/credit/merchant-data.ts';

const HEADER = 'id,merchant_id,kind,at,amount,currency,order_id,customer_id';
const row = (id: string, merchant = 'm-1', amount = '10.00', kind = 'payment'): string => `${id},${merchant},${kind},2025-03-01T10:00:00Z,${amount},EUR,o-${id},c-1`;

// A cloud that knows merchant m-1 only and stores each id once, like the API.
function fakeCloud() {
  const stored = new Set<string>();
  const batches: MerchantTransaction[][] = [];
  const send = async (transactions: MerchantTransaction[]): Promise<IngestAnswer> => {
    batches.push(transactions);
    const rejected = transactions.filter((t) => t.merchantId !== 'm-1').map((t) => ({ id: t.id, reason: `unknown merchant ${t.merchantId}` }));
    const fresh = transactions.filter((t) => t.merchantId === 'm-1' && !stored.has(t.id));
    for (const t of fresh) stored.add(t.id);
    return { accepted: fresh.length, duplicates: transactions.length - rejected.length - fresh.length, rejected };
  };
  return { send, stored, batches };
}

describe('streaming transaction CSV import', () => {
  it('sends good rows in batches and reports every refused row by its line', async () => {
    const cloud = fakeCloud();
    const progress: ImportProgress[] = [];
    const csv = [
      HEADER,
      row('t1'),
      row('t2', 'm-1', '"12,50"'), // line 3: a comma decimal is not the API's money
      row('t3'),
      '',
      row('t4', 'm-9'), // line 6: the cloud does not know the merchant
      row('t5', 'm-1', '1.00', 'chargeback'), // line 7: not a transaction kind
      `t6,m-1,order,2025-03-01T10:00:00Z,5.00,EUR,"o-6\nsecond line",c-2`, // lines 8-9
      row('t7'),
    ].join('\n');
    const summary = await importTransactionCsv({ source: Readable.from([csv]), send: cloud.send, batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ rows: 7, accepted: 4, duplicates: 0, refused: 3, batches: 3 });
    expect(summary.refusedRows.map((r) => r.line)).toEqual([3, 6, 7]);
    expect(summary.refusedRows[1]).toEqual({ line: 6, id: 't4', reason: 'unknown merchant m-9' });
    expect(summary.refusedRows[0]?.reason).toMatch(/amount/);
    expect(cloud.batches.map((b) => b.map((t) => t.id))).toEqual([['t1', 't3'], ['t4', 't6'], ['t7']]);
    expect(cloud.batches[1]?.[1]?.orderId).toBe('o-6\nsecond line');
    expect(progress.map((p) => p.accepted)).toEqual([2, 3, 4]);
    expect(progress.at(-1)?.bytes).toBe(Buffer.byteLength(csv));

    // Sent again, nothing is stored twice.
    const again = await importTransactionCsv({ source: Readable.from([csv]), send: cloud.send, batchSize: 1000 });
    expect(again).toMatchObject({ accepted: 0, duplicates: 4, refused: 3, batches: 1 });
  });

  it('namespaces ids by platform and checks the namespaced id against the schema', async () => {
    const cloud = fakeCloud();
    const long = 'x'.repeat(126);
    const summary = await importTransactionCsv({ source: Readable.from([[HEADER, row('t1'), row(long)].join('\n')]), send: cloud.send, platform: 'shopA' });
    expect([...cloud.stored]).toEqual(['shopA:t1']);
    expect(summary.refusedRows).toHaveLength(1);
    expect(summary.refusedRows[0]?.line).toBe(3);
  });

  it('refuses a file whose header lacks required columns without sending anything', async () => {
    const cloud = fakeCloud();
    const summary = await importTransactionCsv({ source: Readable.from(['id,kind,at\nt1,payment,2025-03-01T10:00:00Z\n']), send: cloud.send });
    expect(summary.refusedRows).toEqual([{ line: 1, reason: 'header lacks merchantId, amount, currency' }]);
    expect(cloud.batches).toEqual([]);
  });

  it('streams a large file in bounded batches', async () => {
    const cloud = fakeCloud();
    const lines = function* (): Generator<string> {
      yield `${HEADER}\n`;
      for (let i = 0; i < 25_000; i += 1) yield `${row(`big-${i}`)}\n`;
    };
    const summary = await importTransactionCsv({ source: Readable.from(lines()), send: cloud.send, batchSize: 5000 });
    expect(summary).toMatchObject({ rows: 25_000, accepted: 25_000, refused: 0, batches: 5 });
    expect(Math.max(...cloud.batches.map((b) => b.length))).toBe(5000);
  });
});
