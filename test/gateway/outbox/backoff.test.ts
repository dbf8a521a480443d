import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, fullJitterDelayMs, validateBackoff } from '../../../gateway/outbox/backoff.ts';

const options = { initialMs: 100, maxMs: 30_000 };

describe('backoff with full jitter', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 9, 10, 50, 5_000].map((attempt) => backoffCeilingMs(attempt, options))).toEqual([100, 200, 400, 800, 25_600, 30_000, 30_000, 30_000]);
    expect(backoffCeilingMs(3, { ...options, multiplier: 3 })).toBe(900);
  });

  it('draws the delay uniformly from zero to the ceiling', () => {
    expect(fullJitterDelayMs(4, options, () => 0)).toBe(0);
    expect(fullJitterDelayMs(4, options, () => 0.5)).toBe(400);
    expect(fullJitterDelayMs(4, options, () => 0.999_999_999)).toBe(800);
  });

  it('stays within [0, ceiling] for any attempt and draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const delay = fullJitterDelayMs(attempt, options, () => draw);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoffCeilingMs(attempt, options));
      }),
    );
  });

  it('refuses nonsensical options', () => {
    expect(() => validateBackoff({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => validateBackoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => validateBackoff({ initialMs: 10, maxMs: 50, multiplier: 0.5 })).toThrow(RangeError);
    expect(() => backoffCeilingMs(0, options)).toThrow(RangeError);
  });
});
