import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec, toPlain } from '../valuation/decimal.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Foreign-exchange rates are prices like any other (issue 22): the series `fx_eur` quoted
 * in USD holds how many US dollars one euro buys, fed by the same adapters (a feed maps
 * EURUSD to fx_eur), with its own history, volatility and staleness.
 */
export function fxCommodity(currency: string): string {
  return `fx_${currency.toLowerCase()}`;
}

export interface FxRate {
  /** Units of `to` per unit of `from`. */
  readonly rate: string;
  readonly from: string;
  readonly to: string;
  /** The series it came from, e.g. fx_eur/USD, or its inverse. */
  readonly series: string;
  readonly asOf: Date | null;
}

/** The latest rate from one currency to another: direct (fx_from in to), else the inverse of fx_to in from. */
export async function fxRate(db: Db, from: string, to: string): Promise<FxRate | undefined> {
  if (from === to) return { rate: '1', from, to, series: 'identity', asOf: null };
  const direct = await db.priceSeries.findUnique({ where: { commodity_currency: { commodity: fxCommodity(from), currency: to } } });
  if (direct !== null) return { rate: fromDb(direct.lastPrice), from, to, series: `${direct.commodity}/${direct.currency}`, asOf: direct.lastTs };
  const inverse = await db.priceSeries.findUnique({ where: { commodity_currency: { commodity: fxCommodity(to), currency: from } } });
  if (inverse === null) return undefined;
  return { rate: toPlain(new Dec(1).dividedBy(fromDb(inverse.lastPrice))), from, to, series: `1/${inverse.commodity}/${inverse.currency}`, asOf: inverse.lastTs };
}
