import { describe, expect, it } from 'vitest';
import { buildStatement, statementCsv, type StatementInput } from '../../../cloud/borrower/statement.ts';
import { completedMonths, parseMonth } from '../../../cloud/borrower/statement-month.ts';

const facility: StatementInput['facility'] = {
  id: 'f-1',
  reference: 'RF-7',
  borrower: { ref: 'B-1', name: 'Trading, "Co."' },
  currency: 'USD',
  limit: '1000000',
  annualRate: '0.09',
  dayCount: 'ACT/360',
};
const ledger: StatementInput['ledger'] = [
  { id: 'e1', at: new Date('2026-01-10T09:00:00Z'), kind: 'drawdown', amount: '100000', outstandingAfter: '100000', note: null },
  { id: 'e2', at: new Date('2026-02-05T15:30:00Z'), kind: 'drawdown', amount: '50000', outstandingAfter: '150000', note: 'cargo, March' },
  { id: 'e3', at: new Date('2026-02-20T08:00:00Z'), kind: 'repayment', amount: '30000', outstandingAfter: '120000', note: null },
];

describe('monthly statement', () => {
  it('adds up the month: opening and closing principal, movements, and interest on the daily balance', () => {
    const s = buildStatement({ facility, period: parseMonth('2026-02')!, ledger, posting: { amount: '932.50', postedAt: new Date('2026-03-01T01:00:00Z') }, now: new Date('2026-03-02T00:00:00Z') });
    expect(s.partial).toBe(false);
    expect([s.openingPrincipal, s.drawn, s.repaid, s.closingPrincipal]).toEqual(['100000.00', '50000.00', '30000.00', '120000.00']);
    expect(s.movements.map((m) => m.id)).toEqual(['e2', 'e3']);
    // 4 days at 100,000, 15 at 150,000, 9 at 120,000: 3,730,000 balance-days × 0.09 / 360
    expect(s.interest.segments.map((g) => [g.days, g.balance])).toEqual([[4, '100000'], [15, '150000'], [9, '120000']]);
    expect(s.interest.accrued).toBe('932.50');
    expect(s.interest.days).toBe(28);
    expect(s.interest.posted).toEqual({ amount: '932.50', postedAt: '2026-03-01T01:00:00.000Z' });
  });

  it('shows interest so far, including today, while the month runs', () => {
    const s = buildStatement({ facility, period: parseMonth('2026-02')!, ledger: ledger.slice(0, 2), posting: null, now: new Date('2026-02-10T12:00:00Z') });
    expect(s.partial).toBe(true);
    // 4 days at 100,000 and 6 (5th to 10th) at 150,000
    expect(s.interest.days).toBe(10);
    expect(s.interest.accrued).toBe('325.00');
    expect(s.interest.posted).toBeNull();
  });

  it('writes CSV that quotes what needs quoting', () => {
    const csv = statementCsv(buildStatement({ facility, period: parseMonth('2026-02')!, ledger, posting: null, now: new Date('2026-04-01T00:00:00Z') }));
    expect(csv).toContain('borrower,"Trading, ""Co.""",B-1\n');
    expect(csv).toContain('interest for the month,932.50\n');
    expect(csv).toContain('2026-02-05T15:30:00.000Z,drawdown,50000.00,150000.00,"cargo, March"\n');
  });

  it('knows months: bad ones, and the completed ones of a facility', () => {
    expect(parseMonth('2026-13')).toBeUndefined();
    expect(parseMonth('2026-1')).toBeUndefined();
    expect(parseMonth('2025-12')?.to.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const months = completedMonths(new Date('2025-11-20T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    expect(months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(completedMonths(new Date('2025-11-20T00:00:00Z'), new Date('2026-03-05T00:00:00Z'), new Date('2026-01-15T00:00:00Z')).map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01']);
  });
});
