import type { Prisma } from '../db/generated/client.ts';
import { facilityFigures } from '../facilities/facility-figures.ts';
import { fromDb, fromDbOrNull, STORED_SCALE } from '../valuation/db-decimal.ts';
import { linePricer, revalueConcentratedFacility, valueReceiptLine, lineColumns } from './collateral-lines.ts';
import { reconcileMarginCalls, type FacilityRisk, type MarginCallOutcome } from './margin-calls.ts';
import type { Tx, UnitOfWork } from '../db/unit-of-work.ts';
import type { LtvAssessment } from '../facilities/ltv.ts';

export interface SeriesKey {
  readonly commodity: string;
  readonly currency: string;
}

export interface RevaluationContext {
  readonly now: Date;
  readonly actor: string;
  readonly events: UnitOfWork;
}

export interface RevaluationSummary {
  readonly commodity: string;
  readonly currency: string;
  readonly price: string | null;
  readonly haircut: string | null;
  readonly lines: number;
  readonly facilities: number;
  readonly marginCalls: MarginCallOutcome;
}

type DecimalLike = { toFixed(): string };

interface AggregateRow {
  id: string;
  bank_tenant_id: string;
  currency: string;
  limit_amount: DecimalLike;
  unsecured_limit: DecimalLike;
  outstanding: DecimalLike;
  ltv_warning: DecimalLike;
  ltv_margin_call: DecimalLike;
  ltv_liquidation: DecimalLike;
  cure_period_seconds: number;
  cv: DecimalLike;
  lv: DecimalLike;
  av: DecimalLike;
}

/**
 * Lines a tick of this series moves although they are not in its currency: lines of the
 * commodity valued through an exchange rate from the series' currency, or, for an
 * exchange-rate series `fx_eur` in USD, lines converted between EUR and USD either way
 * (series-price.ts uses the inverse when only the other direction is quoted).
 */
function crossCurrencyLines(key: SeriesKey): { sql: string; where: Prisma.CollateralLineWhereInput[] } {
  const fxFrom = /^fx_([a-z]{3})$/.exec(key.commodity)?.[1]?.toUpperCase();
  // Lines without a price (no series in reach until now) are tried again by any tick that may give them one.
  if (fxFrom === undefined) {
    return {
      sql: 'commodity = $1 AND currency <> $2 AND (price_currency = $2 OR price IS NULL)',
      where: [{ commodity: key.commodity, currency: { not: key.currency }, OR: [{ priceCurrency: key.currency }, { price: null }] }],
    };
  }
  // fxFrom is three letters by the pattern above, so it can be written into the SQL.
  return {
    sql: `(price_currency = '${fxFrom}' AND currency = $2) OR (price_currency = $2 AND currency = '${fxFrom}') OR (price IS NULL AND currency IN ('${fxFrom}', $2))`,
    where: [
      { priceCurrency: fxFrom, currency: key.currency },
      { priceCurrency: key.currency, currency: fxFrom },
      { price: null, currency: { in: [fxFrom, key.currency] } },
    ],
  };
}

/**
 * Revalues every pledged receipt of one price series and every facility holding one,
 * inside the caller's transaction (the price tick's). Set-based: one UPDATE applies the
 * new price and haircut to all lines as unitValue × price × (1 − haircut) (see
 * line-value.ts for why that is the core's valuation), one query sums each facility's
 * lines, the facility figures and LTV levels come from the pure cores in memory, and one
 * UPDATE stores them. Lines the fast path cannot take (no unit value yet, a facility
 * with concentration limits) go through the cores one by one.
 */
