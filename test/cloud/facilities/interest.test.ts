import { describe, expect, it } from 'vitest';
import { accrueInterest, type LedgerEntry } from '../../../cloud/facilities/interest.ts';

// January 2024, 6.5% a year:
//   draw 1 000 000.00 on 10 Jan (afternoon), repay 300 000.00 on 22 Jan.
//   1–9 Jan   : 9 days at 0
//   10–21 Jan : 12 days at 1 000 000 → 1 000 000 × 0.065 × 12 / 360 = 2 166.6666…
//   22–31 Jan : 10 days at   700 000 →   700 000 × 0.065 × 10 / 360 = 1 263.8888…
//   total (ACT/360) = (12 000 000 + 7 000 000) × 0.065 / 360 = 1 235 000 / 360 = 3 430.5555… → 3 430.56
//   total (ACT/365F) = 1 235 000 / 365 = 3 383.5616… → 3 383.56
const ledger: LedgerEntry[] = [
  { at: new Date('2024-01-10T15:30:00Z'), kind: 'drawdown', amount: '1000000.00' },
  { at: new Date('2024-01-22T09:00:00Z'), kind: 'repayment', amount: '300000.00' },
];
const january = { currency: 'USD', annualRate: '0.065', from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-02-01T00:00:00Z'), ledger };

describe('interest accrual on the daily balance', () => {
  it('accrues a month with a drawing and a partial repayment (ACT/360)', () => {
    const accrual = accrueInterest(january);
    expect(accrual.dayCount).toBe('ACT/360');
    expect(accrual.days).toBe(31);
    expect(accrual.segments.map((s) => [s.from, s.to, s.days, s.balance])).toEqual([
      ['2024-01-01', '2024-01-10', 9, '0'],
      ['2024-01-10', '2024-01-22', 12, '1000000'],
      ['2024-01-22', '2024-02-01', 10, '700000'],
    ]);
    expect(accrual.segments[1]?.interest.startsWith('2166.666666')).toBe(true);
    expect(accrual.segments[2]?.interest.startsWith('1263.888888')).toBe(true);
    expect(accrual.interestExact.startsWith('3430.5555555555')).toBe(true);
    expect(accrual.interest).toBe('3430.56');
    expect(accrual.openingBalance).toBe('0');
    expect(accrual.closingBalance).toBe('700000');
  });

  it('uses a 365-day year under ACT/365F', () => {
    const accrual = accrueInterest({ ...january, dayCount: 'ACT/365F' });
    expect(accrual.interestExact.startsWith('3383.5616438')).toBe(true);
    expect(accrual.interest).toBe('3383.56');
  });

  it('carries the opening balance from earlier entries and ignores later ones', () => {
    // February: 700 000 × 0.065 × 29 / 360 = 1 319 500 / 360 = 3 665.2777… → 3 665.28
    const accrual = accrueInterest({
      ...january,
      from: new Date('2024-02-01T00:00:00Z'),
      to: new Date('2024-03-01T00:00:00Z'),
      ledger: [...ledger, { at: new Date('2024-03-01T00:00:00Z'), kind: 'repayment', amount: '700000' }],
    });
    expect(accrual.openingBalance).toBe('700000');
    expect(accrual.days).toBe(29);
    expect(accrual.interest).toBe('3665.28');
  });

  it("rounds the period total once, half-even (banker's) by default", () => {
    // 100 × 0.09 × 1 / 360 = 0.025 exactly: a tie at the cent.
    const tie = {
      currency: 'USD',
      annualRate: '0.09',
      from: new Date('2024-05-01T00:00:00Z'),
      to: new Date('2024-05-02T00:00:00Z'),
      ledger: [{ at: new Date('2024-04-01T00:00:00Z'), kind: 'drawdown' as const, amount: '100' }],
    };
    expect(accrueInterest(tie).interest).toBe('0.02');
    expect(accrueInterest({ ...tie, rounding: 'half-up' }).interest).toBe('0.03');
  });

  it('refuses a ledger that repays more than was drawn', () => {
    expect(() =>
      accrueInterest({ ...january, ledger: [{ at: new Date('2024-01-05T00:00:00Z'), kind: 'repayment', amount: '1' }] }),
    ).toThrow(RangeError);
  });
});
