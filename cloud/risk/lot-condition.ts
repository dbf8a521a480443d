import type { EvidenceOf } from '../../protocol/index.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec } from '../valuation/decimal.ts';
import { revalueReceiptLine } from './collateral-lines.ts';
import { refreshFacility } from './facility-refresh.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { lockActiveReceipt } from './verification.ts';

/** `lot.condition` evidence (protocol/evidence): the lot's factor from its climate history, and why. */
export type LotConditionEvidence = EvidenceOf<'lot.condition'>;

/** The factor as a decimal string; the schema already holds it in [0, 1]. */
export function conditionFactorOf(evidence: LotConditionEvidence): string {
  return new Dec(evidence.factor).toDecimalPlaces(4).toFixed();
}

/**
 * Applies a gateway's `lot.condition` to the lot's active receipt: the gateway's factor
 * is always kept (with its time); the valuation's sensor condition factor follows it,
 * revaluing a pledged receipt, unless a person overrode it (`conditionOverride`, set by
 * POST /receipts/{id}/condition), whose word wins until they hand it back. Audited as
 * the gateway's act. A report older than the one kept is ignored (a filled gap).
 */
export function createLotConditionHandler(deps: { prisma: PrismaClient; bus: DomainEventBus; now?: () => Date }) {
  return async function applyLotCondition(input: { gatewayId: string; receiptId: string; eventId: string; at: Date; evidence: LotConditionEvidence }): Promise<void> {
    const factor = conditionFactorOf(input.evidence);
    const now = deps.now?.() ?? new Date();
    await inUnitOfWork(deps, async (tx, events) => {
      const locked = await lockActiveReceipt(tx, input.receiptId);
      if (locked === null) return;
      const { receipt, facility } = locked;
      if (receipt.gatewayConditionAt !== null && receipt.gatewayConditionAt.getTime() > input.at.getTime()) return;
      const before = fromDb(receipt.sensorConditionFactor);
      const follows = !receipt.conditionOverride && !new Dec(before).equals(factor);
      const after = await tx.receipt.update({
        where: { id: receipt.id },
        data: {
          gatewayConditionFactor: factor,
          gatewayConditionAt: input.at,
          ...(follows ? { sensorConditionFactor: factor, version: { increment: 1 }, updatedAt: now } : {}),
        },
      });
      if (!follows) return;
      const actor = `gateway:${input.gatewayId}`;
      events.audit({
        actor,
        action: 'receipt.condition_changed',
        entityType: 'receipt',
        entityId: receipt.id,
        tenantId: receipt.holderTenantId ?? receipt.issuerTenantId,
        before: { sensorConditionFactor: before },
        after: { sensorConditionFactor: factor, source: 'gateway', eventId: input.eventId, reasons: input.evidence.reasons },
        at: now,
      });
      if (facility === null) return;
      await revalueReceiptLine(tx, after, facility, now);
      await refreshFacility(tx, facility.id, { now, actor, events, cause: 'collateral', reason: 'receipt.condition_changed', receiptId: receipt.id, detail: { sensorConditionFactor: factor, before } });
    });
  };
}
