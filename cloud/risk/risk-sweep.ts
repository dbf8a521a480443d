import type { PrismaClient } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { lockReceipt } from '../receipts/receipt-locks.ts';
import { callReceipt } from '../receipts/receipt-transitions.ts';
import { evaluateFacilityFreeze } from './facility-freeze.ts';
import { facilityRisk, lockFacility } from './facility-refresh.ts';
import { applyToStoredCall } from './margin-calls.ts';
import { inUnitOfWork, type UnitOfWork } from '../db/unit-of-work.ts';

export interface SweepSummary {
  readonly at: string;
  readonly receiptsCalled: number;
  readonly marginCallsExpired: number;
  readonly facilitiesFrozen: number;
}

const ACTOR = 'system:risk-sweep';

export interface SweepScope {
  /**
   * Only this bank's pledged receipts and margin calls; every bank's when undefined (the
   * timer, administrators). A risk officer's sweep must not call another bank's receipts.
   */
  readonly bankTenantId?: string | undefined;
}

/**
 * What happens with time alone: pledged receipts past their validity are called
 * (reason expiry), margin calls past their due time expire, and an expired margin call
 * freezes its facility's drawings (freeze.ts). Each item is its own transaction, so one
 * failure does not hold back the rest.
 */
export function createRiskSweep(deps: { prisma: PrismaClient; bus: DomainEventBus; now?: () => Date }) {
  return async function sweep(scope: SweepScope = {}): Promise<SweepSummary> {
    const bank = scope.bankTenantId;
    const now = deps.now?.() ?? new Date();
    const contextOf = (events: UnitOfWork) => ({ now, actor: ACTOR, events });
    let receiptsCalled = 0;
    let marginCallsExpired = 0;
    let facilitiesFrozen = 0;

    const expiring = await deps.prisma.receipt.findMany({ where: { status: 'pledged', validUntil: { lte: now }, ...(bank === undefined ? {} : { holderTenantId: bank }) }, select: { id: true }, orderBy: { validUntil: 'asc' } });
    for (const { id } of expiring) {
      await inUnitOfWork(deps, async (tx, events) => {
        const locked = await lockReceipt(tx, id);
        if (locked === null || locked.receipt.status !== 'pledged' || locked.receipt.validUntil.getTime() > now.getTime()) return;
        if (bank !== undefined && locked.receipt.holderTenantId !== bank) return;
        await callReceipt(tx, locked, 'expiry', contextOf(events));
        receiptsCalled += 1;
      });
    }

    const due = await deps.prisma.marginCall.findMany({ where: { status: 'open', dueAt: { lte: now }, ...(bank === undefined ? {} : { bankTenantId: bank }) }, select: { facilityId: true }, orderBy: { facilityId: 'asc' } });
    for (const { facilityId } of due) {
      await inUnitOfWork(deps, async (tx, events) => {
        const facility = await lockFacility(tx, facilityId);
        if (facility === null) return;
        const context = contextOf(events);
        const call = await applyToStoredCall(tx, facilityRisk(facility), { type: 'clock', now }, context);
        if (call?.status === 'expired') marginCallsExpired += 1;
        const wasFrozen = facility.frozen;
        const freeze = await evaluateFacilityFreeze(tx, facility, context);
        if (!wasFrozen && freeze.holds.some((h) => h.resolution === null)) facilitiesFrozen += 1;
      });
    }
    return { at: now.toISOString(), receiptsCalled, marginCallsExpired, facilitiesFrozen };
  };
}

export type RiskSweep = ReturnType<typeof createRiskSweep>;
