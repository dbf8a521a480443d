import type { EvidenceOf } from '../../protocol/index.ts';
import type { PrismaClient, Receipt } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { lockReceipt, type LockedReceipt } from '../receipts/receipt-locks.ts';
import { ACTIVE_RECEIPT_STATUSES } from '../receipts/receipt-state.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec, maxDec, minDec, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { conversionFactor } from '../valuation/units.ts';
import { revalueReceiptLine } from './collateral-lines.ts';
import { refreshFacility } from './facility-refresh.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';

/** `lot.verified` evidence (protocol/evidence), as the gateway's RFID stage writes it. */
export type LotVerifiedEvidence = EvidenceOf<'lot.verified'>;

/**
 * The quantity the gateway vouches for, in the receipt's unit: its verifiedQuantity when
 * given (converted), else present × quantity / expected (items are uniform units). Never
 * more than the receipt's face quantity: extra goods on the floor are not the bank's
 * collateral. Undefined when the evidence says nothing usable.
 */
export function verifiedQuantityOf(receipt: Pick<Receipt, 'unit'> & { quantity: string }, evidence: LotVerifiedEvidence): string | undefined {
  const face = new Dec(receipt.quantity);
  const stated = evidence.verifiedQuantity;
  let quantity: Dec | undefined;
  if (stated !== undefined) {
    const value = parseDecimal(stated.value);
    // A unit the cloud cannot convert falls back to the counts.
    const conversion = conversionFactor(stated.unit, receipt.unit);
    if (value !== undefined && conversion.ok) quantity = value.times(conversion.factor);
  }
  if (quantity === undefined) {
    const { expected, present } = evidence;
    if (!(expected > 0)) return undefined;
    quantity = face.times(present).dividedBy(expected);
  }
  return toPlain(minDec(face, maxDec(new Dec(0), quantity)));
}

const ACTOR_PREFIX = 'gateway:';

/**
 * The active receipt of each lot at a site, in one query: a batch of `lot.verified`
 * events costs one lookup, not one per event (bench/cloud-ingest).
 */
export async function activeReceiptsOfLots(prisma: PrismaClient, site: string, lotIds: readonly string[]): Promise<Map<string, string>> {
  const byLot = new Map<string, string>();
  if (lotIds.length === 0) return byLot;
  const rows = await prisma.receipt.findMany({
    where: { siteId: site, lotId: { in: [...new Set(lotIds)] }, status: { in: [...ACTIVE_RECEIPT_STATUSES] } },
    select: { id: true, lotId: true },
  });
  for (const row of rows) if (!byLot.has(row.lotId)) byLot.set(row.lotId, row.id);
  return byLot;
}

/** The receipt locked (with its facility) if it is still active: what a gateway finding may change. */
export async function lockActiveReceipt(tx: Tx, receiptId: string): Promise<LockedReceipt | null> {
  const locked = await lockReceipt(tx, receiptId);
  return locked !== null && (ACTIVE_RECEIPT_STATUSES as readonly string[]).includes(locked.receipt.status) ? locked : null;
}

/** Applies a `lot.verified` finding to the lot's active receipt (found by `activeReceiptsOfLots`), revaluing it if pledged. */
export function createVerificationHandler(deps: { prisma: PrismaClient; bus: DomainEventBus; now?: () => Date }) {
  return async function applyLotVerified(input: { gatewayId: string; receiptId: string; eventId: string; at: Date; evidence: LotVerifiedEvidence }): Promise<void> {
    const now = deps.now?.() ?? new Date();
    await inUnitOfWork(deps, async (tx, events) => {
      const locked = await lockActiveReceipt(tx, input.receiptId);
      if (locked === null) return;
      const { receipt, facility } = locked;
      // A count that arrived late (a filled gap) must not undo a newer one.
      if (receipt.verifiedAt !== null && receipt.verifiedAt.getTime() > input.at.getTime()) return;
      const verified = verifiedQuantityOf({ unit: receipt.unit, quantity: fromDb(receipt.quantity) }, input.evidence);
      if (verified === undefined) return;
      const before = fromDb(receipt.verifiedQuantity);
      if (new Dec(verified).equals(before)) {
        await tx.receipt.update({ where: { id: receipt.id }, data: { verifiedAt: input.at } });
        return;
      }
      const after = await tx.receipt.update({ where: { id: receipt.id }, data: { verifiedQuantity: verified, verifiedAt: input.at, version: { increment: 1 }, updatedAt: now } });
      const actor = `${ACTOR_PREFIX}${input.gatewayId}`;
      events.audit({
        actor,
        action: 'receipt.verified',
        entityType: 'receipt',
        entityId: receipt.id,
        tenantId: receipt.holderTenantId ?? receipt.issuerTenantId,
        before: { verifiedQuantity: before, unit: receipt.unit },
        after: { verifiedQuantity: verified, unit: receipt.unit, eventId: input.eventId, evidence: input.evidence },
        at: now,
      });
      if (facility === null) return;
      await revalueReceiptLine(tx, after, facility, now);
      await refreshFacility(tx, facility.id, { now, actor, events, cause: 'collateral', reason: 'verification', receiptId: receipt.id, detail: { verifiedQuantity: verified, before } });
    });
  };
}
