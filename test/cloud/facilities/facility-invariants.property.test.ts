import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CollateralLine } from '../../../cloud/facilities/availability.ts';
import { computeAvailability } from '../../../cloud/facilities/availability.ts';
import { checkDrawdown } from '../../../cloud/facilities/drawdown.ts';
import type { FacilityTerms } from '../../../cloud/facilities/facility.ts';
import { NO_FREEZE } from '../../../cloud/facilities/freeze.ts';
import { checkRepayment } from '../../../cloud/facilities/repayment.ts';
import { Dec, sumDec } from '../../../cloud/valuation/decimal.ts';

const cents = (n: number): string => new Dec(n).dividedBy(100).toFixed(2);
const scaled = (n: number, places: number): string => new Dec(n).dividedBy(new Dec(10).pow(places)).toFixed();

type Op =
  | { readonly kind: 'draw' | 'repay'; readonly cents: number }
  | { readonly kind: 'draw-all' | 'draw-one-cent-more' | 'repay-all' }
  | { readonly kind: 'reprice'; readonly percent: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('draw' as const, 'repay' as const), cents: fc.integer({ min: -100, max: 200_000_000 }) }),
  fc.record({ kind: fc.constantFrom('draw-all' as const, 'draw-one-cent-more' as const, 'repay-all' as const) }),
  // Prices move between operations: collateral can lose value after a drawing.
  fc.record({ kind: fc.constant('reprice' as const), percent: fc.integer({ min: 0, max: 200 }) }),
);

const collateralLine = fc.record({
  // Lending values carry sub-cent digits, as valuations do.
  lendingValue: fc.integer({ min: 0, max: 1_000_000_000_000 }).map((n) => scaled(n, 4)),
  advanceRate: fc.integer({ min: 0, max: 10_000 }).map((n) => scaled(n, 4)),
});

const terms = (limit: string): FacilityTerms => ({
  id: 'F-prop',
  currency: 'USD',
  limit,
  validFrom: new Date('2024-01-01T00:00:00Z'),
  validUntil: new Date('2025-01-01T00:00:00Z'),
});
const now = new Date('2024-06-01T00:00:00Z');

// Independent oracle: min(limit, Σ lendingValue × advanceRate rounded down to the cent).
function drawingPower(limit: string, collateral: readonly CollateralLine[]): Dec {
  const base = sumDec(collateral.map((c) => new Dec(c.lendingValue).times(c.advanceRate))).toDecimalPlaces(2, Dec.ROUND_DOWN);
  return Dec.min(new Dec(limit), base);
}

describe('facility invariants (property)', () => {
  it('no accepted sequence of drawings and repayments leaves outstanding above drawing power, or below zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000_000_000 }).map(cents),
        fc.array(collateralLine, { maxLength: 5 }),
        fc.array(op, { maxLength: 40 }),
        (limit, lines, ops) => {
          let collateral: CollateralLine[] = lines.map((l, i) => ({ receiptId: `R${i}`, ...l }));
          let outstanding = '0';
          for (const step of ops) {
            if (step.kind === 'reprice') {
              collateral = collateral.map((c) => ({ ...c, lendingValue: new Dec(c.lendingValue).times(step.percent).dividedBy(100).toFixed() }));
              continue;
            }
            const context = { terms: terms(limit), outstanding, collateral, freeze: NO_FREEZE, now };
            const available = computeAvailability({ currency: 'USD', limit, outstanding, collateral }).available;
            if (step.kind === 'draw' || step.kind === 'draw-all' || step.kind === 'draw-one-cent-more') {
              const amount =
                step.kind === 'draw' ? cents(step.cents)
                  : step.kind === 'draw-all' ? available
                    : new Dec(available).plus('0.01').toFixed(2);
              const decision = checkDrawdown(context, { amount: { amount, currency: 'USD' } });
              if (step.kind === 'draw-one-cent-more') expect(decision.ok).toBe(false);
              // Liveness: the whole available amount can always be drawn when there is any.
              if (step.kind === 'draw-all' && new Dec(available).greaterThan(0)) expect(decision.ok).toBe(true);
              if (!decision.ok) continue;
              outstanding = decision.outstandingAfter;
              expect(new Dec(outstanding).lessThanOrEqualTo(drawingPower(limit, collateral))).toBe(true);
              expect(new Dec(outstanding).lessThanOrEqualTo(limit)).toBe(true);
            } else {
              const amount = step.kind === 'repay' ? cents(step.cents) : outstanding;
              const decision = checkRepayment({ currency: 'USD', outstanding }, { amount: { amount, currency: 'USD' } });
              if (step.kind === 'repay' && new Dec(amount).greaterThan(outstanding)) expect(decision.ok).toBe(false);
              if (!decision.ok) continue;
              outstanding = decision.outstandingAfter;
            }
            expect(new Dec(outstanding).isNegative()).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
