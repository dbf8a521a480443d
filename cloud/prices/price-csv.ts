import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse as parseStream, type InfoRecord, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { BadRow, PriceTick } from './price-tick.ts';
import { detectHeader, interpretRow, missingHeaderColumns, POSITIONAL_LAYOUT, type ColumnLayout } from './price-row.ts';

export type ProgressCallback = (rowsDone: number, bytesDone: number, totalBytes?: number) => void;

export interface PriceCsvOptions {
  readonly onProgress?: ProgressCallback;
  // Records between two progress calls; one more call is always made at the end.
  readonly progressEvery?: number;
  // Size of the whole input when the caller knows it (Content-Length, file size);
  // the synchronous parser knows it itself.
  readonly totalBytes?: number;
  // Receives each good tick as soon as it is read; ticks are then not collected in the
  // result, so a file of any size is parsed in constant memory.
  readonly onTick?: (tick: PriceTick) => void;
  // Bad rows kept in the result (all are counted): a file with a systematic fault would
  // otherwise produce one report per line.
  readonly maxBadRows?: number;
}

export interface PriceCsvResult {
  readonly ticks: readonly PriceTick[];
  readonly tickCount: number;
  readonly badRows: readonly BadRow[];
  readonly badRowCount: number;
  // Non-blank records read, header included.
  readonly rowsDone: number;
  readonly bytesDone: number;
  readonly headerDetected: boolean;
}

const DEFAULT_PROGRESS_EVERY = 1000;
const DEFAULT_MAX_BAD_ROWS = 1000;

// Collects the outcome of each record in file order. It is driven from csv-parse's
// on_record and on_skip hooks, which the parser calls synchronously and in order for
// both the sync and the streaming API, so line numbers can be tracked across records.
class PriceCsvCollector {
  private layout: ColumnLayout | undefined;
  private lastLine = 0;
  private readonly ticks: PriceTick[] = [];
  private tickCount = 0;
  private readonly badRows: BadRow[] = [];
  private badRowCount = 0;
  private rowsDone = 0;
  private bytesDone = 0;
  private readonly options: PriceCsvOptions;
  private readonly totalBytes: number | undefined;

  constructor(options: PriceCsvOptions, totalBytes: number | undefined) {
    this.options = options;
    this.totalBytes = totalBytes;
  }

  readonly parserOptions: Options = {
    bom: true,
    // Row length and stray quotes are judged here, per row, rather than by the parser:
    // a short row becomes "missing column", and a quote inside an unquoted field does
    // not derail the parser for the rest of the file.
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord) => {
      this.record(record, context.lines, context.bytes);
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      this.malformed(error);
      return undefined;
    },
  };

  private record(fields: readonly string[], endLine: number, bytes: number): void {
    const line = this.lastLine + 1;
    this.lastLine = endLine;
    this.bytesDone = bytes;
    if (fields.every((f) => f.trim() === '')) return;
    this.rowsDone += 1;
    if (this.layout === undefined) {
      const header = detectHeader(fields);
      this.layout = header ?? POSITIONAL_LAYOUT;
      if (header !== undefined) {
        for (const column of missingHeaderColumns(header)) {
          this.reject({ line, reason: 'missing_column', column, message: `header has no ${column} column` });
        }
        this.progress(false);
        return;
      }
    }
    const outcome = interpretRow(fields, this.layout, line);
    if (outcome.ok) {
      this.tickCount += 1;
      if (this.options.onTick === undefined) this.ticks.push(outcome.tick);
      else this.options.onTick(outcome.tick);
    } else {
      this.reject(outcome.bad);
    }
    this.progress(false);
  }

  malformed(error: CsvError | undefined): void {
    const line = this.lastLine + 1;
    const errorLine = typeof error?.['lines'] === 'number' ? error['lines'] : line;
    this.lastLine = Math.max(this.lastLine, errorLine);
    this.rowsDone += 1;
    this.reject({ line, reason: 'malformed_csv', message: `${error?.code ?? 'CSV error'}: ${error?.message ?? 'unreadable record'}` });
    this.progress(false);
  }

  private reject(row: BadRow): void {
    this.badRowCount += 1;
    if (this.badRows.length < (this.options.maxBadRows ?? DEFAULT_MAX_BAD_ROWS)) this.badRows.push(row);
  }

  progress(final: boolean): void {
    const every = this.options.progressEvery ?? DEFAULT_PROGRESS_EVERY;
    if (final || (this.rowsDone > 0 && this.rowsDone % every === 0)) {
      this.options.onProgress?.(this.rowsDone, this.bytesDone, this.totalBytes);
    }
  }

  finish(bytesDone: number): PriceCsvResult {
    this.bytesDone = Math.max(this.bytesDone, bytesDone);
    this.progress(true);
    return {
      ticks: this.ticks,
      tickCount: this.tickCount,
      badRows: this.badRows,
      badRowCount: this.badRowCount,
      rowsDone: this.rowsDone,
      bytesDone: this.bytesDone,
      headerDetected: this.layout?.header ?? false,
    };
  }
}

// Parses a whole CSV held in memory. Columns: commodity, price, currency, ts, and
// optionally source and unit, either in that order or named by a header row in any
// order. Bad rows are reported with their line number; this function does not throw
// on bad input.
export function parsePriceCsv(input: string | Uint8Array, options: PriceCsvOptions = {}): PriceCsvResult {
  const totalBytes = options.totalBytes ?? (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);
  const collector = new PriceCsvCollector(options, totalBytes);
  try {
    parseSync(input, collector.parserOptions);
  } catch (error) {
    // skip_records_with_error turns record errors into on_skip calls; an error that still
    // escapes leaves the rest of the input unreadable, and is reported like one.
    if (!(error instanceof CsvError)) throw error;
    collector.malformed(error);
  }
  return collector.finish(totalBytes);
}

// Same contract as parsePriceCsv, reading chunks as they arrive (an upload body, a file
// stream). Only an error of the source itself (a broken upload) rejects the promise.
export async function parsePriceCsvStream(
  source: AsyncIterable<string | Uint8Array>,
  options: PriceCsvOptions = {},
): Promise<PriceCsvResult> {
  const collector = new PriceCsvCollector(options, options.totalBytes);
  let bytesRead = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytesRead += bytes.byteLength;
      yield bytes;
    }
  }
  const parser = parseStream(collector.parserOptions);
  // on_record drops every record, so the parser's readable side stays empty; resume()
  // keeps it flowing so the pipeline can finish.
  parser.resume();
  try {
    await pipeline(Readable.from(counted()), parser);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    collector.malformed(error);
  }
  return collector.finish(bytesRead);
}
