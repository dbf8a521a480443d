import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import { expectStatus, facilityBody, field, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

type Op =
  | { readonly kind: 'draw' | 'repay'; readonly cents: number }
  | { readonly kind: 'draw-all' | 'draw-one-cent-more' | 'repay-all' }
  | { readonly kind: 'reprice'; readonly price: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('draw' as const, 'repay' as const), cents: fc.integer({ min: 1, max: 6_000_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('draw-all' as const, 'draw-one-cent-more' as const, 'repay-all' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reprice' as const), price: fc.constantFrom('6000', '7000', '8000', '9000') }) },
);

const usd = (amount: string) => ({ amount, currency: 'USD' });

// Issue 7: "no sequence of drawdowns and repayments ever leaves outstanding above
// available", through the HTTP API and the database, with prices moving in between.
describe('facility ledger (property, through the API)', () => {
  let w: CollateralWorld;
  beforeAll(async () => {
    w = await startCollateralWorld();
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
  });
  afterAll(() => w.close());

  async function newFacility(): Promise<string> {
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ quantity: { value: '10', unit: 't' } })), 201);
    const id = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ limit: usd('60000') })), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: id }), 201);
    return id;
  }

  it('never accepts a drawing beyond availability, never overpays, and keeps outstanding equal to the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        const id = await newFacility();
        let outstanding = new Dec(0);
        for (const step of ops) {
          const before = expectStatus(await w.lender.get(`/api/v1/facilities/${id}`), 200);
          const available = new Dec(text(before, 'figures.available.amount'));
          if (step.kind === 'reprice') {
            expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: usd(step.price) }), 201);
            continue;
          }
          const isDraw = step.kind === 'draw' || step.kind === 'draw-all' || step.kind === 'draw-one-cent-more';
          const amount =
            step.kind === 'draw' || step.kind === 'repay' ? new Dec(step.cents).dividedBy(100)
              : step.kind === 'draw-all' ? available
                : step.kind === 'draw-one-cent-more' ? available.plus('0.01')
                  : outstanding;
          if (!amount.greaterThan(0)) continue;
          const res = await w.lender.post(`/api/v1/facilities/${id}/${isDraw ? 'drawdowns' : 'repayments'}`, { amount: usd(amount.toFixed(2)) });
          const allowed = isDraw ? amount.lessThanOrEqualTo(available) : amount.lessThanOrEqualTo(outstanding);
          expect(res.statusCode, `${step.kind} ${amount.toFixed(2)} with ${available.toFixed(2)} available, ${outstanding.toFixed(2)} outstanding: ${res.body}`).toBe(allowed ? 201 : 422);
          if (!allowed) {
            expect(field(res.json(), 'details.code')).toBe(isDraw ? 'exceeds_available' : 'overpayment');
            continue;
          }
          outstanding = isDraw ? outstanding.plus(amount) : outstanding.minus(amount);
          const after = field(res.json(), 'facility.figures');
          expect(field(after, 'outstanding.amount')).toBe(outstanding.toFixed(2));
          if (isDraw) expect(outstanding.lessThanOrEqualTo(text(after, 'drawingPower.amount'))).toBe(true);
          expect(new Dec(text(after, 'available.amount')).isNegative()).toBe(false);
        }
        const [row] = await w.db.sql.query<{ outstanding: string; ledger: string }>(
          `SELECT f.outstanding::text AS outstanding,
                  COALESCE(sum(CASE l.kind WHEN 'drawdown' THEN l.amount ELSE -l.amount END), 0)::text AS ledger
           FROM facility f LEFT JOIN facility_ledger l ON l.facility_id = f.id WHERE f.id = $1 GROUP BY f.id`,
          [id],
        );
        expect(new Dec(row?.outstanding ?? '-1').equals(outstanding)).toBe(true);
        expect(new Dec(row?.ledger ?? '-1').equals(outstanding)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('serialises concurrent drawings: of 20 requests for a tenth of what is available, exactly 10 succeed', async () => {
    expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: usd('8000') }), 201);
    const id = await newFacility();
    // 10 t × 8000 × 0.9 × 0.7 = 50 400 available.
    const before = expectStatus(await w.lender.get(`/api/v1/facilities/${id}`), 200);
    expect(field(before, 'figures.available.amount')).toBe('50400.00');
    const results = await Promise.all(Array.from({ length: 20 }, () => w.lender.post(`/api/v1/facilities/${id}/drawdowns`, { amount: usd('5040.00') })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(10);
    const after = expectStatus(await w.lender.get(`/api/v1/facilities/${id}`), 200);
    expect(field(after, 'figures')).toMatchObject({ outstanding: usd('50400.00'), available: usd('0.00') });
  });
});
