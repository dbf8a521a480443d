import type { Facility } from '../db/generated/client.ts';
import { facilityFigures, type CollateralTotals, type FacilityFigures } from '../facilities/facility-figures.ts';
import { thresholdsOf } from '../facilities/facility-row.ts';
import type { MarginCallCause } from '../facilities/margin-call.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { revalueConcentratedFacility } from './collateral-lines.ts';
import { evaluateFacilityFreeze } from './facility-freeze.ts';
import { reconcileMarginCalls, type FacilityRisk } from './margin-calls.ts';
import type { Tx, UnitOfWork } from '../db/unit-of-work.ts';

export interface RefreshContext {
  readonly now: Date;
  readonly actor: string;
  readonly events: UnitOfWork;
  readonly cause: MarginCallCause;
  /** collateral.changed reason, e.g. 'pledge.created', 'drawdown'. */
  readonly reason: string;
  readonly receiptId?: string | null;
  readonly detail?: Record<string, unknown>;
}

/**
 * Takes the facility's row lock. Every change to a facility's figures (pledge, release,
 * drawing, repayment, revaluation) locks the facility first and only then its receipts
 * and lines, one order everywhere, so concurrent changes serialise without deadlocks.
 */
export async function lockFacility(tx: Tx, id: string): Promise<Facility | null> {
  await tx.$queryRaw`SELECT 1 FROM facility WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.facility.findUnique({ where: { id } });
}

interface TotalsRow {
  cv: { toFixed(): string };
  lv: { toFixed(): string };
  av: { toFixed(): string };
}

export async function collateralTotals(tx: Tx, facilityId: string): Promise<CollateralTotals> {
  const rows = await tx.$queryRaw<TotalsRow[]>`
    SELECT COALESCE(sum(collateral_value), 0) AS cv, COALESCE(sum(lending_value), 0) AS lv,
           COALESCE(sum(lending_value * advance_rate), 0) AS av
    FROM collateral_line WHERE facility_id = ${facilityId}::uuid`;
  const row = rows[0];
  if (row === undefined) return { collateralValue: '0', lendingValue: '0', advanceValue: '0' };
  return { collateralValue: fromDb(row.cv), lendingValue: fromDb(row.lv), advanceValue: fromDb(row.av) };
}

export function facilityRisk(row: Facility, outstanding = fromDb(row.outstanding)): FacilityRisk {
  return {
    id: row.id,
    bankTenantId: row.bankTenantId,
    currency: row.currency,
    outstanding,
    thresholds: thresholdsOf(row),
    curePeriodSeconds: row.curePeriodSeconds,
  };
}

export function figureColumns(figures: FacilityFigures, now: Date) {
  return {
    collateralValue: figures.collateralValue,
    lendingValue: figures.ltv.lendingValue,
    borrowingBase: figures.availability.borrowingBase,
    available: figures.availability.available,
    ltv: figures.ltv.ltv,
    ltvLevel: figures.ltv.level,
    valuedAt: now,
    updatedAt: now,
  };
}

/**
 * Recomputes and stores a facility's figures from its collateral lines, then lets the
 * LTV open or cure a margin call and the pledged lots' state freeze drawings.
 */
export async function refreshFacility(tx: Tx, facilityId: string, context: RefreshContext): Promise<{ facility: Facility; figures: FacilityFigures }> {
  const locked = await lockFacility(tx, facilityId);
  if (locked === null) throw new Error(`facility ${facilityId} vanished`);
  await revalueConcentratedFacility(tx, locked, context.now);
  const totals = await collateralTotals(tx, facilityId);
  const outstanding = fromDb(locked.outstanding);
  const figures = facilityFigures({ currency: locked.currency, limit: fromDb(locked.limitAmount), outstanding, thresholds: thresholdsOf(locked), totals, unsecured: fromDb(locked.unsecuredLimit) });
  const facility = await tx.facility.update({ where: { id: facilityId }, data: figureColumns(figures, context.now) });
  await reconcileMarginCalls(tx, [{ facility: facilityRisk(facility), ltv: figures.ltv }], context);
  await evaluateFacilityFreeze(tx, facility, context);
  context.events.collateralChanged({
    tenantId: facility.bankTenantId,
    facilityId,
    receiptId: context.receiptId ?? null,
    reason: context.reason,
    detail: {
      ...context.detail,
      available: figures.availability.available,
      outstanding: figures.availability.outstanding,
      lendingValue: figures.ltv.lendingValue,
      ltv: figures.ltv.ltv,
      level: figures.ltv.level,
    },
  });
  return { facility: (await tx.facility.findUnique({ where: { id: facilityId } })) ?? facility, figures };
}
