import type { PriceSeries } from '../db/generated/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { Tx } from '../db/unit-of-work.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import type { EwmaState, PricePoint } from './ewma-volatility.ts';
import type { SeriesRisk, SeriesSnapshot } from './price-series.ts';

export interface StoredTick {
  readonly price: string;
  readonly unit: string;
  readonly quotedPrice: string | null;
  readonly quotedUnit: string | null;
  readonly ts: Date;
  readonly source: string;
}

/**
 * Serialises writers of one series (commodity, currency) for the rest of the
 * transaction, including the first tick of a series that has no row to lock yet.
 */
export async function lockSeries(tx: Tx, commodity: string, currency: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`price_series:${commodity}:${currency}`}))`;
}

export function snapshotOf(row: PriceSeries): SeriesSnapshot {
  return {
    commodity: row.commodity,
    currency: row.currency,
    unit: row.unit,
    lastPrice: fromDb(row.lastPrice),
    lastTs: row.lastTs,
    ewma: row.ewma as unknown as EwmaState,
    tickCount: row.tickCount,
  };
}

export async function saveSeries(tx: Tx, snapshot: SeriesSnapshot, risk: SeriesRisk, now: Date): Promise<PriceSeries> {
  const data = {
    unit: snapshot.unit,
    lastPrice: snapshot.lastPrice,
    lastTs: snapshot.lastTs,
    ewma: snapshot.ewma as unknown as Prisma.InputJsonValue,
    sigmaDaily: risk.sigmaDaily,
    haircut: risk.haircut.haircut,
    haircutBreakdown: risk.haircut as unknown as Prisma.InputJsonValue,
    tickCount: snapshot.tickCount,
    updatedAt: now,
  };
  return tx.priceSeries.upsert({
    where: { commodity_currency: { commodity: snapshot.commodity, currency: snapshot.currency } },
    create: { commodity: snapshot.commodity, currency: snapshot.currency, ...data },
    update: data,
  });
}

const CHUNK = 5_000;

/** Inserts ticks, skipping ones already stored (same series, source and time); returns how many were new. */
export async function insertTicks(tx: Tx, commodity: string, currency: string, ticks: readonly StoredTick[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < ticks.length; i += CHUNK) {
    const chunk = ticks.slice(i, i + CHUNK);
    inserted += await tx.$executeRawUnsafe(
      `INSERT INTO price_tick (commodity, currency, price, unit, quoted_price, quoted_unit, ts, source)
       SELECT $1, $2, u.price::numeric, u.unit, u.quoted_price::numeric, u.quoted_unit, u.ts, u.source
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
         AS u(price, unit, quoted_price, quoted_unit, ts, source)
       ON CONFLICT ON CONSTRAINT price_tick_key DO NOTHING`,
      commodity,
      currency,
      chunk.map((t) => t.price),
      chunk.map((t) => t.unit),
      chunk.map((t) => t.quotedPrice),
      chunk.map((t) => t.quotedUnit),
      chunk.map((t) => t.ts.toISOString()),
      chunk.map((t) => t.source),
    );
  }
  return inserted;
}

/** The close of every UTC day: its latest tick (the EWMA's daily close, ewma-volatility.ts). */
export async function dailyCloses(tx: Tx, commodity: string, currency: string): Promise<{ closes: PricePoint[]; count: number }> {
  const rows = await tx.$queryRaw<{ price: { toFixed(): string }; ts: Date }[]>`
    SELECT DISTINCT ON ((ts AT TIME ZONE 'UTC')::date) price, ts
    FROM price_tick WHERE commodity = ${commodity} AND currency = ${currency}
    ORDER BY (ts AT TIME ZONE 'UTC')::date, ts DESC, id DESC`;
  const counted = await tx.priceTick.count({ where: { commodity, currency } });
  return { closes: rows.map((r) => ({ price: fromDb(r.price), at: r.ts })), count: counted };
}
