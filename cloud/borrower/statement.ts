import { Dec, sumDec, toPlain } from '../valuation/decimal.ts';
import { formatMinor } from '../valuation/money.ts';
import { accrueInterest, type InterestAccrual } from '../facilities/interest.ts';
import type { DayCount } from '../facilities/day-count.ts';
import type { MonthPeriod } from './statement-month.ts';

export interface StatementLedgerEntry {
  readonly id: string;
  readonly at: Date;
  readonly kind: 'drawdown' | 'repayment';
  readonly amount: string;
  readonly outstandingAfter: string;
  readonly note: string | null;
}

export interface StatementPosting {
  readonly amount: string;
  readonly postedAt: Date;
}

export interface StatementInput {
  readonly facility: {
    readonly id: string;
    readonly reference: string;
    readonly borrower: { readonly ref: string; readonly name: string };
    readonly currency: string;
    readonly limit: string;
    readonly annualRate: string;
    readonly dayCount: DayCount;
  };
  readonly period: MonthPeriod;
  /** The facility's whole ledger, any order. */
  readonly ledger: readonly StatementLedgerEntry[];
  readonly posting: StatementPosting | null;
  readonly now: Date;
}

export interface Statement {
  readonly facilityId: string;
  readonly reference: string;
  readonly borrower: { readonly ref: string; readonly name: string };
  readonly currency: string;
  readonly month: string;
  readonly from: string;
  readonly to: string;
  /** true while the month is not over: interest so far, nothing posted yet */
  readonly partial: boolean;
  readonly limit: string;
  readonly annualRate: string;
  readonly dayCount: DayCount;
  readonly openingPrincipal: string;
  readonly closingPrincipal: string;
  readonly drawn: string;
  readonly repaid: string;
  readonly movements: readonly { id: string; at: string; kind: 'drawdown' | 'repayment'; amount: string; outstandingAfter: string; note: string | null }[];
  readonly interest: {
    readonly accrued: string;
    readonly accruedExact: string;
    readonly days: number;
    readonly segments: InterestAccrual['segments'];
    readonly posted: { readonly amount: string; readonly postedAt: string } | null;
  };
}

/**
 * A facility's monthly statement: principal at the start and the end of the month, the
 * drawings and repayments in between, and the interest of the month on the daily
 * balance (posted once the month is over; so far, while it is running).
 */
export function buildStatement(input: StatementInput): Statement {
  const { facility, period } = input;
  const partial = input.now.getTime() < period.to.getTime();
  const until = partial ? new Date(Math.max(period.from.getTime(), input.now.getTime())) : period.to;
  const ledger = [...input.ledger].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  const accrual = accrueInterest({
    currency: facility.currency,
    annualRate: facility.annualRate,
    dayCount: facility.dayCount,
    from: period.from,
    // Today accrues too while the month runs: it ends on today's closing balance.
    to: partial ? new Date(until.getTime() + 86_400_000) : period.to,
    ledger,
  });
  const inMonth = ledger.filter((e) => e.at.getTime() >= period.from.getTime() && e.at.getTime() < period.to.getTime());
  const sumOf = (kind: 'drawdown' | 'repayment') => sumDec(inMonth.filter((e) => e.kind === kind).map((e) => new Dec(e.amount)));
  const before = ledger.filter((e) => e.at.getTime() < period.from.getTime()).at(-1);
  const last = ledger.filter((e) => e.at.getTime() < period.to.getTime()).at(-1);
  const money = (value: Dec | string) => formatMinor(new Dec(value), facility.currency, 'half-even');
  return {
    facilityId: facility.id,
    reference: facility.reference,
    borrower: facility.borrower,
    currency: facility.currency,
    month: period.month,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    partial,
    limit: money(facility.limit),
    annualRate: facility.annualRate,
    dayCount: facility.dayCount,
    openingPrincipal: money(before?.outstandingAfter ?? '0'),
    closingPrincipal: money(last?.outstandingAfter ?? '0'),
    drawn: money(sumOf('drawdown')),
    repaid: money(sumOf('repayment')),
    movements: inMonth.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, amount: money(e.amount), outstandingAfter: money(e.outstandingAfter), note: e.note })),
    interest: {
      accrued: accrual.interest,
      accruedExact: toPlain(new Dec(accrual.interestExact)),
      days: accrual.days,
      segments: accrual.segments,
      posted: input.posting === null ? null : { amount: money(input.posting.amount), postedAt: input.posting.postedAt.toISOString() },
    },
  };
}

const csvCell = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The statement as CSV: a summary block, then one row per movement and per interest segment. */
export function statementCsv(s: Statement): string {
  const rows: string[][] = [
    ['statement', s.reference, s.month],
    ['borrower', s.borrower.name, s.borrower.ref],
    ['period', s.from, s.to],
    ['currency', s.currency],
    ['limit', s.limit],
    ['annual rate', s.annualRate, s.dayCount],
    ['opening principal', s.openingPrincipal],
    ['drawn', s.drawn],
    ['repaid', s.repaid],
    ['closing principal', s.closingPrincipal],
    [s.partial ? 'interest accrued so far' : 'interest for the month', s.interest.accrued],
    ['interest posted', s.interest.posted?.amount ?? '', s.interest.posted?.postedAt ?? ''],
    [],
    ['date', 'kind', 'amount', 'outstanding after', 'note'],
    ...s.movements.map((m) => [m.at, m.kind, m.amount, m.outstandingAfter, m.note ?? '']),
    [],
    ['from', 'to', 'days', 'balance', 'interest'],
    ...s.interest.segments.map((g) => [g.from, g.to, String(g.days), g.balance, g.interest]),
  ];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
