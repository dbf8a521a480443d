import type { Db } from '../audit/audit-log.ts';
import { conflict, type AppError } from '../errors.ts';
import { ACTIVE_RECEIPT_STATUSES } from './receipt-state.ts';

// The same goods cannot back two receipts (010_collateral.sql: receipt_active_lot_key,
// receipt_item_active_epc_key). These name the receipt already standing for them, both
// for the check made before inserting and after the index refused a concurrent insert.

export async function lotConflict(db: Db, siteId: string, lotId: string): Promise<AppError | undefined> {
  const holder = await db.receipt.findFirst({ where: { siteId, lotId, status: { in: [...ACTIVE_RECEIPT_STATUSES] } } });
  if (holder === null) return undefined;
  return conflict(`lot ${lotId} at site ${siteId} already backs receipt ${holder.number} (${holder.id}, ${holder.status})`, {
    conflict: 'lot',
    receiptId: holder.id,
    receiptNumber: holder.number,
  });
}

const NAMED = 20;

export async function epcConflict(db: Db, epcs: readonly string[]): Promise<AppError | undefined> {
  if (epcs.length === 0) return undefined;
  const rows = await db.$queryRaw<{ epc: string; receipt_id: string }[]>`
    SELECT epc, receipt_id::text FROM receipt_item WHERE active AND epc = ANY(${[...epcs]}::text[]) ORDER BY epc LIMIT ${NAMED}`;
  if (rows.length === 0) return undefined;
  const receiptIds = [...new Set(rows.map((r) => r.receipt_id))];
  return conflict(`${rows.length === NAMED ? `at least ${NAMED}` : rows.length} item(s) already belong to active receipt(s) ${receiptIds.join(', ')}: ${rows.map((r) => r.epc).join(', ')}`, {
    conflict: 'epc',
    receiptIds,
    epcs: rows.map((r) => r.epc),
  });
}
