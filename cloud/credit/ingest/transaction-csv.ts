// Platform transactions as CSV, one per row, under a header naming the columns of the
// JSON API (id, merchantId, kind, at, amount, currency, orderId, customerId; snake_case
// accepted). Each row is checked against the same schema as the JSON API; bad rows are
// reported by line and never stop the rest. The header and row checks are shared by the
// whole-text parser (the import route) and the streaming import (npm run credit:import).
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
const REQUIRED = ['id', 'merchantId', 'kind', 'at', 'amount', 'currency'] as const;
const camel = (name: string): string => name.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const MAX_REPORTED = 100;

/** Where each field is in a row, or what the header lacks. */
export type TransactionColumns = { readonly ok: true; readonly at: Readonly<Record<(typeof FIELDS)[number], number>> } | { readonly ok: false; readonly message: string };

export function transactionColumns(headerRow: readonly string[]): TransactionColumns {
  const header = headerRow.map(camel);
  const missing = REQUIRED.filter((f) => !header.includes(f));
  if (missing.length > 0) return { ok: false, message: `header lacks ${missing.join(', ')}` };
  return { ok: true, at: Object.fromEntries(FIELDS.map((f) => [f, header.indexOf(f)])) as Record<(typeof FIELDS)[number], number> };
}

/**
 * One row checked by the JSON API's schema. `idPrefix` namespaces the platform's ids
 * (`P:` for platform P) before the check, so the stored id is what the schema allowed.
 */
export function checkTransactionRow(at: Readonly<Record<(typeof FIELDS)[number], number>>, record: readonly string[], idPrefix = ''): { ok: true; value: MerchantTransaction } | { ok: false; error: string } {
  const candidate: Record<string, string> = {};
  for (const f of FIELDS) {
    const value = record[at[f]]?.trim();
    if (value !== undefined && value !== '') candidate[f] = value;
  }
  if (idPrefix !== '' && candidate.id !== undefined) candidate.id = `${idPrefix}${candidate.id}`;
  return check(candidate);
}

export function parseTransactionCsv(text: string, onProgress?: (rows: number, of: number) => void): TransactionCsvResult {
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const columns = transactionColumns(records[0] ?? []);
  if (!columns.ok) return { transactions: [], badRows: [{ line: 1, message: columns.message }], badRowCount: 1 };
  const transactions: MerchantTransaction[] = [];
  const badRows: { line: number; message: string }[] = [];
  let badRowCount = 0;
  records.slice(1).forEach((record, i) => {
    const result = checkTransactionRow(columns.at, record);
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
