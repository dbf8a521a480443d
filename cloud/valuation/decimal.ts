import { Decimal } from 'decimal.js';

// One Decimal constructor for every money, quantity and rate calculation in the cloud cores.
// 34 significant digits is the precision of IEEE 754-2008 decimal128, the format banks'
// ledgers commonly standardise on; it keeps products such as quantity × price × factor
// exact for any realistic receipt, and leaves divisions (ACT/360, pro-rata shares) with an
// error far below a minor unit. Intermediate rounding is half-even so that it carries no
// bias; money is rounded to minor units explicitly where a figure is reported.
export const Dec = Decimal.clone({
  precision: 34,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Dec = Decimal;

// Plain decimal notation only: optional sign, digits, optional fraction. decimal.js on its
// own also accepts exponents, hex, binary, "Infinity" and "NaN", none of which belongs in a
// wire amount ("Money is a decimal string", PROTOCOL.md, Cloud HTTP API).
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function isDecimalString(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

export function parseDecimal(text: string): Dec | undefined {
  const trimmed = text.trim();
  return PLAIN_DECIMAL.test(trimmed) ? new Dec(trimmed) : undefined;
}

// Decimal strings on the wire and in breakdowns: plain notation, no exponent, "-0" folded to "0".
export function toPlain(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}

export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThanOrEqualTo(b) ? a : b;
}

export function maxDec(a: Dec, b: Dec): Dec {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

export function sumDec(values: readonly Dec[]): Dec {
  return values.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0));
}
