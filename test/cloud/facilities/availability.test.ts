import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../../../cloud/facilities/availability.ts';

// Lending value 1 761 274.375 USD (the copper receipt of value-receipt.test.ts) at the
// base-metals default advance rate 0.70: 1 232 892.0625 → borrowing base 1 232 892.06
// (rounded down to the cent).
const collateral = [{ receiptId: 'EWR-1', lendingValue: '1761274.375', advanceRate: '0.70' }];

describe('availability', () => {
  it('is capped by the limit', () => {
    const a = computeAvailability({ currency: 'USD', limit: '1000000', outstanding: '400000', collateral });
    expect(a).toMatchObject({
      borrowingBase: '1232892.06',
      drawingPower: '1000000.00', // min(1 000 000, 1 232 892.06)
      available: '600000.00', // 1 000 000 − 400 000
      shortfall: '0.00',
    });
    expect(a.lines[0]?.advanceValue).toBe('1232892.0625');
  });

  it('is limited by the borrowing base, and reports a shortfall rather than a negative figure', () => {
    const a = computeAvailability({ currency: 'USD', limit: '5000000', outstanding: '1300000', collateral });
    // drawing power 1 232 892.06; outstanding 1 300 000 → available 0, shortfall 67 107.94
    expect(a).toMatchObject({ drawingPower: '1232892.06', available: '0.00', shortfall: '67107.94' });
  });

  it('sums several receipts with their own advance rates', () => {
    const a = computeAvailability({
      currency: 'USD',
      limit: '10000000',
      outstanding: '0',
      collateral: [
        { receiptId: 'a', lendingValue: '303750', advanceRate: '0.7' }, // 212 625
        { receiptId: 'b', lendingValue: '150000', advanceRate: '0.65' }, // 97 500
      ],
    });
    expect(a.borrowingBase).toBe('310125.00');
    expect(a.available).toBe('310125.00');
  });

  it('uses the currency minor unit', () => {
    const a = computeAvailability({ currency: 'JPY', limit: '100000000', outstanding: '0', collateral: [{ receiptId: 'x', lendingValue: '1000000.9', advanceRate: '0.5' }] });
    // 500 000.45 JPY → 500 000 (no minor unit)
    expect(a.available).toBe('500000');
  });
});
