import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { tenantScope } from '../auth/principal.ts';
import type { Facility, Pledge, PrismaClient, Receipt } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { conflict, notFound, type AppError } from '../errors.ts';
import { advanceRateFor } from '../facilities/facility-row.ts';
import { facilityStatus } from '../facilities/facility-views.ts';
import { lockReceipt, lockReceiptRow } from '../receipts/receipt-locks.ts';
import { applyTransition, endPledge, type ChangeContext } from '../receipts/receipt-transitions.ts';
import { transition } from '../receipts/receipt-state.ts';
import { userActor } from '../risk/actor.ts';
import { lineColumns, valueReceiptLine } from '../risk/collateral-lines.ts';
import { assertCovered } from '../risk/coverage.ts';
import { lockFacility, refreshFacility } from '../risk/facility-refresh.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { loadCommodityTerms } from '../valuation/commodity-terms-repository.ts';

export interface PledgeServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

export interface PledgeOutcome {
  readonly pledge: Pledge;
  readonly receipt: Receipt;
  readonly facility: Facility;
}

// The pledge standing in the way may be another bank's: its id, its facility and the
// receipt's number are that bank's business, so the answer names only what the caller sent.
function alreadyPledged(receipt: Pick<Receipt, 'id'>): AppError {
  return conflict('the receipt is already pledged', { conflict: 'pledge', receiptId: receipt.id });
}

