// The bank's lending policy for small unsecured lines to platform merchants, applied to
// a scored merchant: exclusions first (any one declines), then a line sized from the
// merchant's sales and priced from its PD. Every rule's outcome is kept so the decision
// explains itself next to the scorecard's reason codes.
import type { ReasonCode } from '../model/reason-codes.ts';
import type { FeatureRow } from '../features/merchant-features.ts';

export interface CreditPolicy {
  readonly currency: string;
  // Above this PD no line is offered.
  readonly maxPd: number;
  readonly minAccountAgeMonths: number;
  readonly maxCollateralIncidents12m: number;
  readonly maxLateRepayments12m: number;
  readonly minMonthlySales: number;
  // The line is this many months of the last three months' average sales, by PD band.
  readonly salesMultiples: readonly { readonly maxPd: number; readonly multiple: number }[];
  readonly minLine: number;
  readonly maxLine: number;
  // Lines are offered in whole steps of this amount, rounded down.
  readonly step: number;
  // Price: base rate plus this many times the PD (a simple expected-loss loading).
  readonly baseRate: number;
  readonly pdLoading: number;
  readonly offerValidDays: number;
}

export const DEFAULT_CREDIT_POLICY: CreditPolicy = {
  currency: 'EUR',
  maxPd: 0.12,
  minAccountAgeMonths: 6,
  maxCollateralIncidents12m: 1,
  maxLateRepayments12m: 2,
  minMonthlySales: 1000,
  salesMultiples: [
    { maxPd: 0.02, multiple: 1.0 },
    { maxPd: 0.05, multiple: 0.6 },
    { maxPd: 0.12, multiple: 0.3 },
  ],
  minLine: 500,
  maxLine: 50_000,
  step: 100,
  baseRate: 0.06,
  pdLoading: 1.5,
  offerValidDays: 30,
};

export interface RuleOutcome {
  readonly rule: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface PolicyDecision {
  readonly outcome: 'offer' | 'decline';
  // Whole currency units as a decimal string; null on a decline.
  readonly limit: string | null;
  readonly annualRate: string | null;
  readonly rules: readonly RuleOutcome[];
  readonly reasons: readonly ReasonCode[];
}

export interface ScoredMerchant {
  readonly pd: number;
  readonly score: number;
  readonly features: FeatureRow;
  readonly reasons: readonly ReasonCode[];
}

const present = (x: number): boolean => Number.isFinite(x);

export function decideLine(merchant: ScoredMerchant, policy: CreditPolicy = DEFAULT_CREDIT_POLICY): PolicyDecision {
  const f = merchant.features;
  const rules: RuleOutcome[] = [
    { rule: 'pd_within_appetite', passed: merchant.pd <= policy.maxPd, detail: `PD ${(merchant.pd * 100).toFixed(2)} % (at most ${(policy.maxPd * 100).toFixed(0)} %)` },
    { rule: 'account_age', passed: f.account_age_months >= policy.minAccountAgeMonths, detail: `${f.account_age_months} months on the platform (at least ${policy.minAccountAgeMonths})` },
    {
      rule: 'collateral_incidents',
      passed: f.collateral_incidents_12m <= policy.maxCollateralIncidents12m,
      detail: `${f.collateral_incidents_12m} collateral incidents in 12 months (at most ${policy.maxCollateralIncidents12m})`,
    },
    {
      rule: 'repayment_behaviour',
      passed: !present(f.late_repayments_12m) || f.late_repayments_12m <= policy.maxLateRepayments12m,
      detail: present(f.late_repayments_12m) ? `${f.late_repayments_12m} late repayments in 12 months (at most ${policy.maxLateRepayments12m})` : 'no facility with us yet',
    },
    { rule: 'minimum_sales', passed: f.sales_3m >= policy.minMonthlySales, detail: `average monthly sales ${f.sales_3m.toFixed(2)} (at least ${policy.minMonthlySales})` },
  ];
  const band = policy.salesMultiples.find((b) => merchant.pd <= b.maxPd);
  const sized = band === undefined ? 0 : Math.min(policy.maxLine, Math.floor((f.sales_3m * band.multiple) / policy.step) * policy.step);
  rules.push({
    rule: 'line_size',
    passed: sized >= policy.minLine,
    detail: band === undefined ? 'no PD band' : `${band.multiple} × monthly sales = ${sized} (at least ${policy.minLine}, at most ${policy.maxLine})`,
  });
  if (rules.some((r) => !r.passed)) return { outcome: 'decline', limit: null, annualRate: null, rules, reasons: merchant.reasons };
  const rate = policy.baseRate + policy.pdLoading * merchant.pd;
  return { outcome: 'offer', limit: String(sized), annualRate: rate.toFixed(4), rules, reasons: merchant.reasons };
}
