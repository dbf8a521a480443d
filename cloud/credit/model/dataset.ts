// A table for training or scoring, held by column. Numeric columns use NaN for a missing
// value and categorical ones the empty string, so no column needs a second mask array.
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly values: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  readonly columns: readonly Column[];
  // 1 = bad (the event the model predicts, e.g. default), 0 = good.
  readonly target: Uint8Array;
}

// One observation to score: column name → number, category, or null when missing.
export type Observation = Readonly<Record<string, number | string | null | undefined>>;

export function subset(dataset: Dataset, rows: readonly number[]): Dataset {
  const pick = (column: Column): Column =>
    column.kind === 'numeric'
      ? { name: column.name, kind: 'numeric', values: Float64Array.from(rows, (r) => column.values[r] ?? Number.NaN) }
      : { name: column.name, kind: 'categorical', values: rows.map((r) => column.values[r] ?? '') };
  return { columns: dataset.columns.map(pick), target: Uint8Array.from(rows, (r) => dataset.target[r] ?? 0) };
}

export function observationAt(dataset: Dataset, row: number): Observation {
  const out: Record<string, number | string | null> = {};
  for (const column of dataset.columns) {
    const value = column.values[row];
    out[column.name] = value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value)) ? null : value;
  }
  return out;
}
