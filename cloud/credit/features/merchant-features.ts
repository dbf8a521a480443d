// The characteristics of a merchant at the end of a month, from its platform activity,
// its repayments on our facilities and the collateral incidents our gateways raised.
// Windows: level over 3 months; trend (slope of log monthly sales), rates, concentration,
// behaviour and incidents over 12. A value that cannot be computed (no sales to divide by, no
// facility) is missing (NaN), which the scorecard scores as its own class.
import { addMonths, monthIndex, monthOf } from '../../../protocol/credit/month.ts';
import type { MonthActivity } from './monthly-activity.ts';

export const FEATURE_NAMES = [
  'sales_3m',
  'sales_trend',
  'seasonality',
  'refund_rate',
  'dispute_rate',
  'customer_concentration',
  'account_age_months',
  'late_repayments_12m',
  'collateral_incidents_12m',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FeatureRow = Record<FeatureName, number>;

export interface MerchantHistory {
  readonly openedAt: string;
  readonly activity: ReadonlyMap<string, MonthActivity>;
  // Repayments due on our facilities, by month, and how late each was (0: on time);
  // absent when the merchant has never borrowed from us.
  readonly repayments?: readonly { readonly month: string; readonly daysLate: number }[];
  readonly incidents: readonly { readonly at: string }[];
}

function window(history: MerchantHistory, month: string, length: number): MonthActivity[] {
  const out: MonthActivity[] = [];
  for (let k = length - 1; k >= 0; k -= 1) {
    const a = history.activity.get(addMonths(month, -k));
    if (a !== undefined) out.push(a);
  }
  return out;
}

const sum = (months: readonly MonthActivity[], pick: (m: MonthActivity) => number): number => months.reduce((s, m) => s + pick(m), 0);
const ratio = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);

// Herfindahl–Hirschman index of the customers' shares of sales: 1 = one customer.
function concentration(months: readonly MonthActivity[]): number {
  const byCustomer = new Map<string, number>();
  for (const m of months) for (const [c, v] of m.customerSales) byCustomer.set(c, (byCustomer.get(c) ?? 0) + v);
  const total = [...byCustomer.values()].reduce((s, v) => s + v, 0);
  if (total <= 0) return Number.NaN;
  return [...byCustomer.values()].reduce((s, v) => s + (v / total) ** 2, 0);
}

// Largest share of the trailing year's sales taken in three consecutive months, less the
// even share 0.25: 0 for a flat business, up to 0.75 for one that sells in a season.
function seasonality(history: MerchantHistory, month: string): number {
  const sales = Array.from({ length: 12 }, (_, k) => history.activity.get(addMonths(month, k - 11))?.sales ?? 0);
  const total = sales.reduce((s, v) => s + v, 0);
  if (total <= 0) return Number.NaN;
  let peak = 0;
  for (let k = 0; k + 2 < 12; k += 1) peak = Math.max(peak, (sales[k] as number) + (sales[k + 1] as number) + (sales[k + 2] as number));
  return peak / total - 0.25;
}

// Least-squares slope of ln(1 + monthly sales) over the trailing year (from the first
// month with sales), per month: 0.01 is about 1 % growth a month. Needs six months.
function salesTrend(history: MerchantHistory, month: string): number {
  const points: { t: number; y: number }[] = [];
  let started = false;
  for (let k = 11; k >= 0; k -= 1) {
    const sales = history.activity.get(addMonths(month, -k))?.sales ?? 0;
    started ||= sales > 0;
    if (started) points.push({ t: -k, y: Math.log1p(sales) });
  }
  if (points.length < 6) return Number.NaN;
  const tMean = points.reduce((s, p) => s + p.t, 0) / points.length;
  const yMean = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxy = points.reduce((s, p) => s + (p.t - tMean) * (p.y - yMean), 0);
  const sxx = points.reduce((s, p) => s + (p.t - tMean) ** 2, 0);
  return sxy / sxx;
}

export function merchantFeatures(history: MerchantHistory, month: string): FeatureRow {
  const last3 = window(history, month, 3);
  const year = window(history, month, 12);
  const yearSales = sum(year, (m) => m.sales);
  const inYear = (m: string): boolean => monthIndex(month) - monthIndex(m) >= 0 && monthIndex(month) - monthIndex(m) < 12;
  return {
    sales_3m: sum(last3, (m) => m.sales) / 3,
    sales_trend: salesTrend(history, month),
    seasonality: seasonality(history, month),
    refund_rate: ratio(sum(year, (m) => m.refundAmount), yearSales),
    dispute_rate: ratio(sum(year, (m) => m.disputes), sum(year, (m) => m.payments)),
    customer_concentration: concentration(year),
    account_age_months: Math.max(0, monthIndex(month) - monthIndex(monthOf(history.openedAt))),
    late_repayments_12m: history.repayments === undefined ? Number.NaN : history.repayments.filter((r) => r.daysLate > 0 && inYear(r.month)).length,
    collateral_incidents_12m: history.incidents.filter((i) => inYear(monthOf(i.at))).length,
  };
}
