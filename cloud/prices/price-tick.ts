// One observed price of a commodity, as accepted from a feed or an uploaded CSV.
export interface PriceTick {
  readonly commodity: string;
  // Positive plain decimal string, per `unit` when given.
  readonly price: string;
  // ISO 4217 code, upper case.
  readonly currency: string;
  readonly ts: Date;
  readonly source?: string;
  // Canonical unit code (see cloud/valuation/units.ts), when the row names one.
  readonly unit?: string;
  // 1-based physical line of the CSV record the tick was read from, so that checks made
  // after parsing (the importer's unit and commodity checks) report by line too.
  readonly line?: number;
}

export type BadRowReason =
  | 'missing_column'
  | 'bad_commodity'
  | 'bad_decimal'
  | 'negative_price'
  | 'zero_price'
  | 'bad_currency'
  | 'bad_timestamp'
  | 'unknown_unit'
  | 'too_many_columns'
  | 'malformed_csv';

export interface BadRow {
  // 1-based physical line on which the record starts.
  readonly line: number;
  readonly reason: BadRowReason;
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}
