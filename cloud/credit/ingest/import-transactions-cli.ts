/**
 * Imports a trading platform's transaction CSV of any size into the bank through the
 * JSON API, in batches, as the platform's own integration would:
 *
 *   CREDIT_API_TOKEN=… npm run credit:import -- --csv FILE [--platform P] [--url URL] [--batch 1000]
 *
 * The header names the API's fields (id, merchantId, kind, at, amount, currency, orderId,
 * customerId; snake_case accepted). Rows are checked with the API's TypeBox schema
 * before sending; POST /api/v1/credit/transactions stores each id once, so an import
 * can be run again after a failure. --platform P stores ids as P:id (two platforms may
 * use the same ids). The token (a lender's or risk officer's) comes from the
 * environment, never the command line, where other users could read it.
 *
 * Progress goes to stderr: a bar on a terminal, JSON lines otherwise
 * ({"progress":0.42,"rows":…,"accepted":…,"duplicates":…,"refused":…}). The last line
 * on stdout is the JSON summary, with refused rows and their line numbers. Exit code
 * 0 when every row was stored (or already was), 1 when some were refused, 2 on usage or
 * a failure that stopped the import.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createProgressBar } from '../../prices/progress-bar.ts';
import type { MerchantTransaction } from '../../../protocol/credit/merchant-data.ts';
import { DEFAULT_IMPORT_BATCH, importTransactionCsv, type IngestAnswer } from './transaction-import.ts';

const USAGE = 'usage: CREDIT_API_TOKEN=… credit:import -- --csv FILE [--platform P] [--url URL] [--batch 1000]';
const PLATFORM = /^[A-Za-z0-9_.-]{1,32}$/;
// The API's own bound on a batch (MAX_TRANSACTIONS_PER_BATCH).
const MAX_BATCH = 5000;
const RETRIES = 3;

class UsageError extends Error {}

// Network failures and a busy or restarting cloud are retried: the API is idempotent on
// the transaction id, so a batch sent twice is stored once.
async function post(url: string, token: string, transactions: MerchantTransaction[]): Promise<IngestAnswer> {
  for (let attempt = 1; ; attempt += 1) {
    let res: Response;
    try {
      res = await fetch(`${url}/api/v1/credit/transactions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ transactions }) });
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      continue;
    }
    if ([502, 503, 504].includes(res.status) && attempt < RETRIES) {
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      continue;
    }
    const body = (await res.json().catch(() => ({}))) as Partial<IngestAnswer> & { message?: string };
    if (!res.ok) throw new Error(`the cloud refused the batch (${res.status}): ${body.message ?? res.statusText}`);
    return { accepted: body.accepted ?? 0, duplicates: body.duplicates ?? 0, rejected: body.rejected ?? [] };
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { csv: { type: 'string' }, platform: { type: 'string' }, url: { type: 'string' }, batch: { type: 'string', default: String(DEFAULT_IMPORT_BATCH) } },
    strict: true,
  });
  const token = process.env.CREDIT_API_TOKEN;
  const batchSize = Number(values.batch);
  if (values.csv === undefined) throw new UsageError('--csv FILE is required');
  if (token === undefined || token === '') throw new UsageError('CREDIT_API_TOKEN is not set (a lender or risk officer token)');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new UsageError(`--batch must be 1 to ${MAX_BATCH}`);
  if (values.platform !== undefined && !PLATFORM.test(values.platform)) throw new UsageError('--platform must be 1 to 32 letters, digits, _ . -');
  const url = (values.url ?? process.env.CLOUD_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`).replace(/\/+$/, '');
  const totalBytes = (await stat(values.csv)).size;

  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const bar = createProgressBar(process.stderr);
  let lastPercent = -1;
  const summary = await importTransactionCsv({
    source: createReadStream(values.csv),
    send: (batch) => post(url, token, batch),
    batchSize,
    ...(values.platform === undefined ? {} : { platform: values.platform }),
    onProgress: (p) => {
      const fraction = totalBytes === 0 ? 1 : Math.min(1, p.bytes / totalBytes);
      if (tty) {
        bar.update(p.bytes, totalBytes, `${p.rows.toLocaleString('en')} rows: ${p.accepted.toLocaleString('en')} stored, ${p.duplicates.toLocaleString('en')} known, ${p.refused.toLocaleString('en')} refused`);
        return;
      }
      // A log or a pipe gets a JSON line per percent at most.
      const percent = Math.floor(fraction * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      process.stderr.write(`${JSON.stringify({ progress: Number(fraction.toFixed(4)), rows: p.rows, accepted: p.accepted, duplicates: p.duplicates, refused: p.refused })}\n`);
    },
  });
  if (tty) bar.finish(`${summary.rows.toLocaleString('en')} rows in ${summary.batches} batches: ${summary.accepted.toLocaleString('en')} stored, ${summary.duplicates.toLocaleString('en')} already known, ${summary.refused} refused`);
  process.stdout.write(`${JSON.stringify({ file: values.csv, ...(values.platform === undefined ? {} : { platform: values.platform }), ...summary, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) })}\n`);
  return summary.refused === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  process.stderr.write(`credit:import: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  process.exitCode = 2;
}
