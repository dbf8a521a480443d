import type { FreezeHold, FreezeState, FreezeTrigger } from './freeze.ts';

// FreezeState as stored in facility.freeze_state (JSONB): dates as ISO strings. A type
// alias, not an interface, so that it is assignable to Prisma's JSON input type.
type StoredHold = {
  id: string;
  key: string;
  trigger: FreezeTrigger;
  since: string;
  triggerActive: boolean;
  resolution: { caseId: string; resolvedBy: string; at: string; note?: string; approvedBy?: string } | null;
  pendingLift?: { caseId: string; requestedBy: string; at: string; note?: string } | null;
};

export function encodeFreeze(state: FreezeState): { holds: StoredHold[] } {
  return {
    holds: state.holds.map((h) => ({
      id: h.id,
      key: h.key,
      trigger: h.trigger,
      since: h.since.toISOString(),
      triggerActive: h.triggerActive,
      resolution:
        h.resolution === null
          ? null
          : {
              caseId: h.resolution.caseId,
              resolvedBy: h.resolution.resolvedBy,
              at: h.resolution.at.toISOString(),
              ...(h.resolution.note === undefined ? {} : { note: h.resolution.note }),
              ...(h.resolution.approvedBy === undefined ? {} : { approvedBy: h.resolution.approvedBy }),
            },
      ...(h.pendingLift ? { pendingLift: { caseId: h.pendingLift.caseId, requestedBy: h.pendingLift.requestedBy, at: h.pendingLift.at.toISOString(), ...(h.pendingLift.note === undefined ? {} : { note: h.pendingLift.note }) } } : {}),
    })),
  };
}

export function decodeFreeze(json: unknown): FreezeState {
  const holds = (json as { holds?: StoredHold[] } | null)?.holds ?? [];
  return {
    holds: holds.map(
      (h): FreezeHold => ({
        id: h.id,
        key: h.key,
        trigger: h.trigger,
        since: new Date(h.since),
        triggerActive: h.triggerActive,
        resolution:
          h.resolution === null
            ? null
            : {
                caseId: h.resolution.caseId,
                resolvedBy: h.resolution.resolvedBy,
                at: new Date(h.resolution.at),
                ...(h.resolution.note === undefined ? {} : { note: h.resolution.note }),
                ...(h.resolution.approvedBy === undefined ? {} : { approvedBy: h.resolution.approvedBy }),
              },
        ...(h.pendingLift ? { pendingLift: { caseId: h.pendingLift.caseId, requestedBy: h.pendingLift.requestedBy, at: new Date(h.pendingLift.at), ...(h.pendingLift.note === undefined ? {} : { note: h.pendingLift.note }) } } : {}),
      }),
    ),
  };
}
