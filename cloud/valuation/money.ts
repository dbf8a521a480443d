import type { Decimal } from 'decimal.js';
import { Dec, toPlain } from './decimal.ts';

// Wire shape of money (PROTOCOL.md, Cloud HTTP API: "a decimal string with currency").
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export type MoneyRounding = 'half-even' | 'half-up' | 'down' | 'up';

// ISO 4217 alphabetic codes are three upper-case letters.
const CURRENCY_CODE = /^[A-Z]{3}$/;

export function isCurrencyCode(code: string): boolean {
  return CURRENCY_CODE.test(code);
}

// ISO 4217 minor-unit exponents that differ from the usual 2. Funds codes and rarely
// traded currencies with other exponents (CLF 4, UYW 4) are left at 2; add them if a
// facility is ever denominated in one.
const MINOR_UNIT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0,
  RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function minorUnits(currency: string): number {
  return MINOR_UNIT_EXCEPTIONS[currency] ?? 2;
}

// Size of one minor unit, e.g. 0.01 for USD, 1 for JPY, 0.001 for KWD.
export function minorUnit(currency: string): Dec {
  return new Dec(10).pow(-minorUnits(currency));
}

const ROUNDING_MODE: Readonly<Record<MoneyRounding, Decimal.Rounding>> = {
  'half-even': Dec.ROUND_HALF_EVEN,
  'half-up': Dec.ROUND_HALF_UP,
  down: Dec.ROUND_DOWN,
  up: Dec.ROUND_UP,
};

export function roundToMinor(value: Dec, currency: string, rounding: MoneyRounding): Dec {
  return value.toDecimalPlaces(minorUnits(currency), ROUNDING_MODE[rounding]);
}

// Money amounts are reported with exactly the currency's minor-unit digits ("12.50", not "12.5").
export function formatMinor(value: Dec, currency: string, rounding: MoneyRounding): string {
  const rounded = roundToMinor(value, currency, rounding);
  return rounded.isZero() ? new Dec(0).toFixed(minorUnits(currency)) : rounded.toFixed(minorUnits(currency));
}

export function money(value: Dec, currency: string): Money {
  return { amount: toPlain(value), currency };
}
