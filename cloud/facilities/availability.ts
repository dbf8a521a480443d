import { Dec, maxDec, minDec, parseDecimal, sumDec } from '../valuation/decimal.ts';
import { formatMinor } from '../valuation/money.ts';

// One pledged receipt as the facility sees it.
export interface CollateralLine {
  readonly receiptId: string;
  // From valueCollateral(): value after reserves and haircut.
  readonly lendingValue: string;
  // From resolveAdvanceRate() for the receipt's commodity class.
  readonly advanceRate: string;
}

export interface AvailabilityInput {
  readonly currency: string;
  readonly limit: string;
  readonly outstanding: string;
  readonly collateral: readonly CollateralLine[];
  // An unsecured tranche granted on the borrower's own credit (cloud/credit): drawing
  // power beyond the collateral's; absent or 0 for a purely secured facility.
  readonly unsecured?: string;
}

export interface Availability {
  readonly currency: string;
  readonly limit: string;
  // borrowingBase = Σ lendingValue × advanceRate + unsecured tranche, rounded down to a whole minor unit
  readonly borrowingBase: string;
  // drawingPower = min(limit, borrowingBase)
  readonly drawingPower: string;
  readonly outstanding: string;
  // available = max(0, drawingPower − outstanding)
  readonly available: string;
  // shortfall = max(0, outstanding − drawingPower): collateral lost value after drawing
  readonly shortfall: string;
  readonly lines: readonly (CollateralLine & { readonly advanceValue: string })[];
}

function nonNegative(name: string, text: string): Dec {
  const value = parseDecimal(text);
  if (value === undefined || value.isNegative()) throw new RangeError(`${name} must be a non-negative decimal, got "${text}"`);
  return value;
}

// Money figures are rounded toward zero to whole minor units: the borrower may never
// draw a fraction of a cent that the collateral does not cover.
export function computeAvailability(input: AvailabilityInput): Availability {
  const limit = nonNegative('limit', input.limit);
  const outstanding = nonNegative('outstanding', input.outstanding);
  const lines = input.collateral.map((line) => {
    const lendingValue = nonNegative(`lendingValue of ${line.receiptId}`, line.lendingValue);
    const advanceRate = nonNegative(`advanceRate of ${line.receiptId}`, line.advanceRate);
    if (advanceRate.greaterThan(1)) throw new RangeError(`advanceRate of ${line.receiptId} is above 1`);
    return { line, advanceValue: lendingValue.times(advanceRate) };
  });
  const fmt = (value: Dec): string => formatMinor(value, input.currency, 'down');
  const unsecured = nonNegative('unsecured', input.unsecured ?? '0');
  const borrowingBase = new Dec(fmt(sumDec(lines.map((l) => l.advanceValue)).plus(unsecured)));
  const drawingPower = minDec(limit, borrowingBase);
  const zero = new Dec(0);
  return {
    currency: input.currency,
    limit: fmt(limit),
    borrowingBase: fmt(borrowingBase),
    drawingPower: fmt(drawingPower),
    outstanding: formatMinor(outstanding, input.currency, 'up'),
    available: fmt(maxDec(zero, drawingPower.minus(outstanding))),
    shortfall: formatMinor(maxDec(zero, outstanding.minus(drawingPower)), input.currency, 'up'),
    lines: lines.map(({ line, advanceValue }) => ({ ...line, advanceValue: advanceValue.toFixed() })),
  };
}
