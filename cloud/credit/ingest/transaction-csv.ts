// Platform transactions as CSV, one per row, under a header naming the columns of the
// JSON API (id, merchantId, kind, at, amount, currency, orderId, customerId; snake_case
// accepted). Each row is checked against the same schema as the JSON API; bad rows are
// reported by line and never stop the rest.
import { parse } from 'csv-parse/sync';
import { compileSchema } from '../../../protocol/json-payload.ts';
import { MerchantTransaction } from '../../../protocol/credit/merchant-data.ts';

export interface TransactionCsvResult {
  readonly transactions: MerchantTransaction[];
  readonly badRows: { readonly line: number; readonly message: string }[];
  readonly badRowCount: number;
}

const check = compileSchema(MerchantTransaction);
const FIELDS = ['id', 'merchantId', 'kind', 'at', 'amount', 'currency', 'orderId', 'customerId'] as const;
const camel = (name: string): string => name.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const MAX_REPORTED = 100;

export function parseTransactionCsv(text: string, onProgress?: (rows: number, of: number) => void): TransactionCsvResult {
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = (records[0] ?? []).map(camel);
  const missing = ['id', 'merchantId', 'kind', 'at', 'amount', 'currency'].filter((f) => !header.includes(f));
  if (missing.length > 0) return { transactions: [], badRows: [{ line: 1, message: `header lacks ${missing.join(', ')}` }], badRowCount: 1 };
  const at = Object.fromEntries(FIELDS.map((f) => [f, header.indexOf(f)]));
  const transactions: MerchantTransaction[] = [];
  const badRows: { line: number; message: string }[] = [];
  let badRowCount = 0;
  records.slice(1).forEach((record, i) => {
    const candidate: Record<string, string> = {};
    for (const f of FIELDS) {
      const value = record[at[f] ?? -1]?.trim();
      if (value !== undefined && value !== '') candidate[f] = value;
    }
    const result = check(candidate);
    if (result.ok) transactions.push(result.value);
    else {
      badRowCount += 1;
      if (badRows.length < MAX_REPORTED) badRows.push({ line: i + 2, message: result.error });
    }
    if (onProgress !== undefined && (i + 1) % 10_000 === 0) onProgress(i + 1, records.length - 1);
  });
  onProgress?.(records.length - 1, records.length - 1);
  return { transactions, badRows, badRowCount };
}