export function createPledgeService(deps: PledgeServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function run<T>(actor: string, fn: (tx: Tx, context: ChangeContext) => Promise<T>): Promise<T> {
    const at = now();
    return inUnitOfWork(deps, (tx, events) => fn(tx, { now: at, actor, events }));
  }

  /**
   * Pledges a receipt to one of the bank's facilities. A receipt is addressed by its id
   * as the borrower presents it, so a bank may pledge a receipt it could not see before.
   * Exactly one of any number of concurrent attempts on a receipt wins: each takes the
   * receipt's row lock and finds it issued or not; the partial unique index
   * pledge_active_receipt_key refuses a second active pledge even if that check were
   * bypassed. The losers get 409 naming the receipt and the winning pledge.
   *
   * Unlike every other facility change this locks the receipt before the facility. An
   * issued receipt belongs to no facility, so nothing holding a facility lock can be
   * waiting for it; and a loser then waits for the receipt alone instead of holding its
   * facility while it waits, which would queue every other pledge to that facility
   * behind receipts being pledged elsewhere.
   */
  async function pledge(principal: Principal, input: { receiptId: string; facilityId: string }): Promise<PledgeOutcome> {
    const visible = await deps.prisma.facility.findUnique({ where: { id: input.facilityId }, select: { bankTenantId: true } });
    if (visible === null || visible.bankTenantId !== principal.tenantId) throw notFound(`facility ${input.facilityId}`);
    // Most losers of a race arrive after the winner committed: answer them from what is
    // committed, without taking any lock.
    const committed = await deps.prisma.receipt.findUnique({ where: { id: input.receiptId } });
    if (committed === null) throw notFound(`receipt ${input.receiptId}`);
    if (committed.status === 'pledged' || committed.status === 'called') throw alreadyPledged(committed);
    try {
      return await run(userActor(principal), async (tx, context) => {
        const receipt = await lockReceiptRow(tx, input.receiptId);
        if (receipt === null) throw notFound(`receipt ${input.receiptId}`);
        if (receipt.status === 'pledged' || receipt.status === 'called') throw alreadyPledged(receipt);
        const allowed = transition(receipt.status, 'pledge');
        if (!allowed.ok) throw conflict(`receipt ${receipt.number}: ${allowed.message}`, { conflict: 'state', receiptId: receipt.id, status: receipt.status });
        if (receipt.validUntil.getTime() <= context.now.getTime()) throw conflict(`receipt ${receipt.number} expired at ${receipt.validUntil.toISOString()}`, { conflict: 'expired' });
        const facility = await lockFacility(tx, input.facilityId);
        if (facility === null) throw notFound(`facility ${input.facilityId}`);
        if (facilityStatus(facility, context.now) === 'expired') throw conflict(`facility ${facility.reference} has expired`, { conflict: 'facility_expired' });
        if (receipt.depositorRef !== facility.borrowerRef) {
          throw conflict(`receipt ${receipt.number} belongs to depositor ${receipt.depositorRef}, not to the facility's borrower ${facility.borrowerRef}`, { conflict: 'borrower' });
        }
        const created = await tx.pledge.create({
          data: {
            id: randomUUID(),
            receiptId: receipt.id,
            facilityId: facility.id,
            bankTenantId: facility.bankTenantId,
            status: 'active',
            pledgedAt: context.now,
            pledgedBy: context.actor,
          },
        });
        const pledged = await applyTransition(tx, receipt, 'pledge', { holderTenantId: facility.bankTenantId }, context, { pledgeId: created.id, facilityId: facility.id });
        const terms = await loadCommodityTerms(tx, pledged.commodity);
        await tx.collateralLine.create({
          data: {
            pledgeId: created.id,
            receiptId: pledged.id,
            facilityId: facility.id,
            commodity: pledged.commodity,
            currency: facility.currency,
            advanceRate: advanceRateFor(facility, terms.classId),
            ...lineColumns(await valueReceiptLine(tx, pledged, facility.currency), context.now),
          },
        });
        context.events.audit({
          actor: context.actor,
          action: 'pledge.created',
          entityType: 'pledge',
          entityId: created.id,
          tenantId: facility.bankTenantId,
          after: created,
          at: context.now,
        });
        const refreshed = await refreshFacility(tx, facility.id, { ...context, cause: 'collateral', reason: 'pledge.created', receiptId: pledged.id });
        return { pledge: created, receipt: pledged, facility: refreshed.facility };
      });
    } catch (error) {
      if (uniqueViolation(error) === 'pledge_active_receipt_key') {
        const receipt = await deps.prisma.receipt.findUnique({ where: { id: input.receiptId } });
        if (receipt !== null) throw alreadyPledged(receipt);
      }
      throw error;
    }
  }

  /**
   * The bank gives up its pledge on the whole receipt: the goods are released to the
   * depositor (the receipt ends released and its items are freed). Refused with 422 while
   * the rest of the collateral would not cover what is outstanding.
   */
  const release = (principal: Principal, pledgeId: string, reason?: string): Promise<PledgeOutcome> =>
    run(userActor(principal), async (tx, context) => {
      const seen = await tx.pledge.findUnique({ where: { id: pledgeId } });
      const tenant = tenantScope(principal);
      if (seen === null || (tenant !== undefined && seen.bankTenantId !== tenant)) throw notFound(`pledge ${pledgeId}`);
      if (seen.status !== 'active') throw conflict(`pledge ${pledgeId} is ${seen.status}`, { conflict: 'state', status: seen.status });
      const locked = await lockReceipt(tx, seen.receiptId);
      if (locked === null || locked.pledge?.id !== pledgeId || locked.facility === null) throw conflict(`pledge ${pledgeId} changed while this request ran; retry`);
      await assertCovered(tx, locked.facility, new Map([[seen.receiptId, '0']]), `releasing receipt ${locked.receipt.number}`);
      const receipt = await applyTransition(tx, locked.receipt, 'release', { closedAt: context.now }, context, { pledgeId, reason });
      await endPledge(tx, locked.pledge, 'released', reason ?? 'released by the lender', context);
      const refreshed = await refreshFacility(tx, locked.facility.id, { ...context, cause: 'collateral', reason: 'pledge.released', receiptId: receipt.id });
      const after = await tx.pledge.findUniqueOrThrow({ where: { id: pledgeId } });
      return { pledge: after, receipt, facility: refreshed.facility };
    });

  return { pledge, release };
}

export type PledgeService = ReturnType<typeof createPledgeService>;
