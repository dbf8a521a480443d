import { describe, expect, it } from 'vitest';
import { checkDrawdown, type DrawdownContext } from '../../../cloud/facilities/drawdown.ts';
import type { FacilityTerms } from '../../../cloud/facilities/facility.ts';
import { evaluateFreeze, NO_FREEZE } from '../../../cloud/facilities/freeze.ts';
import { checkRepayment } from '../../../cloud/facilities/repayment.ts';

const terms: FacilityTerms = {
  id: 'F-1',
  currency: 'USD',
  limit: '1000000',
  validFrom: new Date('2024-01-01T00:00:00Z'),
  validUntil: new Date('2025-01-01T00:00:00Z'),
};

// Borrowing base 800 000 × 0.75 = 600 000; outstanding 450 000 → available 150 000.
const context: DrawdownContext = {
  terms,
  outstanding: '450000',
  collateral: [{ receiptId: 'R1', lendingValue: '800000', advanceRate: '0.75' }],
  freeze: NO_FREEZE,
  now: new Date('2024-06-01T12:00:00Z'),
};

const usd = (amount: string) => ({ amount: { amount, currency: 'USD' } });

describe('drawdown check', () => {
  it('accepts a drawing up to exactly the available amount', () => {
    const decision = checkDrawdown(context, usd('150000'));
    expect(decision).toMatchObject({ ok: true, outstandingBefore: '450000.00', outstandingAfter: '600000.00', amount: { amount: '150000.00', currency: 'USD' } });
  });

  it('refuses one cent more, with the figures', () => {
    expect(checkDrawdown(context, usd('150000.01'))).toEqual({
      ok: false,
      refusal: { code: 'exceeds_available', requested: '150000.01', available: '150000.00', excess: '0.01', message: expect.any(String) },
    });
  });

  it('refuses bad amounts and other currencies', () => {
    expect(checkDrawdown(context, usd('0'))).toMatchObject({ ok: false, refusal: { code: 'non_positive_amount' } });
    expect(checkDrawdown(context, usd('-10'))).toMatchObject({ ok: false, refusal: { code: 'non_positive_amount' } });
    expect(checkDrawdown(context, usd('10.001'))).toMatchObject({ ok: false, refusal: { code: 'invalid_amount' } });
    expect(checkDrawdown(context, usd('1e3'))).toMatchObject({ ok: false, refusal: { code: 'invalid_amount' } });
    expect(checkDrawdown(context, { amount: { amount: '10', currency: 'EUR' } })).toMatchObject({
      ok: false,
      refusal: { code: 'currency_mismatch', expected: 'USD', received: 'EUR' },
    });
    // Trailing zeros beyond the minor unit are the same amount.
    expect(checkDrawdown(context, usd('10.000'))).toMatchObject({ ok: true });
  });

  it('refuses outside the validity period [validFrom, validUntil)', () => {
    expect(checkDrawdown({ ...context, now: new Date('2023-12-31T23:59:59Z') }, usd('1'))).toMatchObject({ ok: false, refusal: { code: 'not_yet_valid' } });
    expect(checkDrawdown({ ...context, now: terms.validFrom }, usd('1'))).toMatchObject({ ok: true });
    expect(checkDrawdown({ ...context, now: terms.validUntil }, usd('1'))).toMatchObject({
      ok: false,
      refusal: { code: 'expired', validUntil: '2025-01-01T00:00:00.000Z' },
    });
  });

  it('refuses while frozen', () => {
    const freeze = evaluateFreeze(NO_FREEZE, { lots: [{ lotId: 'L1', status: 'suspect' }], marginCalls: [], now: context.now });
    expect(checkDrawdown({ ...context, freeze }, usd('1'))).toMatchObject({
      ok: false,
      refusal: { code: 'frozen', holds: [{ id: 'lot:L1:suspect#1', trigger: { kind: 'lot', lotId: 'L1', status: 'suspect' } }] },
    });
  });
});

describe('repayment check', () => {
  const outstanding = { currency: 'USD', outstanding: '450000.00' };

  it('accepts any amount up to the outstanding, at any time', () => {
    expect(checkRepayment(outstanding, usd('100000.5'))).toMatchObject({ ok: true, outstandingAfter: '349999.50' });
    expect(checkRepayment(outstanding, usd('450000'))).toMatchObject({ ok: true, outstandingAfter: '0.00' });
  });

  it('refuses overpayment and bad amounts', () => {
    expect(checkRepayment(outstanding, usd('450000.01'))).toMatchObject({ ok: false, refusal: { code: 'overpayment', excess: '0.01' } });
    expect(checkRepayment(outstanding, usd('0'))).toMatchObject({ ok: false, refusal: { code: 'non_positive_amount' } });
    expect(checkRepayment(outstanding, { amount: { amount: '1', currency: 'GBP' } })).toMatchObject({ ok: false, refusal: { code: 'currency_mismatch' } });
  });
});
