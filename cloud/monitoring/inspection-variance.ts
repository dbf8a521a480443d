import { Dec, isDecimalString, toPlain } from '../valuation/decimal.ts';
import { conversionFactor } from '../valuation/units.ts';
import type { QuantityValue } from './daily-report.ts';
import type { InspectionPolicy } from './inspection-plan.ts';

export type CountAssessment =
  | { comparable: true; verified: string; variance: string; withinTolerance: boolean; severity: 'warning' | 'critical' | null; shortfallFraction: string }
  | { comparable: false; withinTolerance: false; severity: 'warning'; reason: string };

/** `q` in `unit`: the same spelling, or a known conversion (mass to mass, volume to volume). */
function convert(q: QuantityValue, unit: string): Dec | null {
  if (!isDecimalString(q.value)) return null;
  if (q.unit.trim().toLowerCase() === unit.trim().toLowerCase()) return new Dec(q.value);
  const conversion = conversionFactor(q.unit, unit);
  return conversion.ok ? new Dec(q.value).times(conversion.factor) : null;
}

/**
 * Compares what the branch counted with what the system vouched for. A count that
 * cannot be compared (no verified quantity, units that do not convert) is a warning of
 * its own: the inspection could not confirm the collateral.
 */
export function assessCount(counted: QuantityValue, verified: QuantityValue | null, policy: Pick<InspectionPolicy, 'tolerance' | 'criticalShortfall'>): CountAssessment {
  if (verified === null) return { comparable: false, withinTolerance: false, severity: 'warning', reason: 'no verified quantity to compare with' };
  const system = convert(verified, counted.unit);
  if (system === null || !isDecimalString(counted.value)) {
    return { comparable: false, withinTolerance: false, severity: 'warning', reason: `cannot compare ${counted.unit} with ${verified.unit}` };
  }
  const count = new Dec(counted.value);
  const variance = count.minus(system);
  const allowed = system.abs().times(policy.tolerance);
  const withinTolerance = variance.abs().lessThanOrEqualTo(allowed);
  const shortfall = system.isZero() ? new Dec(variance.isNegative() ? 1 : 0) : Dec.max(0, variance.negated().dividedBy(system));
  const severity = withinTolerance ? null : shortfall.greaterThan(policy.criticalShortfall) ? 'critical' : 'warning';
  return { comparable: true, verified: toPlain(system), variance: toPlain(variance), withinTolerance, severity, shortfallFraction: toPlain(shortfall.toDecimalPlaces(6)) };
}
