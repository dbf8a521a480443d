// Streams a platform's transaction CSV into the bank in batches (npm run credit:import):
// the file is parsed as it is read (csv-parse's stream, so a file of any size stays in
// bounded memory), each row checked by the JSON API's schema, good rows sent in batches
// through `send` (POST /api/v1/credit/transactions in the CLI), and every row refused,
// here or by the cloud (unknown merchant), reported with its line number.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { MerchantTransaction } from '../../../protocol/credit/merchant-data.ts';
import { checkTransactionRow, transactionColumns } from './transaction-csv.ts';

export interface IngestAnswer {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly id: string; readonly reason: string }[];
}

export interface ImportProgress {
  readonly bytes: number;
  readonly rows: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly refused: number;
}

export interface RefusedRow {
  readonly line: number;
  readonly id?: string;
  readonly reason: string;
}

export interface ImportSummary extends ImportProgress {
  readonly batches: number;
  // The first `maxReported` refused rows met, sorted by line; `refused` counts them all.
  readonly refusedRows: readonly RefusedRow[];
}

export interface ImportOptions {
  readonly source: Readable;
  readonly send: (transactions: MerchantTransaction[]) => Promise<IngestAnswer>;
  readonly batchSize?: number;
  /** The platform the file comes from: its ids are stored as `P:id`, so two platforms' ids never collide. */
  readonly platform?: string;
  readonly maxReported?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export const DEFAULT_IMPORT_BATCH = 1000;

export async function importTransactionCsv(options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  const maxReported = options.maxReported ?? 100;
  const prefix = options.platform === undefined ? '' : `${options.platform}:`;
  const refusedRows: RefusedRow[] = [];
  let refused = 0;
  let rows = 0;
  let accepted = 0;
  let duplicates = 0;
  let batches = 0;
  let bytes = 0;
  const refuse = (row: RefusedRow): void => {
    refused += 1;
    if (refusedRows.length < maxReported) refusedRows.push(row);
  };
  const progress = (): ImportProgress => ({ bytes, rows, accepted, duplicates, refused });

  let batch: { line: number; transaction: MerchantTransaction }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    const answer = await options.send(sent.map((r) => r.transaction));
    batches += 1;
    accepted += answer.accepted;
    duplicates += answer.duplicates;
    const lineOf = new Map(sent.map((r) => [r.transaction.id, r.line]));
    for (const r of answer.rejected) refuse({ line: lineOf.get(r.id) ?? 0, id: r.id, reason: r.reason });
    options.onProgress?.(progress());
  };

  const parser = options.source.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  let columns: ReturnType<typeof transactionColumns> | undefined;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
    bytes = item.info.bytes;
    if (columns === undefined) {
      columns = transactionColumns(item.record);
      if (!columns.ok) {
        refuse({ line: item.info.lines, reason: columns.message });
        break;
      }
      continue;
    }
    if (!columns.ok) break;
    rows += 1;
    const result = checkTransactionRow(columns.at, item.record, prefix);
    if (result.ok) batch.push({ line: item.info.lines, transaction: result.value });
    else refuse({ line: item.info.lines, reason: result.error });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  options.source.destroy();
  refusedRows.sort((a, b) => a.line - b.line);
  return { ...progress(), batches, refusedRows };
}
