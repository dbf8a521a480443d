// The synthetic trading platform's merchants and their default process. Everything the
// credit model is meant to find is written here, so tests can check it finds it.
//
// Each merchant draws its drivers once:
//   size       z ~ N(0,1): orders per month ≈ 6·e^{0.5z} (2–40), ticket ≈ 1500·e^{0.4z}
//   trend      g ~ N(0.01, 0.03): monthly growth of sales (log scale)
//   refunds    ρ = e^{N(ln 0.04, 0.6)} (≤ 0.5): share of orders refunded
//   disputes   δ = 0.1·ρ·e^{N(0, 0.5)}: share of orders disputed
//   customers  K = e^{N(ln 40, 0.9)} (≥ 1), orders spread over them by Zipf(1.1): few
//              customers means a concentrated book
//   account    opened 1–84 months before the first simulated month
//   seasonality amplitude U(0, 0.4), random phase: NOT a driver of default
//   facility   half the merchants borrow from the bank; each month they are late on the
//              repayment with probability e^{N(ln 0.06, 0.9)} (≤ 0.9)
//   incidents  collateral incidents at the gateways with monthly rate e^{N(ln 0.02, 1)}
//
// Default is a monthly hazard h with
//   logit h = −4.9 + 1.2·zRefund + 1.0·zDecline + 0.8·zConcentration − 0.6·zAge
//             − 0.4·zSize + 0.5·(late repayments in the last 12 months)
//             + 1.0·(incidents in the last 12 months)
// from the month `historyMonths` after the start (before it the platform only records
// history: the bank starts lending then).
//   zRefund = (ln ρ − ln 0.04)/0.6,  zDecline = −(g − 0.01)/0.03,
//   zConcentration = −(ln K − ln 40)/0.9,  zAge = ln(age in months / 24)
// After defaulting a merchant stops trading. `shift` moves every merchant's drivers by
// that many standard deviations towards risk (a population shift for PSI tests).
import type { Rng } from '../core/prng.ts';

export interface MerchantDrivers {
  readonly size: number;
  readonly growth: number;
  readonly refundRate: number;
  readonly disputeRate: number;
  readonly customers: number;
  readonly ageAtStartMonths: number;
  readonly seasonalAmplitude: number;
  readonly seasonalPhase: number;
  readonly borrows: boolean;
  readonly lateRate: number;
  readonly incidentRate: number;
}

export const HAZARD = {
  intercept: -4.9,
  refund: 1.2,
  decline: 1.0,
  concentration: 0.8,
  age: -0.6,
  size: -0.4,
  lateRepayment: 0.5,
  incident: 1.0,
} as const;

// The drivers the model should find, as the feature names the bank computes.
export const KNOWN_DRIVERS = ['refund_rate', 'sales_trend', 'customer_concentration', 'account_age_months', 'late_repayments_12m', 'collateral_incidents_12m'] as const;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function drawDrivers(rng: Rng, shift: number): MerchantDrivers {
  const size = rng.normal() - 0.5 * shift;
  const refundRate = clamp(Math.exp(Math.log(0.04) + 0.6 * (rng.normal() + shift)), 0.001, 0.5);
  return {
    size,
    growth: rng.gaussian(0.01, 0.03) - 0.03 * shift,
    refundRate,
    disputeRate: clamp(0.1 * refundRate * Math.exp(0.5 * rng.normal()), 0, 0.2),
    customers: Math.max(1, Math.round(Math.exp(Math.log(40) + 0.9 * (rng.normal() - shift)))),
    ageAtStartMonths: Math.max(1, Math.round(rng.int(1, 84) / (1 + shift))),
    seasonalAmplitude: rng.range(0, 0.4),
    seasonalPhase: rng.range(0, 2 * Math.PI),
    borrows: rng.chance(0.5),
    lateRate: clamp(Math.exp(Math.log(0.06) + 0.9 * (rng.normal() + shift)), 0, 0.9),
    incidentRate: clamp(Math.exp(Math.log(0.02) + rng.normal() + shift), 0, 0.5),
  };
}

export function monthlyHazard(d: MerchantDrivers, ageMonths: number, lateLastYear: number, incidentsLastYear: number): number {
  const zRefund = (Math.log(d.refundRate) - Math.log(0.04)) / 0.6;
  const zDecline = -(d.growth - 0.01) / 0.03;
  const zConcentration = -(Math.log(d.customers) - Math.log(40)) / 0.9;
  const zAge = Math.log(Math.max(1, ageMonths) / 24);
  const logit =
    HAZARD.intercept +
    HAZARD.refund * zRefund +
    HAZARD.decline * zDecline +
    HAZARD.concentration * zConcentration +
    HAZARD.age * zAge +
    HAZARD.size * d.size +
    HAZARD.lateRepayment * lateLastYear +
    HAZARD.incident * incidentsLastYear;
  return 1 / (1 + Math.exp(-logit));
}
