import type { Db } from '../audit/audit-log.ts';
import type { Receipt } from '../db/generated/client.ts';
import { receiptView, type ReceiptView } from './receipt-views.ts';

/** Views of receipts with their item counts, active pledge, valuation line and lot state, in four queries. */
export async function receiptViews(db: Db, rows: readonly Receipt[]): Promise<ReceiptView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counts, pledges, lines, lotStates] = await Promise.all([
    db.receiptItem.groupBy({ by: ['receiptId'], where: { receiptId: { in: ids }, active: true }, _count: { _all: true } }),
    db.pledge.findMany({ where: { receiptId: { in: ids }, status: 'active' } }),
    db.collateralLine.findMany({ where: { receiptId: { in: ids } } }),
    db.collateralLotState.findMany({ where: { OR: rows.map((r) => ({ siteId: r.siteId, lotId: r.lotId })) } }),
  ]);
  const count = new Map(counts.map((c) => [c.receiptId, c._count._all] as const));
  const pledge = new Map(pledges.map((p) => [p.receiptId, p] as const));
  const line = new Map(lines.map((l) => [l.receiptId, l] as const));
  const lotState = new Map(lotStates.map((s) => [`${s.siteId}\u0000${s.lotId}`, s] as const));
  return rows.map((row) =>
    receiptView(row, {
      epcCount: count.get(row.id) ?? 0,
      pledge: pledge.get(row.id) ?? null,
      line: line.get(row.id) ?? null,
      lotState: lotState.get(`${row.siteId}\u0000${row.lotId}`) ?? null,
    }),
  );
}

export async function receiptViewOf(db: Db, row: Receipt): Promise<ReceiptView> {
  const [view] = await receiptViews(db, [row]);
  if (view === undefined) throw new Error('receipt view missing');
  return view;
}
