/** A calendar month "YYYY-MM" as the UTC period [from, to). */
export interface MonthPeriod {
  readonly month: string;
  readonly from: Date;
  readonly to: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseMonth(month: string): MonthPeriod | undefined {
  const m = MONTH.exec(month);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { month, from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

export function monthOf(at: Date): MonthPeriod {
  const period = parseMonth(`${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`);
  if (period === undefined) throw new RangeError(`no month for ${at.toISOString()}`);
  return period;
}

/** Every month that has fully ended by `now`, from the one containing `start`. */
export function completedMonths(start: Date, now: Date, until?: Date): MonthPeriod[] {
  const months: MonthPeriod[] = [];
  for (let period = monthOf(start); period.to.getTime() <= now.getTime(); period = monthOf(period.to)) {
    if (until !== undefined && period.from.getTime() >= until.getTime()) break;
    months.push(period);
  }
  return months;
}
