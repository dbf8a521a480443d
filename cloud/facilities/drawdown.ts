import { toPlain } from '../valuation/decimal.ts';
import { formatMinor, type Money } from '../valuation/money.ts';
import { checkAmount, type AmountProblem } from './amount.ts';
import { computeAvailability, type Availability, type CollateralLine } from './availability.ts';
import type { FacilityTerms } from './facility.ts';
import { activeHolds, type FreezeHold, type FreezeState } from './freeze.ts';

export interface DrawdownContext {
  readonly terms: FacilityTerms;
  readonly outstanding: string;
  readonly collateral: readonly CollateralLine[];
  readonly freeze: FreezeState;
  readonly now: Date;
}

export interface DrawdownRequest {
  readonly amount: Money;
}

// Refusals are business-rule breaches; the HTTP layer maps every one of them to 422.
export type DrawdownRefusal =
  | AmountProblem
  | { readonly code: 'not_yet_valid'; readonly validFrom: string; readonly message: string }
  | { readonly code: 'expired'; readonly validUntil: string; readonly message: string }
  | { readonly code: 'frozen'; readonly holds: readonly Pick<FreezeHold, 'id' | 'trigger' | 'since'>[]; readonly message: string }
  | {
      readonly code: 'exceeds_available';
      readonly requested: string;
      readonly available: string;
      readonly excess: string;
      readonly message: string;
    };

export type DrawdownDecision =
  | {
      readonly ok: true;
      readonly amount: Money;
      readonly outstandingBefore: string;
      readonly outstandingAfter: string;
      readonly availabilityBefore: Availability;
    }
  | { readonly ok: false; readonly refusal: DrawdownRefusal };

// Checks in the order a credit officer would explain a refusal: is the request itself
// valid, may this facility be drawn at all now, and is there room under the borrowing
// base and the limit.
export function checkDrawdown(context: DrawdownContext, request: DrawdownRequest): DrawdownDecision {
  const { terms, now } = context;
  const amount = checkAmount(request.amount, terms.currency);
  if (!amount.ok) return { ok: false, refusal: amount.problem };

  if (now.getTime() < terms.validFrom.getTime()) {
    const validFrom = terms.validFrom.toISOString();
    return { ok: false, refusal: { code: 'not_yet_valid', validFrom, message: `facility can be drawn from ${validFrom}` } };
  }
  if (now.getTime() >= terms.validUntil.getTime()) {
    const validUntil = terms.validUntil.toISOString();
    return { ok: false, refusal: { code: 'expired', validUntil, message: `facility expired at ${validUntil}` } };
  }

  const holds = activeHolds(context.freeze);
  if (holds.length > 0) {
    return {
      ok: false,
      refusal: {
        code: 'frozen',
        holds: holds.map(({ id, trigger, since }) => ({ id, trigger, since })),
        message: `drawings are frozen by ${holds.map((h) => h.id).join(', ')}`,
      },
    };
  }

  const availability = computeAvailability({
    currency: terms.currency,
    limit: terms.limit,
    outstanding: context.outstanding,
    collateral: context.collateral,
    ...(terms.unsecuredLimit === undefined ? {} : { unsecured: terms.unsecuredLimit }),
  });
  if (amount.amount.greaterThan(availability.available)) {
    const excess = formatMinor(amount.amount.minus(availability.available), terms.currency, 'up');
    return {
      ok: false,
      refusal: {
        code: 'exceeds_available',
        requested: toPlain(amount.amount),
        available: availability.available,
        excess,
        message: `requested ${toPlain(amount.amount)} ${terms.currency}, available ${availability.available}`,
      },
    };
  }
  return {
    ok: true,
    amount: { amount: formatMinor(amount.amount, terms.currency, 'down'), currency: terms.currency },
    outstandingBefore: availability.outstanding,
    outstandingAfter: formatMinor(amount.amount.plus(context.outstanding), terms.currency, 'up'),
    availabilityBefore: availability,
  };
}
