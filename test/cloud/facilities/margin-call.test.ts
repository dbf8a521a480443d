import { describe, expect, it } from 'vitest';
import {
  applyMarginCallEvent,
  isLiquidationEligible,
  openMarginCall,
  type MarginCall,
  type MarginCallEvent,
} from '../../../cloud/facilities/margin-call.ts';

const openedAt = new Date('2024-06-03T10:00:00Z');
const hours = (h: number) => new Date(openedAt.getTime() + h * 3_600_000);

function opened(): MarginCall {
  // LTV 860 000 / 1 000 000 = 0.86 ≥ 0.85: margin call, due 48 h later.
  const result = openMarginCall({ id: 'MC-1', facilityId: 'F-1', at: openedAt, outstanding: '860000', lendingValue: '1000000', currency: 'USD' });
  if (!result.ok) throw new Error(result.error.message);
  return result.call;
}

function apply(call: MarginCall, ...events: MarginCallEvent[]): MarginCall {
  return events.reduce((c, e) => {
    const r = applyMarginCallEvent(c, e);
    if (!r.ok) throw new Error(r.error.message);
    return r.call;
  }, call);
}

describe('margin call state machine', () => {
  it('opens only at the margin-call level, with a due time', () => {
    const call = opened();
    expect(call).toMatchObject({ status: 'open', ltvAtOpen: '0.86', cureBelow: '0.80', dueAt: hours(48) });
    expect(openMarginCall({ id: 'x', facilityId: 'F-1', at: openedAt, outstanding: '849999.99', lendingValue: '1000000', currency: 'USD' })).toMatchObject({
      ok: false,
      error: { code: 'not_at_margin_call_level' },
    });
  });

  it('is cured by a repayment that brings LTV below the warning level before the due time', () => {
    const call = apply(
      opened(),
      { type: 'ltv-changed', at: hours(1), ltv: '0.82', cause: 'market' }, // better, not cured
      { type: 'ltv-changed', at: hours(20), ltv: '0.7999', cause: 'repayment' },
    );
    expect(call).toMatchObject({ status: 'cured', curedBy: 'repayment', curedAt: hours(20), latestLtv: '0.7999' });
    expect(isLiquidationEligible(call, hours(100))).toBe(false);
  });

  it('is cured by additional collateral', () => {
    expect(apply(opened(), { type: 'ltv-changed', at: hours(47), ltv: '0.6', cause: 'collateral' })).toMatchObject({ status: 'cured', curedBy: 'collateral' });
  });

  it('does not count an LTV exactly at the warning level as cured', () => {
    expect(apply(opened(), { type: 'ltv-changed', at: hours(2), ltv: '0.8', cause: 'repayment' }).status).toBe('open');
  });

  it('expires at the due time, then becomes liquidation eligible', () => {
    const call = opened();
    expect(isLiquidationEligible(call, hours(47))).toBe(false);
    // Past due even before the clock event is applied.
    expect(isLiquidationEligible(call, hours(48))).toBe(true);
    const expired = apply(call, { type: 'clock', now: hours(49) });
    expect(expired).toMatchObject({ status: 'expired', expiredAt: hours(48) });
    // A cure arriving after the due time does not revive it.
    expect(apply(call, { type: 'ltv-changed', at: hours(50), ltv: '0.5', cause: 'repayment' })).toMatchObject({ status: 'expired', latestLtv: '0.5' });
    expect(apply(expired, { type: 'liquidated', at: hours(60) })).toMatchObject({ status: 'liquidated', liquidatedAt: hours(60) });
  });

  it('refuses liquidation during the cure period or after a cure', () => {
    expect(applyMarginCallEvent(opened(), { type: 'liquidated', at: hours(10) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition', from: 'open', event: 'liquidated' },
    });
    const cured = apply(opened(), { type: 'ltv-changed', at: hours(1), ltv: '0.5', cause: 'repayment' });
    expect(applyMarginCallEvent(cured, { type: 'liquidated', at: hours(60) })).toMatchObject({ ok: false, error: { from: 'cured' } });
    // Later LTV changes leave a cured call as it is.
    expect(apply(cured, { type: 'ltv-changed', at: hours(60), ltv: '0.95', cause: 'market' })).toEqual(cured);
  });
});
