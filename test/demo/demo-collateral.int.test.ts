import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCollateral } from '../../demo/demo-collateral.ts';
import { epcsFor, expectStatus, field, list, startCollateralWorld, type CollateralWorld } from '../cloud/risk/support/collateral-world.ts';

describe('demo collateral seed', () => {
  let w: CollateralWorld;
  beforeAll(async () => {
    w = await startCollateralWorld();
  });
  afterAll(() => w.close());

  it('pledges the demo lots under one facility drawn to half, linked to the borrower, and changes nothing when run again', async () => {
    const lots = [
      { lotId: 'L-COF', zone: 'Z1', commodity: 'coffee', quantity: '12000', unit: 'kg', epcs: epcsFor(1, 3) },
      { lotId: 'L-CU', zone: 'Z2', commodity: 'copper', quantity: '25000', unit: 'kg', epcs: epcsFor(2, 5) },
    ];
    const input = { site: 's-a1', operatorTenantId: 'wh-a', bankTenantId: 'bank-a', borrowerTenantId: 'borrower-a', lots, bus: w.bus };
    const first = await seedDemoCollateral(w.db, input);
    expect(first.receipts).toBe(2);
    const facility = expectStatus(await w.lender.get(`/api/v1/facilities/${first.facilityId}`), 200);
    expect(list(facility, 'collateral')).toHaveLength(2);
    const available = Number(field(facility, 'figures.available.amount'));
    const outstanding = Number(field(facility, 'figures.outstanding.amount'));
    expect(outstanding).toBeGreaterThan(0);
    expect(Math.abs(available - outstanding)).toBeLessThanOrEqual(0.01);
    const mine = expectStatus(await w.as('borrower-a', 'borrower').get('/api/v1/facilities'), 200);
    expect(list(mine, 'items').map((f) => field(f, 'id'))).toEqual([first.facilityId]);
    expect(list(expectStatus(await w.as('borrower-b', 'borrower').get('/api/v1/facilities'), 200), 'items')).toEqual([]);
    const again = await seedDemoCollateral(w.db, input);
    expect(again).toEqual({ receipts: 0, facilityId: first.facilityId });
    expect(field(expectStatus(await w.lender.get(`/api/v1/facilities/${first.facilityId}`), 200), 'figures.outstanding.amount')).toBe(field(facility, 'figures.outstanding.amount'));
  });
});
