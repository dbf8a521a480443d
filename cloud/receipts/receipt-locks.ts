import type { Facility, Pledge, Receipt } from '../db/generated/client.ts';
import { conflict } from '../errors.ts';
import { lockFacility } from '../risk/facility-refresh.ts';
import type { Tx } from '../db/unit-of-work.ts';

export interface LockedReceipt {
  readonly receipt: Receipt;
  readonly pledge: Pledge | null;
  readonly facility: Facility | null;
}

export async function lockReceiptRow(tx: Tx, id: string): Promise<Receipt | null> {
  await tx.$queryRaw`SELECT 1 FROM receipt WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.receipt.findUnique({ where: { id } });
}

/**
 * Locks a receipt and, when it is pledged, its facility first: the facility → receipt
 * order every facility change follows (facility-refresh.ts). The pledge is read before
 * the locks and checked again after; a pledge that changed in between is a concurrent
 * change, reported as a conflict for the caller to retry.
 */
export async function lockReceipt(tx: Tx, id: string): Promise<LockedReceipt | null> {
  const seen = await tx.pledge.findFirst({ where: { receiptId: id, status: 'active' } });
  const facility = seen === null ? null : await lockFacility(tx, seen.facilityId);
  const receipt = await lockReceiptRow(tx, id);
  if (receipt === null) return null;
  const pledge = await tx.pledge.findFirst({ where: { receiptId: id, status: 'active' } });
  if ((pledge?.id ?? null) !== (seen?.id ?? null)) {
    throw conflict(`receipt ${receipt.number} changed while this request ran; retry`, { receiptId: id });
  }
  return { receipt, pledge, facility };
}
