import { randomUUID } from 'node:crypto';
import type { LtvAssessment, LtvThresholds } from '../facilities/ltv.ts';
import { applyMarginCallEvent, openMarginCall, type MarginCall, type MarginCallCause, type MarginCallEvent } from '../facilities/margin-call.ts';
import { marginCallColumns, toMarginCall } from './margin-call-row.ts';
import type { Tx, UnitOfWork } from '../db/unit-of-work.ts';

// What margin-call bookkeeping needs of a facility.
export interface FacilityRisk {
  readonly id: string;
  readonly bankTenantId: string;
  readonly currency: string;
  readonly outstanding: string;
  readonly thresholds: LtvThresholds;
  readonly curePeriodSeconds: number;
}

export interface MarginCallContext {
  readonly now: Date;
  readonly cause: MarginCallCause;
  readonly actor: string;
  readonly events: UnitOfWork;
}

export interface MarginCallOutcome {
  readonly opened: number;
  readonly cured: number;
  readonly expired: number;
}

const changed = (a: MarginCall, b: MarginCall): boolean => a.status !== b.status || a.latestLtv !== b.latestLtv;

/**
 * Opens, updates and cures margin calls for facilities whose LTV was just recomputed.
 * A facility at or above its margin-call threshold with no call pending gets one, due
 * after its cure period; a pending call is cured once the LTV is below the warning
 * threshold (margin-call.ts). One query loads every pending call, so a price tick over
 * thousands of facilities costs a handful of statements.
 */
export async function reconcileMarginCalls(
  tx: Tx,
  items: readonly { readonly facility: FacilityRisk; readonly ltv: LtvAssessment }[],
  context: MarginCallContext,
): Promise<MarginCallOutcome> {
  if (items.length === 0) return { opened: 0, cured: 0, expired: 0 };
  const ids = items.map((i) => i.facility.id);
  const pendingRows = await tx.marginCall.findMany({ where: { facilityId: { in: ids }, status: { in: ['open', 'expired'] } } });
  const pending = new Map(pendingRows.map((row) => [row.facilityId, toMarginCall(row)] as const));
  let opened = 0;
  let cured = 0;
  let expired = 0;
  for (const { facility, ltv } of items) {
    const call = pending.get(facility.id);
    if (call !== undefined) {
      const event: MarginCallEvent = { type: 'ltv-changed', at: context.now, ltv: ltv.ltv, cause: context.cause };
      const result = applyMarginCallEvent(call, event);
      if (!result.ok || !changed(call, result.call)) continue;
      await tx.marginCall.update({ where: { id: call.id }, data: marginCallColumns(result.call) });
      if (result.call.status !== call.status) {
        if (result.call.status === 'cured') cured += 1;
        if (result.call.status === 'expired') expired += 1;
        recordTransition(facility, call, result.call, context);
      }
      continue;
    }
    if (ltv.level !== 'margin-call' && ltv.level !== 'liquidation') continue;
    const result = openMarginCall({
      id: randomUUID(),
      facilityId: facility.id,
      at: context.now,
      outstanding: ltv.outstanding,
      lendingValue: ltv.lendingValue,
      currency: facility.currency,
      thresholds: facility.thresholds,
      curePeriodMs: facility.curePeriodSeconds * 1000,
    });
    if (!result.ok) continue;
    const created = result.call;
    await tx.marginCall.create({
      data: {
        id: created.id,
        facilityId: facility.id,
        bankTenantId: facility.bankTenantId,
        status: 'open',
        openedAt: created.openedAt,
        dueAt: created.dueAt,
        ltvAtOpen: created.ltvAtOpen,
        cureBelow: created.cureBelow,
        latestLtv: created.latestLtv,
      },
    });
    opened += 1;
    recordTransition(facility, null, created, context);
  }
  return { opened, cured, expired };
}

/** Applies a clock or liquidation event to one stored call (sweeps, liquidations). */
export async function applyToStoredCall(
  tx: Tx,
  facility: FacilityRisk,
  event: MarginCallEvent,
  context: Omit<MarginCallContext, 'cause'>,
): Promise<MarginCall | undefined> {
  const row = await tx.marginCall.findFirst({ where: { facilityId: facility.id, status: { in: ['open', 'expired'] } } });
  if (row === null) return undefined;
  const call = toMarginCall(row);
  const result = applyMarginCallEvent(call, event);
  if (!result.ok || !changed(call, result.call)) return call;
  await tx.marginCall.update({ where: { id: call.id }, data: marginCallColumns(result.call) });
  if (result.call.status !== call.status) recordTransition(facility, call, result.call, { ...context, cause: 'market' });
  return result.call;
}

function recordTransition(facility: FacilityRisk, before: MarginCall | null, after: MarginCall, context: MarginCallContext): void {
  const action = before === null ? 'margin_call.opened' : `margin_call.${after.status}`;
  context.events.audit({
    actor: context.actor,
    action,
    entityType: 'margin_call',
    entityId: after.id,
    tenantId: facility.bankTenantId,
    before,
    after,
    at: context.now,
  });
  context.events.collateralChanged({
    tenantId: facility.bankTenantId,
    facilityId: facility.id,
    receiptId: null,
    reason: action,
    detail: { marginCallId: after.id, status: after.status, dueAt: after.dueAt.toISOString(), ltv: after.latestLtv, cureBelow: after.cureBelow },
  });
}
