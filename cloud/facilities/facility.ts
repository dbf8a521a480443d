import type { DayCount } from './day-count.ts';
import type { LtvThresholds } from './ltv.ts';

// Terms of one revolving receipt-financing facility, as plain data.
export interface FacilityTerms {
  readonly id: string;
  readonly currency: string;
  // Committed limit: drawings never exceed it whatever the collateral.
  readonly limit: string;
  // The facility can be drawn from validFrom (inclusive) until validUntil (exclusive).
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly annualRate?: string;
  // Unsecured tranche (availability.ts), '0' for a purely secured facility.
  readonly unsecuredLimit?: string;
  readonly dayCount?: DayCount;
  readonly ltvThresholds?: LtvThresholds;
}
