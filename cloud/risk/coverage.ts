import type { Facility } from '../db/generated/client.ts';
import { computeAvailability } from '../facilities/availability.ts';
import { limitExceeded } from '../errors.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec } from '../valuation/decimal.ts';
import type { Tx } from '../db/unit-of-work.ts';

/**
 * Refuses (422) a change to a facility's collateral that would leave more outstanding
 * than the remaining collateral supports: a release of goods, or of a whole pledge, is
 * the lender's consent to less security, which it only gives once the borrower repaid
 * enough. `replace` maps a receipt to its lending value after the change ('0' = gone).
 */
export async function assertCovered(tx: Tx, facility: Facility, replace: ReadonlyMap<string, string>, what: string): Promise<void> {
  const lines = await tx.collateralLine.findMany({ where: { facilityId: facility.id }, select: { receiptId: true, lendingValue: true, advanceRate: true } });
  const after = computeAvailability({
    currency: facility.currency,
    limit: fromDb(facility.limitAmount),
    outstanding: fromDb(facility.outstanding),
    unsecured: fromDb(facility.unsecuredLimit),
    collateral: lines.map((l) => ({
      receiptId: l.receiptId,
      lendingValue: replace.get(l.receiptId) ?? fromDb(l.lendingValue),
      advanceRate: fromDb(l.advanceRate),
    })),
  });
  if (!new Dec(after.shortfall).greaterThan(0)) return;
  throw limitExceeded(
    `${what} would leave ${after.outstanding} ${facility.currency} outstanding against a drawing power of ${after.drawingPower}; repay at least ${after.shortfall} first`,
    { code: 'insufficient_cover', outstanding: after.outstanding, drawingPowerAfter: after.drawingPower, repaymentNeeded: after.shortfall, currency: facility.currency },
  );
}
