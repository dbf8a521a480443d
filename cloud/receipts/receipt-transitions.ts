import type { Pledge, Prisma, Receipt } from '../db/generated/client.ts';
import { conflict } from '../errors.ts';
import type { Tx, UnitOfWork } from '../db/unit-of-work.ts';
import type { LockedReceipt } from './receipt-locks.ts';
import { transition, type ReceiptAction } from './receipt-state.ts';

export interface ChangeContext {
  readonly now: Date;
  readonly actor: string;
  readonly events: UnitOfWork;
}

/**
 * Moves a locked receipt through one transition of receipt-state.ts, bumping its version,
 * and audits it with before and after; a transition the state machine refuses is a 409.
 */
export async function applyTransition(
  tx: Tx,
  receipt: Receipt,
  action: ReceiptAction,
  data: Prisma.ReceiptUpdateInput,
  context: ChangeContext,
  extra: Record<string, unknown> = {},
): Promise<Receipt> {
  const next = transition(receipt.status, action);
  if (!next.ok) throw conflict(`receipt ${receipt.number}: ${next.message}`, { receiptId: receipt.id, status: receipt.status });
  const after = await tx.receipt.update({
    where: { id: receipt.id },
    data: { ...data, status: next.to, version: { increment: 1 }, updatedAt: context.now },
  });
  context.events.audit({
    actor: context.actor,
    action: `receipt.${action === 'reduce' ? 'reduced' : next.to}`,
    entityType: 'receipt',
    entityId: receipt.id,
    tenantId: after.holderTenantId ?? after.issuerTenantId,
    before: receipt,
    after: { ...after, ...extra },
    at: context.now,
  });
  return after;
}

/** Ends a receipt's active pledge; its collateral line goes with it. */
export async function endPledge(tx: Tx, pledge: Pledge, status: 'released' | 'liquidated', reason: string, context: ChangeContext): Promise<void> {
  await tx.collateralLine.deleteMany({ where: { pledgeId: pledge.id } });
  const after = await tx.pledge.update({
    where: { id: pledge.id },
    data: { status, endedAt: context.now, endedBy: context.actor, endReason: reason },
  });
  context.events.audit({
    actor: context.actor,
    action: `pledge.${status}`,
    entityType: 'pledge',
    entityId: pledge.id,
    tenantId: pledge.bankTenantId,
    before: pledge,
    after,
    at: context.now,
  });
}

export type CallReason = 'expiry' | 'default' | 'margin_call';

/** The lender calls the goods: the receipt stays pledged and valued, and heads for sale. */
export async function callReceipt(tx: Tx, locked: LockedReceipt, reason: CallReason, context: ChangeContext, note?: string): Promise<Receipt> {
  const after = await applyTransition(tx, locked.receipt, 'call', { calledAt: context.now, calledReason: reason }, context, note === undefined ? {} : { note });
  context.events.collateralChanged({
    tenantId: after.holderTenantId ?? after.issuerTenantId,
    facilityId: locked.facility?.id ?? null,
    receiptId: after.id,
    reason: 'receipt.called',
    detail: { reason, number: after.number },
  });
  return after;
}
