import { describe, expect, it } from 'vitest';
import { readTabularCsv, TabularError } from '../../../../cloud/credit/trainer/tabular-csv.ts';

describe('tabular CSV for the trainer', () => {
  const csv = [
    'id,income,region,note,status',
    'a1,1200,north,late once,bad',
    'a2,,south,,good',
    'a3,3400.5,north,fine,good',
    'a4,NA,east,new,maybe',
    'a5,2.1e3,south,ok,BAD',
  ].join('\n');

  it('detects numeric and categorical columns, leaves identifiers and text out, and keeps binary targets only', () => {
    const result = readTabularCsv(csv, { target: 'status', maxCategories: 2 });
    expect(result.dataset.columns.map((c) => [c.name, c.kind])).toEqual([
      ['income', 'numeric'],
      ['region', 'categorical'],
    ]);
    expect(result.skippedColumns).toEqual([
      { column: 'id', reason: 'identifier_or_text' },
      { column: 'note', reason: 'identifier_or_text' },
    ]);
    expect(result.skippedRows).toBe(1);
    expect(Array.from(result.dataset.target)).toEqual([1, 0, 0, 1]);
    const income = result.dataset.columns[0];
    expect(income?.kind === 'numeric' ? Array.from(income.values) : []).toEqual([1200, Number.NaN, 3400.5, 2100]);
  });

  it('refuses a missing target column by name', () => {
    expect(() => readTabularCsv(csv, { target: 'defaulted' })).toThrow(TabularError);
  });
});
