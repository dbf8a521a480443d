import { Type, type Static } from 'typebox';
import type { Pledge, Receipt } from '../db/generated/client.ts';
import { NullableTimestamp, Timestamp, Uuid } from '../valuation/wire-schemas.ts';

export const PledgeView = Type.Object({
  id: Uuid,
  receiptId: Uuid,
  receiptNumber: Type.String(),
  facilityId: Uuid,
  bankTenantId: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('released'), Type.Literal('liquidated')]),
  pledgedAt: Timestamp,
  endedAt: NullableTimestamp,
  endReason: Type.Union([Type.String(), Type.Null()]),
});

export function pledgeView(row: Pledge, receipt: Pick<Receipt, 'number'>): Static<typeof PledgeView> {
  return {
    id: row.id,
    receiptId: row.receiptId,
    receiptNumber: receipt.number,
    facilityId: row.facilityId,
    bankTenantId: row.bankTenantId,
    status: row.status as Static<typeof PledgeView>['status'],
    pledgedAt: row.pledgedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
  };
}
