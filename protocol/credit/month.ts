// Calendar months as 'YYYY-MM' keys (UTC): the period credit features, scores and
// defaults are counted in, shared by the platform feeds and the bank.
export const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T[^+]*Z$/;

export function monthOf(at: Date | string): string {
  // A UTC instant names its month in its first seven characters; only offsets need parsing.
  if (typeof at === 'string' && UTC_INSTANT.test(at)) return at.slice(0, 7);
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 7);
}

// Months since 0000-01, so months can be subtracted.
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthFromIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const addMonths = (month: string, n: number): string => monthFromIndex(monthIndex(month) + n);

export const monthStart = (month: string): Date => new Date(`${month}-01T00:00:00.000Z`);
