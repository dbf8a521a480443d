import { Dec, decimalPlaces, isDecimalString, parseDecimal } from '../valuation/decimal.ts';
import { minorUnits, type Money } from '../valuation/money.ts';

export type AmountProblem =
  | { readonly code: 'invalid_amount'; readonly message: string }
  | { readonly code: 'non_positive_amount'; readonly message: string }
  | { readonly code: 'currency_mismatch'; readonly expected: string; readonly received: string; readonly message: string };

export type AmountCheck = { readonly ok: true; readonly amount: Dec } | { readonly ok: false; readonly problem: AmountProblem };

// A drawing or a repayment moves real money, so its amount must be a plain decimal in
// the facility's currency with no more digits than the currency's minor unit
// (ISO 4217): 100.005 USD cannot be paid.
export function checkAmount(amount: Money, currency: string): AmountCheck {
  if (amount.currency !== currency) {
    return {
      ok: false,
      problem: {
        code: 'currency_mismatch',
        expected: currency,
        received: amount.currency,
        message: `amount is in ${amount.currency}, facility is in ${currency}`,
      },
    };
  }
  const text = amount.amount.trim();
  const value = isDecimalString(text) ? parseDecimal(text) : undefined;
  if (value === undefined) {
    return { ok: false, problem: { code: 'invalid_amount', message: `"${amount.amount}" is not a decimal amount` } };
  }
  if (!value.greaterThan(0)) {
    return { ok: false, problem: { code: 'non_positive_amount', message: `amount must be positive, got ${amount.amount}` } };
  }
  const places = minorUnits(currency);
  if (decimalPlaces(text) > places && !value.equals(value.toDecimalPlaces(places))) {
    return { ok: false, problem: { code: 'invalid_amount', message: `${currency} amounts have at most ${places} decimals` } };
  }
  return { ok: true, amount: value };
}
