import type { Facility } from '../db/generated/client.ts';
import { encodeFreeze } from '../facilities/freeze-codec.ts';
import { activeHolds, evaluateFreeze, isFrozen, type FreezeState } from '../facilities/freeze.ts';
import { freezeOf } from '../facilities/facility-row.ts';
import { toMarginCall } from './margin-call-row.ts';
import type { Tx, UnitOfWork } from '../db/unit-of-work.ts';

interface LotRow {
  lot_id: string;
  state: string | null;
}

export interface FreezeContext {
  readonly now: Date;
  readonly actor: string;
  readonly events: UnitOfWork;
}

/**
 * Re-evaluates a facility's freeze against the verification state of its pledged lots
 * and its margin calls (freeze.ts decides; this loads the facts and stores the result).
 * New holds are audited and announced; holds are only ever lifted by resolveHold.
 */
export async function evaluateFacilityFreeze(tx: Tx, facility: Facility, context: FreezeContext): Promise<FreezeState> {
  const lots = await tx.$queryRaw<LotRow[]>`
    SELECT r.lot_id, s.state
    FROM collateral_line l
    JOIN receipt r ON r.id = l.receipt_id
    LEFT JOIN collateral_lot_state s ON s.site_id = r.site_id AND s.lot_id = r.lot_id
    WHERE l.facility_id = ${facility.id}::uuid`;
  const calls = await tx.marginCall.findMany({ where: { facilityId: facility.id, status: { in: ['open', 'expired'] } } });
  const before = freezeOf(facility);
  const after = evaluateFreeze(before, {
    lots: lots.flatMap((l) => (l.state === null ? [] : [{ lotId: l.lot_id, status: l.state }])),
    marginCalls: calls.map(toMarginCall),
    now: context.now,
  });
  await storeFreeze(tx, facility, before, after, context, 'facility.frozen');
  return after;
}

export async function storeFreeze(
  tx: Tx,
  facility: Facility,
  before: FreezeState,
  after: FreezeState,
  context: FreezeContext,
  action: string,
): Promise<void> {
  const encoded = encodeFreeze(after);
  if (JSON.stringify(encoded) === JSON.stringify(encodeFreeze(before))) return;
  await tx.facility.update({ where: { id: facility.id }, data: { freezeState: encoded, frozen: isFrozen(after), updatedAt: context.now } });
  const known = new Set(activeHolds(before).map((h) => h.id));
  const opened = activeHolds(after).filter((h) => !known.has(h.id));
  const lifted = activeHolds(before).filter((h) => !activeHolds(after).some((a) => a.id === h.id));
  // Only a hold opening or lifting is news; a trigger clearing under an open hold is bookkeeping.
  if (opened.length === 0 && lifted.length === 0) return;
  context.events.audit({
    actor: context.actor,
    action: opened.length > 0 ? action : 'facility.hold_resolved',
    entityType: 'facility',
    entityId: facility.id,
    tenantId: facility.bankTenantId,
    before: encodeFreeze(before),
    after: encoded,
    at: context.now,
  });
  context.events.collateralChanged({
    tenantId: facility.bankTenantId,
    facilityId: facility.id,
    receiptId: null,
    reason: opened.length > 0 ? 'facility.frozen' : isFrozen(after) ? 'facility.hold_resolved' : 'facility.unfrozen',
    detail: {
      frozen: isFrozen(after),
      opened: opened.map((h) => ({ id: h.id, trigger: h.trigger })),
      lifted: lifted.map((h) => ({ id: h.id, trigger: h.trigger, caseId: after.holds.find((a) => a.id === h.id)?.resolution?.caseId ?? null })),
    },
  });
}
