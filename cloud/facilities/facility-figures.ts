import { Dec, maxDec, toPlain } from '../valuation/decimal.ts';
import { computeAvailability, type Availability } from './availability.ts';
import { assessLtv, type LtvAssessment, type LtvThresholds } from './ltv.ts';

// A facility's collateral summed over its lines (collateral_line).
export interface CollateralTotals {
  readonly collateralValue: string;
  readonly lendingValue: string;
  // Σ lendingValue × advanceRate
  readonly advanceValue: string;
}

export interface FacilityFigures {
  readonly availability: Availability;
  readonly ltv: LtvAssessment;
  readonly collateralValue: string;
}

export interface FiguresInput {
  readonly currency: string;
  readonly limit: string;
  readonly outstanding: string;
  readonly thresholds: LtvThresholds;
  readonly totals: CollateralTotals;
  // Unsecured tranche (availability.ts); the LTV measures only what it does not cover.
  readonly unsecured?: string;
}

// The same figures as availability.ts and ltv.ts give from every line, computed from
// the sums: the borrowing base is Σ lendingValue × advanceRate rounded down once, so a
// single line carrying the advance value at a rate of 1 yields it exactly. This is what
// lets a price tick update thousands of facilities from one aggregate query.
// What the collateral has to cover: the outstanding beyond the unsecured tranche.
function securedOutstanding(outstanding: string, unsecured: string | undefined): string {
  if (unsecured === undefined) return outstanding;
  return toPlain(maxDec(new Dec(0), new Dec(outstanding).minus(unsecured)));
}

export function facilityFigures(input: FiguresInput): FacilityFigures {
  const availability = computeAvailability({
    currency: input.currency,
    limit: input.limit,
    outstanding: input.outstanding,
    collateral: [{ receiptId: 'pledged receipts', lendingValue: input.totals.advanceValue, advanceRate: '1' }],
    ...(input.unsecured === undefined ? {} : { unsecured: input.unsecured }),
  });
  const ltv = assessLtv({
    currency: input.currency,
    outstanding: securedOutstanding(input.outstanding, input.unsecured),
    lendingValue: input.totals.lendingValue,
    thresholds: input.thresholds,
  });
  return { availability: { ...availability, lines: [] }, ltv, collateralValue: input.totals.collateralValue };
}
