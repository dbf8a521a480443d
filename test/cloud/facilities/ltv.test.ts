import { describe, expect, it } from 'vitest';
import { assessLtv, checkLtvThresholds, DEFAULT_LTV_THRESHOLDS } from '../../../cloud/facilities/ltv.ts';

// Default thresholds: warning 0.80, margin call 0.85, liquidation 0.90; a level applies
// from its threshold upwards. Lending value 1 000 000 USD throughout.
const at = (outstanding: string, lendingValue = '1000000') => assessLtv({ currency: 'USD', outstanding, lendingValue });

describe('LTV classification', () => {
  it('classifies at and around each boundary', () => {
    expect(DEFAULT_LTV_THRESHOLDS).toEqual({ warning: '0.80', marginCall: '0.85', liquidation: '0.90' });
    expect([at('799999.99').level, at('799999.99').ltv]).toEqual(['ok', '0.79999999']);
    expect([at('800000').level, at('800000').ltv]).toEqual(['warning', '0.8']);
    expect(at('849999.99').level).toBe('warning');
    expect(at('850000').level).toBe('margin-call');
    expect(at('899999.99').level).toBe('margin-call');
    expect(at('900000').level).toBe('liquidation');
    expect(at('1200000').level).toBe('liquidation');
  });

  it('handles no debt and no collateral', () => {
    expect(at('0', '0')).toMatchObject({ ltv: '0', level: 'ok', cure: null });
    expect(at('1', '0')).toMatchObject({ ltv: null, level: 'liquidation' });
  });

  it('gives the cure amounts that bring LTV strictly below the warning level', () => {
    // O = 850 000, C = 1 000 000, w = 0.8
    // repayment R > O − w·C = 850 000 − 800 000 = 50 000 → 50 000.01 → LTV 0.79999999
    // collateral A > O / w − C = 1 062 500 − 1 000 000 = 62 500 → 62 500.01
    expect(at('850000').cure).toEqual({ targetBelow: '0.8', repayment: '50000.01', additionalLendingValue: '62500.01' });
    expect(at('799999.99', '1000000').cure).toBeNull();
    expect(assessLtv({ currency: 'USD', outstanding: '799999.99', lendingValue: '1000000' }).level).toBe('ok');

    // O = 850 000, C = 999 999.99: w·C = 799 999.992, R > 50 000.008 → 50 000.01
    //   check: (850 000 − 50 000.01) / 999 999.99 = 0.7999999979… < 0.8
    expect(at('850000', '999999.99').cure?.repayment).toBe('50000.01');

    // No collateral: only full repayment cures; A > 1 / 0.8 = 1.25 → 1.26
    expect(at('1', '0').cure).toEqual({ targetBelow: '0.8', repayment: '1.00', additionalLendingValue: '1.26' });
  });

  it('uses facility thresholds and rejects inconsistent ones', () => {
    const custom = assessLtv({ currency: 'USD', outstanding: '700000', lendingValue: '1000000', thresholds: { warning: '0.7', marginCall: '0.75', liquidation: '0.8' } });
    expect(custom.level).toBe('warning');
    expect(checkLtvThresholds({ warning: '0.9', marginCall: '0.85', liquidation: '0.95' })).toMatch(/warning < marginCall/);
    expect(checkLtvThresholds(DEFAULT_LTV_THRESHOLDS)).toBeUndefined();
  });
});
