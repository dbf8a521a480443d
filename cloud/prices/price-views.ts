import { Type, type Static } from 'typebox';
import type { PriceSeries } from '../db/generated/client.ts';
import type { RevaluationSummary } from '../risk/revalue-series.ts';
import { fromDb, fromDbOrNull } from '../valuation/db-decimal.ts';
import { DecimalString, Money, Timestamp } from '../valuation/wire-schemas.ts';

export const SeriesView = Type.Object({
  commodity: Type.String(),
  currency: Type.String(),
  unit: Type.String({ description: 'the price is per this unit' }),
  // The latest price by time of quote (a backfilled older tick does not replace it).
  price: Money,
  ts: Timestamp,
  sigmaDaily: Type.Union([DecimalString, Type.Null()], { description: 'EWMA volatility of daily log returns; null before two daily closes' }),
  haircut: DecimalString,
  tickCount: Type.Integer(),
  updatedAt: Timestamp,
});

export const RevaluationView = Type.Object({
  commodity: Type.String(),
  currency: Type.String(),
  price: Type.Union([DecimalString, Type.Null()]),
  haircut: Type.Union([DecimalString, Type.Null()]),
  lines: Type.Integer({ description: 'pledged receipts revalued' }),
  facilities: Type.Integer({ description: 'facilities whose figures were updated' }),
  marginCalls: Type.Object({ opened: Type.Integer(), cured: Type.Integer(), expired: Type.Integer() }),
});

export function seriesView(row: PriceSeries): Static<typeof SeriesView> {
  return {
    commodity: row.commodity,
    currency: row.currency,
    unit: row.unit,
    price: { amount: fromDb(row.lastPrice), currency: row.currency },
    ts: row.lastTs.toISOString(),
    sigmaDaily: fromDbOrNull(row.sigmaDaily),
    haircut: fromDb(row.haircut),
    tickCount: row.tickCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function revaluationView(summary: RevaluationSummary): Static<typeof RevaluationView> {
  return { ...summary, marginCalls: { ...summary.marginCalls } };
}
