import { assessLtv, type LtvAssessment, type LtvLevel, type LtvThresholds } from '../facilities/ltv.ts';
import { Dec, toPlain } from '../valuation/decimal.ts';
import { CLEAR, type Finding } from './finding.ts';
import type { SigmaEstimate } from './series-rules.ts';
import type { WarningRules } from './warning-rules.ts';

/** A facility's lending value in one commodity, with that commodity's σ. */
export interface Exposure {
  readonly commodity: string;
  readonly lendingValue: string;
  readonly sigma: SigmaEstimate;
}

export interface FacilityFacts {
  readonly id: string;
  readonly reference: string;
  readonly currency: string;
  readonly outstanding: string;
  readonly thresholds: LtvThresholds;
  readonly exposures: readonly Exposure[];
}

export function subjectOfFacility(id: string): string {
  return `facility:${id}`;
}

const round = (d: Dec, places = 6): string => toPlain(d.toDecimalPlaces(places));
const LEVEL_RANK: Readonly<Record<LtvLevel, number>> = { ok: 0, warning: 1, 'margin-call': 2, liquidation: 3 };

function totalLendingValue(exposures: readonly Exposure[]): Dec {
  return exposures.reduce((sum, e) => sum.plus(e.lendingValue), new Dec(0));
}

/**
 * The facility's LTV level (ltv.ts: LTV ≥ threshold), as a finding: 'ok' is clear, the
 * other levels open a case of their own kind with the severity the rules give it.
 */
function assessToday(facts: FacilityFacts): LtvAssessment {
  return assessLtv({ currency: facts.currency, outstanding: facts.outstanding, lendingValue: toPlain(totalLendingValue(facts.exposures)), thresholds: facts.thresholds });
}

export function ltvFinding(facts: FacilityFacts, rules: WarningRules, assessment: LtvAssessment = assessToday(facts)): Finding {
  const numbers = {
    reference: facts.reference,
    currency: facts.currency,
    outstanding: assessment.outstanding,
    lendingValue: assessment.lendingValue,
    ltv: assessment.ltv,
    warning: facts.thresholds.warning,
    marginCall: facts.thresholds.marginCall,
    liquidation: facts.thresholds.liquidation,
    repaymentToCure: assessment.cure?.repayment ?? null,
    collateralToCure: assessment.cure?.additionalLendingValue ?? null,
  };
  const base = { rule: 'facility.ltv' as const, subject: subjectOfFacility(facts.id), numbers };
  if (assessment.level === 'ok') return { ...base, level: CLEAR, severity: null, title: '' };
  const severity = { warning: rules.ltvLevels.warning, 'margin-call': rules.ltvLevels.marginCall, liquidation: rules.ltvLevels.liquidation }[assessment.level];
  const at = { warning: facts.thresholds.warning, 'margin-call': facts.thresholds.marginCall, liquidation: facts.thresholds.liquidation }[assessment.level];
  return {
    ...base,
    level: assessment.level,
    severity,
    title: `Facility ${facts.reference}: LTV ${assessment.ltv === null ? '∞' : round(new Dec(assessment.ltv), 4)} at the ${assessment.level} level (≥ ${at})`,
  };
}

/**
 * Forward look: every commodity falls by z·σ_c·√h at once (a one-day 99 % adverse move
 * at z = 2.33), the lending values with it (linear in the price, line-value.ts), floored
 * at zero. A facility below its margin-call level today whose stressed LTV reaches it
 * goes on the watch list, before it breaches.
 */
export function watchListFinding(facts: FacilityFacts, rules: WarningRules, today: LtvAssessment = assessToday(facts)): Finding {
  const z = new Dec(rules.forwardLook.z);
  const horizon = new Dec(rules.forwardLook.horizonDays).sqrt();
  const stressed = facts.exposures.reduce((sum, e) => {
    const fall = Dec.min(1, z.times(e.sigma.sigmaDaily).times(horizon));
    return sum.plus(new Dec(e.lendingValue).times(new Dec(1).minus(fall)));
  }, new Dec(0));
  const after = assessLtv({ currency: facts.currency, outstanding: facts.outstanding, lendingValue: toPlain(stressed), thresholds: facts.thresholds });
  const numbers = {
    reference: facts.reference,
    currency: facts.currency,
    outstanding: today.outstanding,
    lendingValue: today.lendingValue,
    ltv: today.ltv,
    stressedLendingValue: round(stressed, 2),
    stressedLtv: after.ltv === null ? null : round(new Dec(after.ltv)),
    marginCall: facts.thresholds.marginCall,
    z: rules.forwardLook.z,
    horizonDays: rules.forwardLook.horizonDays,
    sigmas: facts.exposures.map((e) => `${e.commodity}:${e.sigma.sigmaDaily}${e.sigma.basis === 'default' ? ' (class default)' : ''}`).join(', '),
  };
  const base = { rule: 'facility.watch_list' as const, subject: subjectOfFacility(facts.id), numbers };
  const breachesTomorrow = LEVEL_RANK[after.level] >= LEVEL_RANK['margin-call'];
  const breachedToday = LEVEL_RANK[today.level] >= LEVEL_RANK['margin-call'];
  if (!breachesTomorrow || breachedToday) return { ...base, level: CLEAR, severity: null, title: '' };
  return {
    ...base,
    level: 'watch',
    severity: rules.forwardLook.severity,
    title: `Facility ${facts.reference} on the watch list: LTV ${numbers.stressedLtv ?? '∞'} after a one-day 99 % move (margin call at ${facts.thresholds.marginCall})`,
  };
}

export function evaluateFacility(facts: FacilityFacts, rules: WarningRules): Finding[] {
  const today = assessToday(facts);
  return [ltvFinding(facts, rules, today), watchListFinding(facts, rules, today)];
}
