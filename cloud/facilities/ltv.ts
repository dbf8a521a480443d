import { Dec, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { formatMinor, minorUnit } from '../valuation/money.ts';

// LTV thresholds of a facility, as fractions. A level applies from its threshold
// upwards (LTV ≥ threshold), so an LTV exactly at the margin-call threshold is a margin call.
export interface LtvThresholds {
  readonly warning: string;
  readonly marginCall: string;
  readonly liquidation: string;
}

// Defaults sit just above the highest default advance rate of the usual classes (0.70 –
// 0.85, see commodity-classes.ts) so that a facility drawn to its borrowing base starts
// near, not inside, the warning zone, and leave 5-point steps for prices to move between
// levels, as in margin-lending practice. Facilities with higher advance rates must set
// their own thresholds above them.
export const DEFAULT_LTV_THRESHOLDS: LtvThresholds = {
  warning: '0.80',
  marginCall: '0.85',
  liquidation: '0.90',
};

export type LtvLevel = 'ok' | 'warning' | 'margin-call' | 'liquidation';

export interface LtvCure {
  // Target: LTV strictly below the warning threshold.
  readonly targetBelow: string;
  // Smallest repayment, in whole minor units, that reaches the target on its own.
  readonly repayment: string;
  // Smallest additional lending value (post-haircut, pre-advance-rate, like the
  // denominator), in whole minor units, that reaches the target on its own.
  readonly additionalLendingValue: string;
}

export interface LtvAssessment {
  readonly currency: string;
  readonly outstanding: string;
  readonly lendingValue: string;
  // outstanding / lendingValue; null when there is debt and no collateral value at all.
  readonly ltv: string | null;
  readonly level: LtvLevel;
  readonly thresholds: LtvThresholds;
  readonly cure: LtvCure | null;
}

export interface LtvInput {
  readonly currency: string;
  readonly outstanding: string;
  // Σ lending value of the pledged receipts: collateral value after reserves and haircut,
  // before the advance rate. The advance rate limits new drawings (availability.ts); the
  // LTV measures cover against the haircut value, so a fully drawn facility shows an LTV
  // equal to its advance rate and the thresholds measure erosion from there.
  readonly lendingValue: string;
  readonly thresholds?: LtvThresholds;
}

function readThresholds(t: LtvThresholds): { warning: Dec; marginCall: Dec; liquidation: Dec } {
  const warning = parseDecimal(t.warning);
  const marginCall = parseDecimal(t.marginCall);
  const liquidation = parseDecimal(t.liquidation);
  if (
    warning === undefined || marginCall === undefined || liquidation === undefined ||
    !warning.greaterThan(0) || !warning.lessThan(marginCall) || !marginCall.lessThan(liquidation)
  ) {
    throw new RangeError(`LTV thresholds must satisfy 0 < warning < marginCall < liquidation, got ${JSON.stringify(t)}`);
  }
  return { warning, marginCall, liquidation };
}

export function checkLtvThresholds(t: LtvThresholds): string | undefined {
  try {
    readThresholds(t);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// Smallest whole number of minor units strictly greater than x (0 when x < 0).
function aboveInMinorUnits(x: Dec, currency: string): Dec {
  if (x.isNegative()) return new Dec(0);
  const unit = minorUnit(currency);
  return x.dividedBy(unit).floor().plus(1).times(unit);
}

export function assessLtv(input: LtvInput): LtvAssessment {
  const thresholds = input.thresholds ?? DEFAULT_LTV_THRESHOLDS;
  const t = readThresholds(thresholds);
  const outstanding = new Dec(input.outstanding);
  const lendingValue = new Dec(input.lendingValue);
  const base = {
    currency: input.currency,
    outstanding: toPlain(outstanding),
    lendingValue: toPlain(lendingValue),
    thresholds,
  };
  if (!outstanding.greaterThan(0)) return { ...base, ltv: '0', level: 'ok', cure: null };

  const ltv = lendingValue.greaterThan(0) ? outstanding.dividedBy(lendingValue) : null;
  const level: LtvLevel =
    ltv === null || ltv.greaterThanOrEqualTo(t.liquidation) ? 'liquidation'
      : ltv.greaterThanOrEqualTo(t.marginCall) ? 'margin-call'
        : ltv.greaterThanOrEqualTo(t.warning) ? 'warning'
          : 'ok';
  if (level === 'ok') return { ...base, ltv: ltv === null ? null : toPlain(ltv), level, cure: null };

  // (O − R) / C < w  ⇔  R > O − w·C;   O / (C + A) < w  ⇔  A > O / w − C.
  // Both rounded up to the next whole minor unit strictly above the bound, so paying
  // exactly the cure amount leaves the LTV below, never at, the warning threshold.
  const repayment = aboveInMinorUnits(outstanding.minus(t.warning.times(lendingValue)), input.currency);
  const additional = aboveInMinorUnits(outstanding.dividedBy(t.warning).minus(lendingValue), input.currency);
  return {
    ...base,
    ltv: ltv === null ? null : toPlain(ltv),
    level,
    cure: {
      targetBelow: toPlain(t.warning),
      repayment: formatMinor(Dec.min(repayment, outstanding), input.currency, 'up'),
      additionalLendingValue: formatMinor(additional, input.currency, 'up'),
    },
  };
}
