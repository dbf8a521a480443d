import { Type, type Static } from 'typebox';
import type { ReleaseOrder } from '../db/generated/client.ts';
import { fromDbOrNull } from '../valuation/db-decimal.ts';
import { NullableTimestamp, Quantity, Timestamp, Uuid } from '../valuation/wire-schemas.ts';

export const RELEASE_ORDER_STATUSES = ['requested', 'approved', 'refused', 'completed', 'cancelled'] as const;

export const ReleaseOrderView = Type.Object({
  id: Uuid,
  reference: Type.String(),
  receiptId: Uuid,
  siteId: Type.String(),
  lotId: Type.String(),
  kind: Type.Union([Type.Literal('full'), Type.Literal('partial')]),
  epcs: Type.Array(Type.String(), { description: 'uppercase hex EPCs allowed to leave (empty for a release by quantity only)' }),
  quantity: Type.Union([Quantity, Type.Null()]),
  status: Type.Enum([...RELEASE_ORDER_STATUSES]),
  validFrom: Timestamp,
  validUntil: Timestamp,
  note: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.String(),
  requestedAt: Timestamp,
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: NullableTimestamp,
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  completedAt: NullableTimestamp,
});

export function releaseOrderView(row: ReleaseOrder): Static<typeof ReleaseOrderView> {
  const quantity = fromDbOrNull(row.quantity);
  return {
    id: row.id,
    reference: row.reference,
    receiptId: row.receiptId,
    siteId: row.siteId,
    lotId: row.lotId,
    kind: row.kind as 'full' | 'partial',
    epcs: row.epcs,
    quantity: quantity === null || row.unit === null ? null : { value: quantity, unit: row.unit },
    status: row.status as Static<typeof ReleaseOrderView>['status'],
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil.toISOString(),
    note: row.note,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
