import { describe, expect, it } from 'vitest';
import { activeHolds, evaluateFreeze, isFrozen, NO_FREEZE, resolveHold, type FreezeState } from '../../../cloud/facilities/freeze.ts';
import { openMarginCall, type MarginCall } from '../../../cloud/facilities/margin-call.ts';

const t = (h: number) => new Date(Date.UTC(2024, 5, 3, h));
const resolution = (caseId: string, h: number) => ({ caseId, resolvedBy: 'officer@bank', at: t(h) });

function resolved(state: FreezeState, holdId: string, caseId: string, h: number): FreezeState {
  const r = resolveHold(state, holdId, resolution(caseId, h));
  if (!r.ok) throw new Error(r.error.message);
  return r.state;
}

describe('drawing freeze', () => {
  it('freezes on a suspect lot and stays frozen after the lot reads verified again, until a case resolves it', () => {
    let state = evaluateFreeze(NO_FREEZE, { lots: [{ lotId: 'L1', status: 'suspect' }, { lotId: 'L2', status: 'verified' }], marginCalls: [], now: t(1) });
    expect(isFrozen(state)).toBe(true);
    expect(activeHolds(state).map((h) => h.id)).toEqual(['lot:L1:suspect#1']);

    state = evaluateFreeze(state, { lots: [{ lotId: 'L1', status: 'verified' }], marginCalls: [], now: t(2) });
    expect(isFrozen(state)).toBe(true);

    state = resolved(state, 'lot:L1:suspect#1', 'CASE-7', 3);
    expect(isFrozen(state)).toBe(false);
    expect(state.holds[0]?.resolution?.caseId).toBe('CASE-7');

    // The condition comes back: a new hold.
    state = evaluateFreeze(state, { lots: [{ lotId: 'L1', status: 'suspect' }], marginCalls: [], now: t(4) });
    expect(activeHolds(state).map((h) => h.id)).toEqual(['lot:L1:suspect#2']);
  });

  it('does not re-freeze for a condition that persisted through its resolution, but does on escalation', () => {
    let state = evaluateFreeze(NO_FREEZE, { lots: [{ lotId: 'L1', status: 'suspect' }], marginCalls: [], now: t(1) });
    state = resolved(state, 'lot:L1:suspect#1', 'CASE-8', 2);
    state = evaluateFreeze(state, { lots: [{ lotId: 'L1', status: 'suspect' }], marginCalls: [], now: t(3) });
    expect(isFrozen(state)).toBe(false);
    state = evaluateFreeze(state, { lots: [{ lotId: 'L1', status: 'breached' }], marginCalls: [], now: t(4) });
    expect(activeHolds(state).map((h) => h.id)).toEqual(['lot:L1:breached#1']);
  });

  it('freezes on a margin call past its due time', () => {
    const opened = openMarginCall({ id: 'MC-1', facilityId: 'F-1', at: t(0), outstanding: '90', lendingValue: '100', currency: 'USD', curePeriodMs: 3_600_000 });
    if (!opened.ok) throw new Error('not opened');
    const calls: MarginCall[] = [opened.call];
    expect(isFrozen(evaluateFreeze(NO_FREEZE, { lots: [], marginCalls: calls, now: t(0) }))).toBe(false);
    const state = evaluateFreeze(NO_FREEZE, { lots: [], marginCalls: calls, now: t(1) });
    expect(activeHolds(state).map((h) => h.trigger)).toEqual([{ kind: 'margin-call-overdue', marginCallId: 'MC-1' }]);
  });

  it('refuses to resolve an unknown or already resolved hold', () => {
    const state = evaluateFreeze(NO_FREEZE, { lots: [{ lotId: 'L1', status: 'breached' }], marginCalls: [], now: t(1) });
    expect(resolveHold(state, 'nope', resolution('C', 2))).toMatchObject({ ok: false, error: { code: 'unknown_hold' } });
    const once = resolved(state, 'lot:L1:breached#1', 'C', 2);
    expect(resolveHold(once, 'lot:L1:breached#1', resolution('C2', 3))).toMatchObject({ ok: false, error: { code: 'already_resolved' } });
  });
});
