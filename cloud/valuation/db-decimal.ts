import { Dec, toPlain } from './decimal.ts';

// Prisma hands NUMERIC columns over as its own Decimal (decimal.js underneath); the cores
// take plain decimal strings. toFixed() without digits never uses exponent notation,
// which toString() would for very small or large values.
interface DecimalLike {
  toFixed(): string;
}

export function fromDb(value: DecimalLike): string {
  return toPlain(new Dec(value.toFixed()));
}

export function fromDbOrNull(value: DecimalLike | null | undefined): string | null {
  return value === null || value === undefined ? null : fromDb(value);
}

// Stored valuation figures keep 12 decimal places: far below any minor unit, and the
// same scale the set-based revaluation (cloud/risk/revalue-series.ts) rounds to.
export const STORED_SCALE = 12;

export function toStored(value: Dec | string): string {
  return toPlain(new Dec(value).toDecimalPlaces(STORED_SCALE, Dec.ROUND_HALF_UP));
}
