import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../../../cloud/facilities/availability.ts';
import { facilityFigures } from '../../../cloud/facilities/facility-figures.ts';
import { DEFAULT_LTV_THRESHOLDS } from '../../../cloud/facilities/ltv.ts';

describe('unsecured tranche of a facility (credit line accepted by the borrower)', () => {
  it('adds to the drawing power, never beyond the limit', () => {
    // collateral 10,000 × 0.7 = 7,000; tranche 2,000 → base 9,000; limit 8,000 caps it.
    const capped = computeAvailability({ currency: 'EUR', limit: '8000', outstanding: '1000', collateral: [{ receiptId: 'r', lendingValue: '10000', advanceRate: '0.7' }], unsecured: '2000' });
    expect(capped).toMatchObject({ borrowingBase: '9000.00', drawingPower: '8000.00', available: '7000.00' });
    const alone = computeAvailability({ currency: 'EUR', limit: '3000', outstanding: '0', collateral: [], unsecured: '3000' });
    expect(alone.available).toBe('3000.00');
    expect(computeAvailability({ currency: 'EUR', limit: '3000', outstanding: '0', collateral: [] }).available).toBe('0.00');
  });

  it('leaves the tranche out of the LTV: only what it does not cover leans on the collateral', () => {
    const totals = { collateralValue: '12000', lendingValue: '10000', advanceValue: '7000' };
    const input = { currency: 'EUR', limit: '9000', thresholds: DEFAULT_LTV_THRESHOLDS, totals };
    // outstanding 6,000 with a 2,000 tranche: LTV = (6,000 − 2,000) / 10,000 = 0.4
    expect(Number(facilityFigures({ ...input, outstanding: '6000', unsecured: '2000' }).ltv.ltv)).toBeCloseTo(0.4, 12);
    expect(Number(facilityFigures({ ...input, outstanding: '6000' }).ltv.ltv)).toBeCloseTo(0.6, 12);
    // drawn within the tranche only: nothing on the collateral
    expect(Number(facilityFigures({ ...input, outstanding: '1500', unsecured: '2000' }).ltv.ltv)).toBe(0);
  });
});
