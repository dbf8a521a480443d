import { Dec, toPlain } from '../valuation/decimal.ts';
import { formatMinor, type Money } from '../valuation/money.ts';
import { checkAmount, type AmountProblem } from './amount.ts';

export interface RepaymentContext {
  readonly currency: string;
  readonly outstanding: string;
}

export type RepaymentRefusal =
  | AmountProblem
  | { readonly code: 'overpayment'; readonly outstanding: string; readonly requested: string; readonly excess: string; readonly message: string };

export type RepaymentDecision =
  | { readonly ok: true; readonly amount: Money; readonly outstandingBefore: string; readonly outstandingAfter: string }
  | { readonly ok: false; readonly refusal: RepaymentRefusal };

// Repayments are accepted at any time, including while drawings are frozen, before a
// margin call's due time and after expiry: they only reduce risk. Paying more than is
// outstanding is refused rather than held as a credit balance, which this facility
// model does not have.
export function checkRepayment(context: RepaymentContext, request: { readonly amount: Money }): RepaymentDecision {
  const amount = checkAmount(request.amount, context.currency);
  if (!amount.ok) return { ok: false, refusal: amount.problem };
  const outstanding = new Dec(context.outstanding);
  if (amount.amount.greaterThan(outstanding)) {
    return {
      ok: false,
      refusal: {
        code: 'overpayment',
        outstanding: formatMinor(outstanding, context.currency, 'up'),
        requested: toPlain(amount.amount),
        excess: formatMinor(amount.amount.minus(outstanding), context.currency, 'up'),
        message: `repayment of ${toPlain(amount.amount)} exceeds outstanding ${toPlain(outstanding)} ${context.currency}`,
      },
    };
  }
  return {
    ok: true,
    amount: { amount: formatMinor(amount.amount, context.currency, 'down'), currency: context.currency },
    outstandingBefore: formatMinor(outstanding, context.currency, 'up'),
    outstandingAfter: formatMinor(outstanding.minus(amount.amount), context.currency, 'up'),
  };
}
