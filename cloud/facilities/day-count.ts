// Day-count conventions (ISDA 2006 Definitions, §4.16):
// - ACT/360: actual days elapsed over a 360-day year; the money-market convention of
//   USD and EUR loans (SOFR, €STR), hence the default for these facilities.
// - ACT/365F: actual days over a fixed 365-day year (leap years included); GBP loans
//   (SONIA) and many emerging-market lenders use it.
export type DayCount = 'ACT/360' | 'ACT/365F';

export const DEFAULT_DAY_COUNT: DayCount = 'ACT/360';

export function yearDays(dayCount: DayCount): number {
  return dayCount === 'ACT/360' ? 360 : 365;
}

const MS_PER_DAY = 86_400_000;

// Calendar days are UTC days: the instant's date in UTC.
export function utcDayNumber(at: Date): number {
  return Math.floor(at.getTime() / MS_PER_DAY);
}

export function dayNumberToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
