import { isPastDue, type MarginCall } from './margin-call.ts';

export type FreezeTrigger =
  | { readonly kind: 'lot'; readonly lotId: string; readonly status: 'suspect' | 'breached' }
  | { readonly kind: 'margin-call-overdue'; readonly marginCallId: string };

// An explicit decision on an alert case (alerts workflow) that lifts a hold.
export interface CaseResolution {
  readonly caseId: string;
  readonly resolvedBy: string;
  readonly at: Date;
  readonly note?: string;
  /** The second person who approved lifting a critical hold (four eyes). */
  readonly approvedBy?: string;
}

/** A critical hold's lift asked for by one person, waiting for a second. */
export interface PendingLift {
  readonly caseId: string;
  readonly requestedBy: string;
  readonly at: Date;
  readonly note?: string;
}

export interface FreezeHold {
  // `${key}#${n}`: deterministic, so evaluation stays pure and replayable.
  readonly id: string;
  readonly key: string;
  readonly trigger: FreezeTrigger;
  readonly since: Date;
  // Whether the condition was present at the last evaluation.
  readonly triggerActive: boolean;
  readonly resolution: CaseResolution | null;
  readonly pendingLift?: PendingLift | null;
}

// Holds are kept after resolution as the facility's freeze history.
export interface FreezeState {
  readonly holds: readonly FreezeHold[];
}

export const NO_FREEZE: FreezeState = { holds: [] };

export interface FreezeFacts {
  // Verification state of each lot pledged to the facility, as reported by the gateways.
  readonly lots: readonly { readonly lotId: string; readonly status: string }[];
  readonly marginCalls: readonly MarginCall[];
  readonly now: Date;
}

function keyOf(trigger: FreezeTrigger): string {
  return trigger.kind === 'lot' ? `lot:${trigger.lotId}:${trigger.status}` : `margin-call:${trigger.marginCallId}`;
}

function triggersOf(facts: FreezeFacts): FreezeTrigger[] {
  const triggers: FreezeTrigger[] = [];
  for (const lot of facts.lots) {
    if (lot.status === 'suspect' || lot.status === 'breached') triggers.push({ kind: 'lot', lotId: lot.lotId, status: lot.status });
  }
  for (const call of facts.marginCalls) {
    if (isPastDue(call, facts.now)) triggers.push({ kind: 'margin-call-overdue', marginCallId: call.id });
  }
  return triggers;
}

// Drawings freeze as soon as a pledged lot is suspect or breached, or a margin call is
// past due. The freeze never lifts by itself when the condition clears (a lot reading
// "verified" again after a breach is exactly what a diversion looks like afterwards): only
// a case resolution lifts a hold (resolveHold). A condition that is still present when its
// hold is resolved does not re-freeze; it does if it clears and comes back, or escalates
// (suspect → breached is a new trigger).
export function evaluateFreeze(state: FreezeState, facts: FreezeFacts): FreezeState {
  const active = new Map(triggersOf(facts).map((t) => [keyOf(t), t] as const));
  const opened: FreezeHold[] = [];
  for (const [key, trigger] of active) {
    const sameKey = state.holds.filter((h) => h.key === key);
    // A hold still covers the condition while it is unresolved, or, once resolved, while
    // the condition has been present at every evaluation since (triggerActive as of the
    // previous evaluation).
    const covered = sameKey.some((h) => h.resolution === null || h.triggerActive);
    if (covered) continue;
    opened.push({ id: `${key}#${sameKey.length + 1}`, key, trigger, since: facts.now, triggerActive: true, resolution: null });
  }
  const updated = state.holds.map((h) => (h.triggerActive === active.has(h.key) ? h : { ...h, triggerActive: active.has(h.key) }));
  return { holds: [...updated, ...opened] };
}

export type ResolveHoldResult =
  | { readonly ok: true; readonly state: FreezeState }
  | { readonly ok: false; readonly error: { readonly code: 'unknown_hold' | 'already_resolved'; readonly holdId: string; readonly message: string } };

export function resolveHold(state: FreezeState, holdId: string, resolution: CaseResolution): ResolveHoldResult {
  const hold = state.holds.find((h) => h.id === holdId);
  if (hold === undefined) return { ok: false, error: { code: 'unknown_hold', holdId, message: `no freeze hold ${holdId}` } };
  if (hold.resolution !== null) {
    return { ok: false, error: { code: 'already_resolved', holdId, message: `hold ${holdId} was resolved by case ${hold.resolution.caseId}` } };
  }
  return { ok: true, state: { holds: state.holds.map((h) => (h.id === holdId ? { ...h, resolution } : h)) } };
}

export function activeHolds(state: FreezeState): FreezeHold[] {
  return state.holds.filter((h) => h.resolution === null);
}

export function isFrozen(state: FreezeState): boolean {
  return activeHolds(state).length > 0;
}

/** A breached lot is a critical finding: lifting its hold takes two people (four eyes). */
export function needsSecondApproval(hold: FreezeHold): boolean {
  return hold.trigger.kind === 'lot' && hold.trigger.status === 'breached';
}

/** Records the first person's request to lift a critical hold. */
export function requestLift(state: FreezeState, holdId: string, pending: PendingLift): FreezeState {
  return { holds: state.holds.map((h) => (h.id === holdId ? { ...h, pendingLift: pending } : h)) };
}
