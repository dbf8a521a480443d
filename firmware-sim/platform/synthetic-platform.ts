// Generates a trading platform's merchants month by month: orders with their payment,
// shipment, refunds and disputes, the merchants' repayments on bank facilities, collateral
// incidents, and (ground truth) the month each merchant defaults. Seeded: the same
// options give the same platform. One merchant at a time, so a large platform is streamed.
import type { MerchantRecord, MerchantTransaction } from '../../protocol/credit/merchant-data.ts';
import { addMonths, monthStart } from '../../protocol/credit/month.ts';
import { Rng } from '../core/prng.ts';
import { drawDrivers, monthlyHazard, type MerchantDrivers } from './merchant-drivers.ts';

export interface PlatformOptions {
  readonly seed: number;
  readonly merchants: number;
  // First simulated month, 'YYYY-MM', and how many months.
  readonly start: string;
  readonly months: number;
  // Months of trading history before any merchant can default (the bank's lending starts).
  readonly historyMonths?: number;
  readonly platform?: string;
  // Standard deviations every merchant's drivers move towards risk (0: the base population).
  readonly shift?: number;
  // Prefix of merchant ids, so two generated populations can live side by side.
  readonly idPrefix?: string;
}

export interface RepaymentRecord {
  readonly month: string;
  readonly daysLate: number;
}

export interface IncidentRecord {
  readonly at: string;
}

export interface SyntheticMerchant {
  readonly record: MerchantRecord;
  readonly drivers: MerchantDrivers;
  readonly transactions: readonly MerchantTransaction[];
  readonly repayments: readonly RepaymentRecord[];
  readonly incidents: readonly IncidentRecord[];
  // Ground truth: the month the merchant defaulted, or null.
  readonly defaultMonth: string | null;
}

const SECTORS = ['apparel', 'electronics', 'home', 'food', 'metals', 'grain'] as const;

function poisson(rng: Rng, mean: number): number {
  // Knuth's method: fine for the small means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k += 1;
    p *= rng.float();
  }
  return k;
}

// Zipf(s) over K customers by inversion of the cumulative weights.
function zipfSampler(customers: number, s: number): (rng: Rng) => number {
  const cumulative = new Float64Array(customers);
  let total = 0;
  for (let k = 0; k < customers; k += 1) {
    total += 1 / (k + 1) ** s;
    cumulative[k] = total;
  }
  return (rng) => {
    const u = rng.float() * total;
    let lo = 0;
    let hi = customers - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const money = (x: number): string => x.toFixed(2);
const isoAt = (monthFirst: Date, dayOffset: number): string => new Date(monthFirst.getTime() + dayOffset * 86_400_000).toISOString();

export function generateMerchant(options: PlatformOptions, index: number): SyntheticMerchant {
  const rng = new Rng(options.seed).fork(`merchant-${index}`);
  const drivers = drawDrivers(rng.fork('drivers'), options.shift ?? 0);
  const merchantId = `${options.idPrefix ?? 'm'}${String(index).padStart(6, '0')}`;
  const opened = addMonths(options.start, -drivers.ageAtStartMonths);
  const record: MerchantRecord = {
    merchantId,
    platform: options.platform ?? 'synthetic-market',
    name: `Merchant ${index}`,
    sector: SECTORS[index % SECTORS.length] as string,
    openedAt: monthStart(opened).toISOString(),
  };
  const customerOf = zipfSampler(drivers.customers, 1.1);
  const ordersPerMonth = Math.min(40, Math.max(2, 6 * Math.exp(0.5 * drivers.size)));
  const ticket = 1500 * Math.exp(0.4 * drivers.size);
  const transactions: MerchantTransaction[] = [];
  const repayments: RepaymentRecord[] = [];
  const incidents: IncidentRecord[] = [];
  const lateMonths: number[] = [];
  const incidentMonths: number[] = [];
  let defaultMonth: string | null = null;
  let serial = 0;
  const add = (t: Omit<MerchantTransaction, 'id' | 'merchantId' | 'currency'>): void => {
    serial += 1;
    transactions.push({ id: `${merchantId}-${serial}`, merchantId, currency: 'EUR', ...t });
  };

  for (let m = 0; m < options.months && defaultMonth === null; m += 1) {
    const month = addMonths(options.start, m);
    const first = monthStart(month);
    const season = 1 + drivers.seasonalAmplitude * Math.sin((2 * Math.PI * (first.getUTCMonth() + 1)) / 12 + drivers.seasonalPhase);
    const level = Math.exp(drivers.growth * m) * season;
    const orders = poisson(rng, ordersPerMonth * level);
    for (let o = 0; o < orders; o += 1) {
      const day = rng.range(0, 27);
      const amount = ticket * Math.exp(0.3 * rng.normal());
      const customerId = `${merchantId}-c${customerOf(rng)}`;
      add({ kind: 'order', at: isoAt(first, day), amount: money(amount), customerId });
      const orderId = `${merchantId}-${serial}`;
      if (rng.chance(0.03)) continue; // cancelled before payment
      add({ kind: 'payment', at: isoAt(first, day + rng.range(0, 0.5)), amount: money(amount), orderId, customerId });
      add({ kind: 'shipment', at: isoAt(first, day + rng.exponential(2)), amount: money(amount), orderId, customerId });
      if (rng.chance(drivers.refundRate)) add({ kind: 'refund', at: isoAt(first, day + rng.range(3, 20)), amount: money(amount * rng.range(0.3, 1)), orderId, customerId });
      if (rng.chance(drivers.disputeRate)) add({ kind: 'dispute', at: isoAt(first, day + rng.range(5, 25)), amount: money(amount), orderId, customerId });
    }
    if (drivers.borrows) {
      const late = rng.chance(drivers.lateRate);
      repayments.push({ month, daysLate: late ? rng.int(1, 45) : 0 });
      if (late) lateMonths.push(m);
    }
    if (rng.chance(drivers.incidentRate)) {
      incidents.push({ at: isoAt(first, rng.range(0, 27)) });
      incidentMonths.push(m);
    }
    const recent = (months: readonly number[]): number => months.filter((x) => x > m - 12).length;
    const hazard = monthlyHazard(drivers, drivers.ageAtStartMonths + m, recent(lateMonths), recent(incidentMonths));
    if (m >= (options.historyMonths ?? 0) && rng.chance(hazard)) defaultMonth = month;
  }
  return { record, drivers, transactions, repayments, incidents, defaultMonth };
}

export function* generatePlatform(options: PlatformOptions): Generator<SyntheticMerchant> {
  for (let i = 0; i < options.merchants; i += 1) yield generateMerchant(options, i);
}
