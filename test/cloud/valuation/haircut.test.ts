import { describe, expect, it } from 'vitest';
import { computeHaircut } from '../../../cloud/valuation/haircut.ts';

describe('volatility haircut', () => {
  it('scales daily σ to the liquidation horizon at 99%', () => {
    // z·σ·√T = 2.33 × 0.02 × √10 = 0.0466 × 3.16227766016837933… = 0.14736213896384647…
    const h = computeHaircut('0.02', { floor: '0.10', z: '2.33', liquidationDays: 10 });
    expect(h.riskHaircut?.startsWith('0.1473621389638464')).toBe(true);
    expect(h.haircut).toBe(h.riskHaircut);
    expect(h.binding).toBe('risk');
    expect(h.sqrtLiquidationDays.startsWith('3.16227766016837933')).toBe(true);
  });

  it('never goes below the floor', () => {
    // Same risk haircut 0.1474 < floor 0.20 → 0.20
    const h = computeHaircut('0.02', { floor: '0.20', z: '2.33', liquidationDays: 10 });
    expect(h.haircut).toBe('0.2');
    expect(h.binding).toBe('floor');
  });

  it('is capped, by default at 0.95', () => {
    // 2.33 × 0.15 × √25 = 2.33 × 0.15 × 5 = 1.7475 > 0.95
    const h = computeHaircut('0.15', { floor: '0.10', z: '2.33', liquidationDays: 25 });
    expect(h.riskHaircut).toBe('1.7475');
    expect(h.haircut).toBe('0.95');
    expect(h.binding).toBe('cap');
    expect(computeHaircut('0.15', { floor: '0.10', z: '2.33', liquidationDays: 25 }, '0.9').haircut).toBe('0.9');
  });

  it('takes the cap when there is no volatility estimate yet', () => {
    const h = computeHaircut(undefined, { floor: '0.10', z: '2.33', liquidationDays: 10 });
    expect(h).toMatchObject({ haircut: '0.95', binding: 'no-volatility', riskHaircut: null, sigmaDaily: null });
  });

  it('rejects parameters that make no sense', () => {
    expect(() => computeHaircut('0.02', { floor: '0.97', z: '2.33', liquidationDays: 10 })).toThrow(RangeError);
    expect(() => computeHaircut('0.02', { floor: '0.1', z: '0', liquidationDays: 10 })).toThrow(RangeError);
    expect(() => computeHaircut('0.02', { floor: '0.1', z: '2.33', liquidationDays: 0 })).toThrow(RangeError);
    expect(() => computeHaircut('-0.02', { floor: '0.1', z: '2.33', liquidationDays: 10 })).toThrow(RangeError);
  });
});