export async function revalueSeries(tx: Tx, key: SeriesKey, context: RevaluationContext): Promise<RevaluationSummary> {
  const series = await tx.priceSeries.findUnique({ where: { commodity_currency: { commodity: key.commodity, currency: key.currency } } });
  const empty = { ...key, price: null, haircut: null, lines: 0, facilities: 0, marginCalls: { opened: 0, cured: 0, expired: 0 } };
  if (series === null) return empty;
  const price = fromDb(series.lastPrice);
  const haircut = fromDb(series.haircut);

  // Facilities first, in id order: the lock order of every other facility change
  // (facility-refresh.ts), so a tick and a pledge or drawing never deadlock.
  const cross = crossCurrencyLines(key);
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT f.id FROM facility f
     WHERE f.id IN (SELECT DISTINCT facility_id FROM collateral_line WHERE (commodity = $1 AND currency = $2) OR (${cross.sql}))
     ORDER BY f.id FOR UPDATE`,
    key.commodity,
    key.currency,
  );
  if (locked.length === 0) return { ...empty, price, haircut };
  const facilityIds = locked.map((r) => r.id);

  const fast = await tx.$executeRawUnsafe(
    `UPDATE collateral_line
     SET price = $3::numeric, haircut = $4::numeric,
         collateral_value = round(unit_value * $3::numeric, ${STORED_SCALE}),
         lending_value = round(unit_value * $3::numeric * (1 - $4::numeric), ${STORED_SCALE}),
         concentration_reserve = 0, problem = NULL, valued_at = $5, price_currency = NULL, fx_rate = NULL
     WHERE commodity = $1 AND currency = $2 AND price_unit = $6 AND unit_value IS NOT NULL`,
    key.commodity,
    key.currency,
    price,
    haircut,
    context.now,
    series.unit,
  );
  const slow = await tx.collateralLine.findMany({
    where: {
      OR: [
        { commodity: key.commodity, currency: key.currency, OR: [{ unitValue: null }, { priceUnit: null }, { priceUnit: { not: series.unit } }] },
        ...cross.where,
      ],
    },
    include: { receipt: true },
  });
  const pricer = linePricer(tx);
  for (const line of slow) {
    await tx.collateralLine.update({
      where: { pledgeId: line.pledgeId },
      data: lineColumns(await valueReceiptLine(tx, line.receipt, line.currency, pricer), context.now),
    });
  }
  const concentrated = await tx.$queryRawUnsafe<{ id: string }[]>(
    'SELECT id FROM facility WHERE id = ANY($1::uuid[]) AND concentration IS NOT NULL ORDER BY id',
    facilityIds,
  );
  for (const { id } of concentrated) {
    const facility = await tx.facility.findUnique({ where: { id } });
    if (facility !== null) await revalueConcentratedFacility(tx, facility, context.now);
  }

  const aggregates = await tx.$queryRawUnsafe<AggregateRow[]>(
    `SELECT f.id, f.bank_tenant_id, f.currency, f.limit_amount, f.unsecured_limit, f.outstanding, f.ltv_warning, f.ltv_margin_call,
            f.ltv_liquidation, f.cure_period_seconds, a.cv, a.lv, a.av
     FROM facility f
     JOIN (SELECT facility_id, sum(collateral_value) AS cv, sum(lending_value) AS lv, sum(lending_value * advance_rate) AS av
           FROM collateral_line WHERE facility_id = ANY($1::uuid[]) GROUP BY facility_id) a ON a.facility_id = f.id`,
    facilityIds,
  );
  const columns = { id: [] as string[], cv: [] as string[], lv: [] as string[], bb: [] as string[], av: [] as string[], ltv: [] as (string | null)[], level: [] as string[] };
  const assessed: { facility: FacilityRisk; ltv: LtvAssessment }[] = [];
  for (const row of aggregates) {
    const facility: FacilityRisk = {
      id: row.id,
      bankTenantId: row.bank_tenant_id,
      currency: row.currency,
      outstanding: fromDb(row.outstanding),
      thresholds: { warning: fromDb(row.ltv_warning), marginCall: fromDb(row.ltv_margin_call), liquidation: fromDb(row.ltv_liquidation) },
      curePeriodSeconds: row.cure_period_seconds,
    };
    const figures = facilityFigures({
      currency: facility.currency,
      limit: fromDb(row.limit_amount),
      unsecured: fromDb(row.unsecured_limit),
      outstanding: facility.outstanding,
      thresholds: facility.thresholds,
      totals: { collateralValue: fromDb(row.cv), lendingValue: fromDb(row.lv), advanceValue: fromDb(row.av) },
    });
    columns.id.push(row.id);
    columns.cv.push(figures.collateralValue);
    columns.lv.push(figures.ltv.lendingValue);
    columns.bb.push(figures.availability.borrowingBase);
    columns.av.push(figures.availability.available);
    columns.ltv.push(figures.ltv.ltv);
    columns.level.push(figures.ltv.level);
    assessed.push({ facility, ltv: figures.ltv });
    context.events.collateralChanged({
      tenantId: facility.bankTenantId,
      facilityId: facility.id,
      receiptId: null,
      reason: 'revaluation',
      detail: { commodity: key.commodity, currency: key.currency, price, haircut, available: figures.availability.available, ltv: figures.ltv.ltv, level: figures.ltv.level },
    });
  }
  await tx.$executeRawUnsafe(
    `UPDATE facility f
     SET collateral_value = u.cv::numeric, lending_value = u.lv::numeric, borrowing_base = u.bb::numeric,
         available = u.av::numeric, ltv = u.ltv::numeric, ltv_level = u.level, valued_at = $8, updated_at = $8
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, cv, lv, bb, av, ltv, level)
     WHERE f.id = u.id`,
    columns.id,
    columns.cv,
    columns.lv,
    columns.bb,
    columns.av,
    columns.ltv,
    columns.level,
    context.now,
  );
  const marginCalls = await reconcileMarginCalls(tx, assessed, { ...context, cause: 'market' });
  const summary: RevaluationSummary = {
    ...key,
    price,
    haircut,
    lines: fast + slow.length,
    facilities: aggregates.length,
    marginCalls,
  };
  context.events.audit({
    actor: context.actor,
    action: 'collateral.revalued',
    entityType: 'price_series',
    entityId: `${key.commodity}/${key.currency}`,
    after: { ...summary, sigmaDaily: fromDbOrNull(series.sigmaDaily) },
    at: context.now,
  });
  return summary;
}
