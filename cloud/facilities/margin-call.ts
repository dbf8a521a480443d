import { Dec, toPlain } from '../valuation/decimal.ts';
import { assessLtv, DEFAULT_LTV_THRESHOLDS, type LtvThresholds } from './ltv.ts';

export type MarginCallCause = 'repayment' | 'collateral' | 'market';

interface MarginCallBase {
  readonly id: string;
  readonly facilityId: string;
  readonly openedAt: Date;
  readonly dueAt: Date;
  readonly ltvAtOpen: string | null;
  // Cured once the LTV is strictly below this (the facility's warning threshold): curing
  // to just under the margin-call level would reopen the call on the next price tick.
  readonly cureBelow: string;
  readonly latestLtv: string | null;
}

export type MarginCall =
  | (MarginCallBase & { readonly status: 'open' })
  | (MarginCallBase & { readonly status: 'cured'; readonly curedAt: Date; readonly curedBy: MarginCallCause })
  | (MarginCallBase & { readonly status: 'expired'; readonly expiredAt: Date })
  | (MarginCallBase & { readonly status: 'liquidated'; readonly expiredAt: Date; readonly liquidatedAt: Date });

export type MarginCallStatus = MarginCall['status'];

export type MarginCallEvent =
  // The facility's LTV was recomputed after a repayment, a new pledge or a price move.
  | { readonly type: 'ltv-changed'; readonly at: Date; readonly ltv: string | null; readonly cause: MarginCallCause }
  // Time passed; the caller feeds the current time (no clock is read here).
  | { readonly type: 'clock'; readonly now: Date }
  // The lender started selling the collateral.
  | { readonly type: 'liquidated'; readonly at: Date };

export type MarginCallError =
  | { readonly code: 'not_at_margin_call_level'; readonly ltv: string | null; readonly message: string }
  | { readonly code: 'invalid_transition'; readonly from: MarginCallStatus; readonly event: MarginCallEvent['type']; readonly message: string };

export type MarginCallResult = { readonly ok: true; readonly call: MarginCall } | { readonly ok: false; readonly error: MarginCallError };

// Cure period: a facility term. Two days is the short end of practice for commodity
// finance margin calls (one to five business days); business-day calendars are left to
// the caller, who may pass its own period.
export const DEFAULT_CURE_PERIOD_MS = 2 * 86_400_000;

export interface OpenMarginCall {
  readonly id: string;
  readonly facilityId: string;
  readonly at: Date;
  readonly outstanding: string;
  readonly lendingValue: string;
  readonly currency: string;
  readonly thresholds?: LtvThresholds;
  readonly curePeriodMs?: number;
}

export function openMarginCall(input: OpenMarginCall): MarginCallResult {
  const thresholds = input.thresholds ?? DEFAULT_LTV_THRESHOLDS;
  const assessment = assessLtv({ ...input, thresholds });
  if (assessment.level !== 'margin-call' && assessment.level !== 'liquidation') {
    return {
      ok: false,
      error: { code: 'not_at_margin_call_level', ltv: assessment.ltv, message: `LTV ${assessment.ltv ?? '∞'} is below the margin-call threshold` },
    };
  }
  return {
    ok: true,
    call: {
      status: 'open',
      id: input.id,
      facilityId: input.facilityId,
      openedAt: input.at,
      dueAt: new Date(input.at.getTime() + (input.curePeriodMs ?? DEFAULT_CURE_PERIOD_MS)),
      ltvAtOpen: assessment.ltv,
      cureBelow: thresholds.warning,
      latestLtv: assessment.ltv,
    },
  };
}

function invalid(call: MarginCall, event: MarginCallEvent): MarginCallResult {
  return {
    ok: false,
    error: { code: 'invalid_transition', from: call.status, event: event.type, message: `cannot apply ${event.type} to a ${call.status} margin call` },
  };
}

function expire(call: MarginCall & { status: 'open' }): MarginCall {
  // Expiry is dated at the due time, not when it is noticed.
  return { ...call, status: 'expired', expiredAt: call.dueAt };
}

// Pure transitions:
//   open ──ltv below cureBelow before dueAt──▶ cured
//   open ──time reaches dueAt──▶ expired (liquidation eligible) ──liquidated──▶ liquidated
// An LTV change on a closed call is recorded or ignored, never an error: repayments are
// allowed at any time. Liquidating during the cure period, or a cured call, is refused.
export function applyMarginCallEvent(call: MarginCall, event: MarginCallEvent): MarginCallResult {
  const at = event.type === 'clock' ? event.now : event.at;
  const current: MarginCall = call.status === 'open' && at.getTime() >= call.dueAt.getTime() ? expire(call) : call;

  switch (event.type) {
    case 'clock':
      return { ok: true, call: current };
    case 'ltv-changed': {
      if (current.status === 'open') {
        const cured = event.ltv !== null && new Dec(event.ltv).lessThan(current.cureBelow);
        return cured
          ? { ok: true, call: { ...current, status: 'cured', latestLtv: toPlain(new Dec(event.ltv ?? '0')), curedAt: event.at, curedBy: event.cause } }
          : { ok: true, call: { ...current, latestLtv: event.ltv } };
      }
      if (current.status === 'expired') return { ok: true, call: { ...current, latestLtv: event.ltv } };
      return { ok: true, call: current };
    }
    case 'liquidated':
      if (current.status !== 'expired') return invalid(current, event);
      return { ok: true, call: { ...current, status: 'liquidated', liquidatedAt: event.at } };
  }
}

// Past due: the cure period has run out without a cure (whether or not a clock event
// has been applied yet). Such a call makes the collateral eligible for liquidation and
// freezes drawings (freeze.ts).
export function isPastDue(call: MarginCall, now: Date): boolean {
  return call.status === 'expired' || (call.status === 'open' && now.getTime() >= call.dueAt.getTime());
}

export function isLiquidationEligible(call: MarginCall, now: Date): boolean {
  return isPastDue(call, now);
}
