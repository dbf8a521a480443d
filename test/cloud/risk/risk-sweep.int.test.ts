import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from './support/collateral-world.ts';

describe('POST /api/v1/risk/sweep is scoped to the caller’s bank', () => {
  let w: CollateralWorld;
  const clock = createTestClock();
  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
  });
  afterAll(() => w.close());

  /** A receipt of wh-a pledged by `lender`, valid until `until`. */
  const pledgeExpiring = async (lender: CollateralWorld['lender'], until: Date): Promise<string> => {
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ validUntil: until.toISOString() })), 201);
    const facilityId = text(expectStatus(await lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    return text(receipt, 'id');
  };

  it("calls only the caller's bank's expired receipts; administrators sweep every bank", async () => {
    const until = new Date(clock.now().getTime() + 3_600_000);
    const ofA = await pledgeExpiring(w.lender, until);
    const ofB = await pledgeExpiring(w.otherLender, until);
    const ofAToo = await pledgeExpiring(w.lender, until);
    // Nothing is due yet; then the validity runs out.
    expect(expectStatus(await w.admin.post('/api/v1/risk/sweep'), 200)).toMatchObject({ receiptsCalled: 0 });
    clock.advance(3_600_001);

    expect(expectStatus(await w.as('bank-b', 'risk_officer').post('/api/v1/risk/sweep'), 200)).toMatchObject({ receiptsCalled: 1 });
    expect(expectStatus(await w.otherLender.get(`/api/v1/receipts/${ofB}`), 200)).toMatchObject({ status: 'called', calledReason: 'expiry' });
    // Bank A's receipts are not bank B's to call: still pledged after B's sweep.
    expect(expectStatus(await w.lender.get(`/api/v1/receipts/${ofA}`), 200)).toMatchObject({ status: 'pledged' });

    expect(expectStatus(await w.admin.post('/api/v1/risk/sweep'), 200)).toMatchObject({ receiptsCalled: 2 });
    for (const id of [ofA, ofAToo]) expect(expectStatus(await w.lender.get(`/api/v1/receipts/${id}`), 200)).toMatchObject({ status: 'called' });
  });
});
