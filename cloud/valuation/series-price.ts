import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import { fxRate } from '../market-data/fx-rates.ts';
import { fromDb } from './db-decimal.ts';
import { Dec, toPlain } from './decimal.ts';
import { withFxHaircut } from './fx-haircut.ts';
import type { LinePrice } from './line-value.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The price a facility in `currency` uses for a commodity: its own series in that
 * currency when one exists; otherwise a series in another currency converted at the
 * latest exchange rate (fx-rates.ts), with the currency-mismatch haircut added. Without
 * either the receipt counts for nothing (line-value.ts says why).
 */
export async function seriesPrice(db: Db, commodity: string, currency: string): Promise<LinePrice | undefined> {
  const direct = await db.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency } } });
  if (direct !== null) return { price: fromDb(direct.lastPrice), currency, unit: direct.unit, haircut: fromDb(direct.haircut) };
  // Several foreign series: the one updated last (then by currency, so the choice is stable).
  const foreign = await db.priceSeries.findMany({ where: { commodity }, orderBy: [{ lastTs: 'desc' }, { currency: 'asc' }] });
  for (const series of foreign) {
    const fx = await fxRate(db, series.currency, currency);
    if (fx === undefined) continue;
    return {
      price: toPlain(new Dec(fromDb(series.lastPrice)).times(fx.rate)),
      currency,
      unit: series.unit,
      haircut: withFxHaircut(fromDb(series.haircut)),
      fx: { from: series.currency, rate: fx.rate },
    };
  }
  return undefined;
}
