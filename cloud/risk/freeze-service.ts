import type { PrismaClient } from '../db/generated/client.ts';
import type { CloudDomainEvents, DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { freezeOf } from '../facilities/facility-row.ts';
import { needsSecondApproval, requestLift, resolveHold, type FreezeState } from '../facilities/freeze.ts';
import { encodeFreeze } from '../facilities/freeze-codec.ts';
import { LIFTING_FINDINGS } from '../facilities/hold-lift.ts';
import { evaluateFacilityFreeze, storeFreeze } from './facility-freeze.ts';
import { lockFacility } from './facility-refresh.ts';
import { recordLotState } from './lot-states.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';

export interface FreezeServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

const ACTOR = 'system:collateral-freeze';

/**
 * Drawings freeze when a pledged lot turns suspect or breached (lot.state_changed) and
 * thaw only when the lot's case is resolved (case.resolved) or a risk officer resolves
 * the hold (facilities-plugin.ts); freeze.ts holds the rules.
 */
export function createFreezeService(deps: FreezeServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function facilitiesOnLot(site: string, lotId: string): Promise<string[]> {
    const rows = await deps.prisma.$queryRaw<{ facility_id: string }[]>`
      SELECT DISTINCT l.facility_id::text FROM collateral_line l JOIN receipt r ON r.id = l.receipt_id
      WHERE r.site_id = ${site} AND r.lot_id = ${lotId} ORDER BY 1`;
    return rows.map((r) => r.facility_id);
  }

  async function onLotStateChanged(payload: CloudDomainEvents['lot.state_changed']): Promise<void> {
    const at = now();
    // Stored again here so the evaluation sees the state whoever announced it.
    await inUnitOfWork(deps, (tx) =>
      recordLotState(tx, { site: payload.site, lotId: payload.lotId, state: payload.state, eventId: payload.eventId, at: new Date(payload.at) }),
    );
    for (const facilityId of await facilitiesOnLot(payload.site, payload.lotId)) {
      await inUnitOfWork(deps, async (tx, events) => {
        const facility = await lockFacility(tx, facilityId);
        if (facility !== null) await evaluateFacilityFreeze(tx, facility, { now: at, actor: ACTOR, events });
      });
    }
  }

  async function onCaseResolved(payload: CloudDomainEvents['case.resolved']): Promise<void> {
    const { lotId } = payload;
    // A confirmed loss keeps the hold: the goods behind the lending are gone.
    if (lotId === null || !LIFTING_FINDINGS.includes(payload.finding)) return;
    // Whoever resolved the case is the first pair of eyes on a critical hold, never the second.
    const resolver = (await deps.prisma.alertCase.findUnique({ where: { id: payload.caseId }, select: { resolvedBy: true } }).catch(() => null))?.resolvedBy ?? `case:${payload.caseId}`;
    const tenant = await deps.prisma.tenant.findUnique({ where: { id: payload.tenantId } });
    // A bank's case lifts that bank's holds; a platform case (operations) anyone's.
    const candidates = await deps.prisma.facility.findMany({
      where: { frozen: true, ...(tenant?.kind === 'platform' ? {} : { bankTenantId: payload.tenantId }) },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const at = now();
    for (const { id } of candidates) {
      await inUnitOfWork(deps, async (tx, events) => {
        const facility = await lockFacility(tx, id);
        if (facility === null) return;
        const before = freezeOf(facility);
        let after: FreezeState = before;
        const pending: string[] = [];
        for (const hold of before.holds) {
          if (hold.resolution !== null || hold.trigger.kind !== 'lot' || hold.trigger.lotId !== lotId) continue;
          if (needsSecondApproval(hold)) {
            after = requestLift(after, hold.id, { caseId: payload.caseId, requestedBy: resolver, at, note: payload.finding });
            pending.push(hold.id);
            continue;
          }
          const resolved = resolveHold(after, hold.id, { caseId: payload.caseId, resolvedBy: `case:${payload.caseId}`, at, note: payload.finding });
          if (resolved.ok) after = resolved.state;
        }
        await storeFreeze(tx, facility, before, after, { now: at, actor: `case:${payload.caseId}`, events }, 'facility.hold_resolved');
        if (pending.length > 0) {
          // storeFreeze stored the request with the rest; it audits only holds opening or lifting.
          events.audit({ actor: `case:${payload.caseId}`, action: 'facility.hold_lift_requested', entityType: 'facility', entityId: id, tenantId: facility.bankTenantId, before: encodeFreeze(before), after: encodeFreeze(after), at });
        }
      });
    }
  }

  return { onLotStateChanged, onCaseResolved };
}

export type FreezeService = ReturnType<typeof createFreezeService>;
