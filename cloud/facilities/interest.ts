import { Dec, parseDecimal, sumDec, toPlain } from '../valuation/decimal.ts';
import { formatMinor, type MoneyRounding } from '../valuation/money.ts';
import { DEFAULT_DAY_COUNT, dayNumberToIso, utcDayNumber, yearDays, type DayCount } from './day-count.ts';

export interface LedgerEntry {
  readonly at: Date;
  readonly kind: 'drawdown' | 'repayment';
  readonly amount: string;
}

export interface InterestInput {
  readonly currency: string;
  // Nominal annual rate as a fraction (0.065 = 6.5 % a year).
  readonly annualRate: string;
  readonly dayCount?: DayCount;
  // Accrual period [from, to) in UTC calendar days; the times of day are ignored.
  readonly from: Date;
  readonly to: Date;
  // The facility's whole principal ledger; entries before `from` make the opening balance.
  readonly ledger: readonly LedgerEntry[];
  // Banker's rounding (half-even) by default: unbiased over the many accrual periods
  // of a revolving facility. Half-up ("commercial" rounding) on request, where a loan
  // agreement says so.
  readonly rounding?: MoneyRounding;
}

// Days of the period at one balance.
export interface InterestSegment {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly balance: string;
  // balance × annualRate × days / yearDays, unrounded
  readonly interest: string;
}

export interface InterestAccrual {
  readonly currency: string;
  readonly annualRate: string;
  readonly dayCount: DayCount;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly openingBalance: string;
  readonly closingBalance: string;
  readonly segments: readonly InterestSegment[];
  // Σ segment interest, unrounded
  readonly interestExact: string;
  // interestExact rounded once to the currency's minor unit
  readonly interest: string;
  readonly rounding: MoneyRounding;
}

// Interest on the daily outstanding balance: a day accrues on the balance at its end,
// after that day's drawings and repayments. So money drawn on day D accrues from D, and
// money repaid on day D stops accruing on D ("from and including the drawdown date to
// but excluding the repayment date", as loan agreements put it). Days are UTC days.
// Segment interest is kept exact and the period total is rounded once, so the rounding
// error is at most half a minor unit per period, not per day.
export function accrueInterest(input: InterestInput): InterestAccrual {
  const dayCount = input.dayCount ?? DEFAULT_DAY_COUNT;
  const rounding = input.rounding ?? 'half-even';
  const rate = parseDecimal(input.annualRate);
  if (rate === undefined || rate.isNegative()) throw new RangeError(`annualRate must be a non-negative decimal, got "${input.annualRate}"`);
  const fromDay = utcDayNumber(input.from);
  const toDay = utcDayNumber(input.to);
  if (toDay < fromDay) throw new RangeError('accrual period ends before it starts');

  // Net principal movement per day.
  const movements = new Map<number, Dec>();
  for (const entry of input.ledger) {
    const amount = parseDecimal(entry.amount);
    if (amount === undefined || amount.isNegative()) throw new RangeError(`ledger amount must be a non-negative decimal, got "${entry.amount}"`);
    const day = utcDayNumber(entry.at);
    const signed = entry.kind === 'drawdown' ? amount : amount.negated();
    movements.set(day, (movements.get(day) ?? new Dec(0)).plus(signed));
  }
  const days = [...movements.keys()].sort((a, b) => a - b);

  let balance = new Dec(0);
  for (const day of days) if (day < fromDay) balance = balance.plus(movements.get(day) ?? 0);
  const openingBalance = balance;
  const checkBalance = (day: number): void => {
    // The repayment check refuses overpayment, so a negative balance means a corrupt ledger.
    if (balance.isNegative()) throw new RangeError(`ledger balance is negative on ${dayNumberToIso(day)}`);
  };
  checkBalance(fromDay);

  // Segments start at the period start and at every day inside the period with a
  // movement; the closing balance is the balance at the end of the period's last day.
  const segments: InterestSegment[] = [];
  const yearLength = yearDays(dayCount);
  const starts = toDay > fromDay ? [fromDay, ...days.filter((d) => d > fromDay && d < toDay)] : [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? toDay;
    balance = balance.plus(movements.get(start) ?? 0);
    checkBalance(start);
    segments.push({
      from: dayNumberToIso(start),
      to: dayNumberToIso(end),
      days: end - start,
      balance: toPlain(balance),
      interest: toPlain(balance.times(rate).times(end - start).dividedBy(yearLength)),
    });
  });
  // Σ balanceᵢ·daysᵢ is exact; a single division keeps the total as exact as possible.
  const balanceDays = sumDec(segments.map((seg) => new Dec(seg.balance).times(seg.days)));
  const interestExact = balanceDays.times(rate).dividedBy(yearLength);
  return {
    currency: input.currency,
    annualRate: toPlain(rate),
    dayCount,
    from: dayNumberToIso(fromDay),
    to: dayNumberToIso(toDay),
    days: toDay - fromDay,
    openingBalance: toPlain(openingBalance),
    closingBalance: toPlain(balance),
    segments,
    interestExact: toPlain(interestExact),
    interest: formatMinor(interestExact, input.currency, rounding),
    rounding,
  };
}
