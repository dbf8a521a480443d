import type { MarginCall as MarginCallRow } from '../db/generated/client.ts';
import type { MarginCall, MarginCallCause } from '../facilities/margin-call.ts';
import { fromDb, fromDbOrNull } from '../valuation/db-decimal.ts';

// margin_call rows ↔ the pure core's MarginCall.
export function toMarginCall(row: MarginCallRow): MarginCall {
  const base = {
    id: row.id,
    facilityId: row.facilityId,
    openedAt: row.openedAt,
    dueAt: row.dueAt,
    ltvAtOpen: fromDbOrNull(row.ltvAtOpen),
    cureBelow: fromDb(row.cureBelow),
    latestLtv: fromDbOrNull(row.latestLtv),
  };
  switch (row.status) {
    case 'cured':
      return { ...base, status: 'cured', curedAt: row.curedAt ?? row.openedAt, curedBy: (row.curedBy ?? 'market') as MarginCallCause };
    case 'expired':
      return { ...base, status: 'expired', expiredAt: row.expiredAt ?? row.dueAt };
    case 'liquidated':
      return { ...base, status: 'liquidated', expiredAt: row.expiredAt ?? row.dueAt, liquidatedAt: row.liquidatedAt ?? row.dueAt };
    default:
      return { ...base, status: 'open' };
  }
}

export function marginCallColumns(call: MarginCall) {
  return {
    status: call.status,
    latestLtv: call.latestLtv,
    curedAt: call.status === 'cured' ? call.curedAt : null,
    curedBy: call.status === 'cured' ? call.curedBy : null,
    expiredAt: call.status === 'expired' || call.status === 'liquidated' ? call.expiredAt : null,
    liquidatedAt: call.status === 'liquidated' ? call.liquidatedAt : null,
  };
}
