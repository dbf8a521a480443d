import { isDecimalString, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { isCurrencyCode } from '../valuation/money.ts';
import { canonicalUnit } from '../valuation/units.ts';
import type { BadRow, BadRowReason, PriceTick } from './price-tick.ts';
import { parseIsoInstant } from './timestamp.ts';

export const PRICE_COLUMNS = ['commodity', 'price', 'currency', 'ts', 'source', 'unit'] as const;
export type PriceColumn = (typeof PRICE_COLUMNS)[number];
const REQUIRED: readonly PriceColumn[] = ['commodity', 'price', 'currency', 'ts'];

// Header spellings accepted for each column, compared case-insensitively after trimming.
const HEADER_NAMES: Readonly<Record<PriceColumn, readonly string[]>> = {
  commodity: ['commodity', 'symbol', 'instrument'],
  price: ['price', 'close', 'value'],
  currency: ['currency', 'ccy'],
  ts: ['ts', 'timestamp', 'time', 'date', 'datetime'],
  source: ['source', 'feed'],
  unit: ['unit', 'uom', 'price_unit'],
};

// Index of each column in a record; `undefined` for a column the file does not have.
export interface ColumnLayout {
  readonly header: boolean;
  readonly index: Readonly<Record<PriceColumn, number | undefined>>;
  // Without a header the layout is positional and longer rows are an error.
  readonly maxFields: number | undefined;
}

export const POSITIONAL_LAYOUT: ColumnLayout = {
  header: false,
  index: { commodity: 0, price: 1, currency: 2, ts: 3, source: 4, unit: 5 },
  maxFields: PRICE_COLUMNS.length,
};

// The first non-blank record is a header when it names the commodity and price columns:
// a data row cannot, since its price field must be a number.
export function detectHeader(fields: readonly string[]): ColumnLayout | undefined {
  const names = fields.map((f) => f.trim().toLowerCase());
  const find = (column: PriceColumn): number | undefined => {
    const at = names.findIndex((n) => HEADER_NAMES[column].includes(n));
    return at < 0 ? undefined : at;
  };
  const index = {
    commodity: find('commodity'),
    price: find('price'),
    currency: find('currency'),
    ts: find('ts'),
    source: find('source'),
    unit: find('unit'),
  };
  if (index.commodity === undefined || index.price === undefined) return undefined;
  return { header: true, index, maxFields: undefined };
}

export function missingHeaderColumns(layout: ColumnLayout): PriceColumn[] {
  return REQUIRED.filter((c) => layout.index[c] === undefined);
}

export type RowOutcome = { readonly ok: true; readonly tick: PriceTick } | { readonly ok: false; readonly bad: BadRow };

// Reported values are cut short: a report quoting a runaway field would be as large as the file.
const MAX_REPORTED_VALUE = 100;

function bad(line: number, reason: BadRowReason, message: string, column?: PriceColumn, value?: string): RowOutcome {
  const shown = value === undefined || value.length <= MAX_REPORTED_VALUE ? value : `${value.slice(0, MAX_REPORTED_VALUE)}…`;
  return { ok: false, bad: { line, reason, message, ...(column === undefined ? {} : { column }), ...(shown === undefined ? {} : { value: shown }) } };
}

// Quotes and control characters in a commodity code come from a broken export
// (unbalanced quoting that the lenient parser let through), not from a real code; nor
// does a code run to more than 64 characters (the identifier length of PROTOCOL.md).
const BAD_COMMODITY = /["\u0000-\u001f\u007f]/;
const MAX_COMMODITY_LENGTH = 64;

export function interpretRow(fields: readonly string[], layout: ColumnLayout, line: number): RowOutcome {
  if (layout.maxFields !== undefined && fields.length > layout.maxFields) {
    return bad(line, 'too_many_columns', `expected at most ${layout.maxFields} fields without a header, got ${fields.length}`);
  }
  const cell = (column: PriceColumn): string | undefined => {
    const at = layout.index[column];
    const value = at === undefined ? undefined : fields[at]?.trim();
    return value === '' ? undefined : value;
  };
  for (const column of REQUIRED) {
    if (cell(column) === undefined) return bad(line, 'missing_column', `missing ${column}`, column);
  }
  const commodity = cell('commodity') ?? '';
  const priceText = cell('price') ?? '';
  const currencyText = cell('currency') ?? '';
  const tsText = cell('ts') ?? '';

  if (BAD_COMMODITY.test(commodity) || commodity.length > MAX_COMMODITY_LENGTH) {
    return bad(line, 'bad_commodity', `commodity is longer than ${MAX_COMMODITY_LENGTH} characters or has quotes or control characters`, 'commodity', commodity);
  }
  const price = isDecimalString(priceText) ? parseDecimal(priceText) : undefined;
  if (price === undefined) {
    return bad(line, 'bad_decimal', `price "${priceText}" is not a plain decimal (digits, optional sign and point; no exponent or thousands separator)`, 'price', priceText);
  }
  if (price.isNegative() && !price.isZero()) return bad(line, 'negative_price', `price ${priceText} is negative`, 'price', priceText);
  if (price.isZero()) return bad(line, 'zero_price', 'price is zero', 'price', priceText);

  // Case is normalised ("usd" → "USD"); anything other than three letters ("$", "US$",
  // "USDT") is not an ISO 4217 code.
  const currency = currencyText.toUpperCase();
  if (!isCurrencyCode(currency)) return bad(line, 'bad_currency', `currency "${currencyText}" is not an ISO 4217 three-letter code`, 'currency', currencyText);

  const ts = parseIsoInstant(tsText);
  if (ts === undefined) {
    return bad(line, 'bad_timestamp', `ts "${tsText}" is not an ISO 8601 date, or date-time with offset`, 'ts', tsText);
  }

  const unitText = cell('unit');
  const unit = unitText === undefined ? undefined : canonicalUnit(unitText);
  if (unitText !== undefined && unit === undefined) return bad(line, 'unknown_unit', `unit "${unitText}" is not known`, 'unit', unitText);

  const source = cell('source');
  return {
    ok: true,
    tick: {
      commodity,
      price: toPlain(price),
      currency,
      ts,
      ...(source === undefined ? {} : { source }),
      ...(unit === undefined ? {} : { unit }),
      line,
    },
  };
}
