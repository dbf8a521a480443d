import { Dec, maxDec, minDec, parseDecimal, toPlain } from './decimal.ts';

// Per-commodity parameters of the volatility haircut.
export interface HaircutParams {
  // Lowest haircut whatever the measured volatility (model risk, gap risk, costs of sale).
  readonly floor: string;
  // One-sided standard-normal quantile; 2.33 ≈ Φ⁻¹(0.99), the 99% level used by Basel
  // market-risk VaR and most collateral haircut models.
  readonly z: string;
  // Days needed to sell the goods after a default (the holding period of the VaR).
  readonly liquidationDays: number;
}

export const DEFAULT_Z = '2.33';
// Highest haircut: even the most volatile goods keep some lending value, but never more
// than 5% of it; beyond that the goods are not bankable collateral and a credit officer
// decides case by case.
export const DEFAULT_HAIRCUT_CAP = '0.95';

export type HaircutBinding = 'risk' | 'floor' | 'cap' | 'no-volatility';

export interface HaircutBreakdown {
  readonly sigmaDaily: string | null;
  readonly z: string;
  readonly liquidationDays: number;
  readonly sqrtLiquidationDays: string;
  readonly riskHaircut: string | null;
  readonly floor: string;
  readonly cap: string;
  readonly haircut: string;
  readonly binding: HaircutBinding;
}

function fraction(name: string, text: string): Dec {
  const value = parseDecimal(text);
  if (value === undefined || value.isNegative() || value.greaterThan(1)) {
    throw new RangeError(`${name} must be a decimal in [0, 1], got "${text}"`);
  }
  return value;
}

// haircut = min(cap, max(floor, z · σ_daily · √liquidationDays)).
// The square-root-of-time rule scales a one-day volatility to the liquidation horizon,
// assuming independent daily log returns (as RiskMetrics and the Basel 10-day VaR do).
// Without a volatility estimate (a commodity with no price history yet) the haircut is
// the cap: the conservative answer until enough closes have been seen.
export function computeHaircut(
  sigmaDaily: string | undefined,
  params: HaircutParams,
  cap: string = DEFAULT_HAIRCUT_CAP,
): HaircutBreakdown {
  const floor = fraction('floor', params.floor);
  const capValue = fraction('cap', cap);
  if (floor.greaterThan(capValue)) throw new RangeError(`floor ${params.floor} is above cap ${cap}`);
  const z = parseDecimal(params.z);
  if (z === undefined || !z.isPositive() || z.isZero()) throw new RangeError(`z must be positive, got "${params.z}"`);
  if (!Number.isInteger(params.liquidationDays) || params.liquidationDays < 1) {
    throw new RangeError(`liquidationDays must be a positive integer, got ${params.liquidationDays}`);
  }
  const sqrtDays = new Dec(params.liquidationDays).sqrt();
  const common = {
    z: toPlain(z),
    liquidationDays: params.liquidationDays,
    sqrtLiquidationDays: toPlain(sqrtDays),
    floor: toPlain(floor),
    cap: toPlain(capValue),
  };
  if (sigmaDaily === undefined) {
    return { ...common, sigmaDaily: null, riskHaircut: null, haircut: toPlain(capValue), binding: 'no-volatility' };
  }
  const sigma = parseDecimal(sigmaDaily);
  if (sigma === undefined || sigma.isNegative()) throw new RangeError(`sigmaDaily must be a non-negative decimal, got "${sigmaDaily}"`);
  const risk = z.times(sigma).times(sqrtDays);
  const haircut = minDec(capValue, maxDec(floor, risk));
  const binding: HaircutBinding = risk.greaterThan(capValue) ? 'cap' : risk.lessThan(floor) ? 'floor' : 'risk';
  return { ...common, sigmaDaily: toPlain(sigma), riskHaircut: toPlain(risk), haircut: toPlain(haircut), binding };
}
