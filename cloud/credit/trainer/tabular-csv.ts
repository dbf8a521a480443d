// Reads any tabular CSV with a header row into a Dataset: the named binary target, and
// every other column detected as numeric (all non-empty values are numbers) or
// categorical (few distinct values). Columns that can be neither (identifiers, free
// text: nearly one value per row) are left out and reported, as are rows whose target
// is not binary.
import { parse } from 'csv-parse/sync';
import type { Column, Dataset } from '../model/dataset.ts';

export interface TabularOptions {
  readonly target: string;
  // Target values meaning "bad"; by default 1, true, yes, y, bad, default (any case).
  readonly badValues?: readonly string[];
  readonly goodValues?: readonly string[];
  readonly maxCategories?: number;
  readonly exclude?: readonly string[];
}

export interface TabularResult {
  readonly dataset: Dataset;
  readonly skippedColumns: readonly { readonly column: string; readonly reason: 'identifier_or_text' | 'empty' | 'excluded' }[];
  readonly skippedRows: number;
}

export class TabularError extends Error {}

const BAD = ['1', 'true', 'yes', 'y', 'bad', 'default'];
const GOOD = ['0', 'false', 'no', 'n', 'good'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

export function readTabularCsv(text: string | Uint8Array, options: TabularOptions): TabularResult {
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  const header = records[0];
  if (header === undefined) throw new TabularError('the file is empty');
  const targetAt = header.indexOf(options.target);
  if (targetAt < 0) throw new TabularError(`no column named ${JSON.stringify(options.target)}; columns: ${header.join(', ')}`);
  const bad = new Set((options.badValues ?? BAD).map((v) => v.toLowerCase()));
  const good = new Set((options.goodValues ?? GOOD).map((v) => v.toLowerCase()));
  const kept: string[][] = [];
  const target: number[] = [];
  let skippedRows = 0;
  for (const record of records.slice(1)) {
    const t = (record[targetAt] ?? '').toLowerCase();
    if (bad.has(t)) target.push(1);
    else if (good.has(t)) target.push(0);
    else {
      skippedRows += 1;
      continue;
    }
    kept.push(record);
  }
  if (kept.length === 0) throw new TabularError(`no row has a binary value in ${options.target}`);
  const maxCategories = options.maxCategories ?? Math.max(20, Math.min(100, Math.ceil(kept.length / 50)));
  const columns: Column[] = [];
  const skippedColumns: TabularResult['skippedColumns'][number][] = [];
  header.forEach((name, j) => {
    if (j === targetAt) return;
    if (options.exclude?.includes(name)) {
      skippedColumns.push({ column: name, reason: 'excluded' });
      return;
    }
    const cells = kept.map((r) => r[j] ?? '');
    const present = cells.filter((c) => !MISSING.has(c.toLowerCase()));
    if (present.length === 0) {
      skippedColumns.push({ column: name, reason: 'empty' });
    } else if (present.every((c) => NUMBER.test(c))) {
      columns.push({ name, kind: 'numeric', values: Float64Array.from(cells, (c) => (MISSING.has(c.toLowerCase()) ? Number.NaN : Number(c))) });
    } else if (new Set(present).size <= maxCategories) {
      columns.push({ name, kind: 'categorical', values: cells.map((c) => (MISSING.has(c.toLowerCase()) ? '' : c)) });
    } else {
      skippedColumns.push({ column: name, reason: 'identifier_or_text' });
    }
  });
  return { dataset: { columns, target: Uint8Array.from(target) }, skippedColumns, skippedRows };
}
