import type { Facility } from '../db/generated/client.ts';
import { COMMODITY_CLASSES, resolveAdvanceRate, type CommodityClassId } from '../valuation/commodity-classes.ts';
import type { ConcentrationConfig } from '../valuation/concentration.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import type { DayCount } from './day-count.ts';
import type { FacilityTerms } from './facility.ts';
import { decodeFreeze } from './freeze-codec.ts';
import type { FreezeState } from './freeze.ts';
import type { LtvThresholds } from './ltv.ts';

// A facility row as the pure cores want it.
export function facilityTerms(row: Facility): FacilityTerms & { readonly ltvThresholds: LtvThresholds; readonly annualRate: string; readonly dayCount: DayCount } {
  return {
    id: row.id,
    currency: row.currency,
    limit: fromDb(row.limitAmount),
    unsecuredLimit: fromDb(row.unsecuredLimit),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    annualRate: fromDb(row.annualRate),
    dayCount: row.dayCount as DayCount,
    ltvThresholds: thresholdsOf(row),
  };
}

export function thresholdsOf(row: Facility): LtvThresholds {
  return { warning: fromDb(row.ltvWarning), marginCall: fromDb(row.ltvMarginCall), liquidation: fromDb(row.ltvLiquidation) };
}

export function freezeOf(row: Facility): FreezeState {
  return decodeFreeze(row.freezeState);
}

export function advanceRatesOf(row: Facility): Partial<Record<CommodityClassId, string>> {
  return (row.advanceRates ?? {}) as Partial<Record<CommodityClassId, string>>;
}

export function concentrationOf(row: Facility): ConcentrationConfig | undefined {
  return (row.concentration ?? undefined) as ConcentrationConfig | undefined;
}

// Rates were checked against the class ranges when the facility was created, so a
// stored rate is within its range; the class default covers classes not set.
export function advanceRateFor(row: Facility, classId: CommodityClassId): string {
  const resolved = resolveAdvanceRate(classId, advanceRatesOf(row)[classId]);
  return resolved.ok ? resolved.advanceRate : COMMODITY_CLASSES[classId].advanceRate.default;
}
