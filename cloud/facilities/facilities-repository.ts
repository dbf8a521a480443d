import type { Facility, MarginCall, PrismaClient } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import { facilityScope } from './facility-service.ts';
import { valueFacilityCollateral } from './facility-valuation.ts';

/** Margin call states that still weigh on a facility. */
const PENDING_CALL = { in: ['open', 'expired'] };

/**
 * The facility reads behind the routes: lists in the caller's tenant scope, collateral
 * lines, ledger and margin calls of a facility already found through the facility
 * service (which checks the caller may see it). Changes go through the service.
 */
export function createFacilitiesRepository(prisma: PrismaClient) {
  return {
    /** The open or expired margin call of a facility, if any. */
    pendingCall(facilityId: string): Promise<MarginCall | null> {
      return prisma.marginCall.findFirst({ where: { facilityId, status: PENDING_CALL } });
    },

    /** The facilities the principal sees, newest first, each with its pending margin call. */
    async list(principal: Principal, filter: { borrowerRef?: string | undefined; limit: number }): Promise<{ facility: Facility; pendingCall: MarginCall | null }[]> {
      const rows = await prisma.facility.findMany({
        where: { ...facilityScope(principal), ...(filter.borrowerRef ? { borrowerRef: filter.borrowerRef } : {}) },
        orderBy: { createdAt: 'desc' },
        take: filter.limit,
      });
      const calls = await prisma.marginCall.findMany({ where: { facilityId: { in: rows.map((r) => r.id) }, status: PENDING_CALL } });
      const byFacility = new Map(calls.map((c) => [c.facilityId, c] as const));
      return rows.map((facility) => ({ facility, pendingCall: byFacility.get(facility.id) ?? null }));
    },

    /** The facility's collateral, line by line in receipt order, with what the lines show of their receipts. */
    collateralLines(facilityId: string) {
      return prisma.collateralLine.findMany({
        where: { facilityId },
        include: { receipt: { select: { number: true, siteId: true, lotId: true, verifiedQuantity: true, unit: true } } },
        orderBy: { receiptId: 'asc' },
      });
    },

    /** Drawdowns and repayments, oldest first. */
    ledger(facilityId: string) {
      return prisma.facilityLedger.findMany({ where: { facilityId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    },

    /** Every margin call of the facility, newest first. */
    marginCalls(facilityId: string): Promise<MarginCall[]> {
      return prisma.marginCall.findMany({ where: { facilityId }, orderBy: { openedAt: 'desc' } });
    },

    valuation(facility: Facility) {
      return valueFacilityCollateral(prisma, facility);
    },
  };
}

export type FacilitiesRepository = ReturnType<typeof createFacilitiesRepository>;
