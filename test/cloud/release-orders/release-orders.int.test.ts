import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcsFor, expectStatus, facilityBody, field, list, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from '../risk/support/gateway-feed.ts';

// Goods leave a pledged lot only with the lender's consent; a partial release keeps the
// remainder pledged and valued, and the gateway is told which movement to expect.
describe('release orders', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let facilityId: string;
  let receiptId: string;
  const epcs = epcsFor(42, 10);
  const manifest = async () =>
    expectStatus(await w.app.inject({ method: 'GET', url: `/api/v1/gateways/${feed.gatewayId}/manifests`, headers: { authorization: `Bearer ${feed.token}` } }), 200);
  const facility = async () => expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
  const receipt = async () => expectStatus(await w.lender.get(`/api/v1/receipts/${receiptId}`), 200);

  beforeAll(async () => {
    w = await startCollateralWorld();
    // Copper at 8000 USD/t with a 10 % haircut.
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
    feed = await startGatewayFeed(w, 's-a1');
    receiptId = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-R', zone: 'Z2', epcs })), 201), 'id');
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId, facilityId }), 201);
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '100000', currency: 'USD' } }), 201);
  });
  afterAll(() => w.close());

  it('releases 3 of 10 items on approval: the remaining 70 t stay pledged and valued, the gateway expects the 3 to leave', async () => {
    const requested = expectStatus(await w.operator.post('/api/v1/release-orders', { receiptId, epcs: epcs.slice(0, 3).map((e) => e.toLowerCase()), note: 'sold to buyer X' }), 201);
    expect(requested).toMatchObject({ kind: 'partial', status: 'requested', quantity: { value: '30', unit: 't' }, epcs: epcs.slice(0, 3), lotId: 'LOT-R' });
    expect((await w.otherLender.get(`/api/v1/release-orders/${text(requested, 'id')}`)).statusCode).toBe(404);
    expect((await w.otherOperator.get(`/api/v1/release-orders/${text(requested, 'id')}`)).statusCode).toBe(404);
    expect((await w.otherLender.post(`/api/v1/release-orders/${text(requested, 'id')}/approve`, {})).statusCode).toBe(404);
    // Nothing moves before consent.
    expect(list(await manifest(), 'releaseOrders')).toEqual([]);
    expect(field(await receipt(), 'quantity')).toEqual({ value: '100', unit: 't' });

    const approved = expectStatus(await w.lender.post(`/api/v1/release-orders/${text(requested, 'id')}/approve`, { note: 'ok' }), 200);
    expect(approved).toMatchObject({ status: 'approved', decisionNote: 'ok' });
    expect(await receipt()).toMatchObject({
      status: 'pledged',
      quantity: { value: '70', unit: 't' },
      originalQuantity: { value: '100', unit: 't' },
      verifiedQuantity: { value: '70', unit: 't' },
      epcCount: 7,
      valuation: { lendingValue: '504000' },
    });
    // 70 t × 8000 × 0.9 = 504 000 lending value; × 0.70 = 352 800 borrowing base.
    expect(field(await facility(), 'figures')).toMatchObject({ lendingValue: { amount: '504000.00' }, borrowingBase: { amount: '352800.00' } });

    const m = await manifest();
    expect(field(m, 'lots')).toEqual([
      { lotId: 'LOT-R', receiptId, receiptNumber: expect.any(String), zone: 'Z2', commodity: 'copper', quantity: { value: '70', unit: 't' }, epcs: epcs.slice(3), status: 'pledged' },
    ]);
    expect(field(m, 'releaseOrders')).toEqual([
      expect.objectContaining({ id: requested.id, lotId: 'LOT-R', receiptId, epcs: epcs.slice(0, 3), quantity: { value: '30', unit: 't' }, status: 'approved' }),
    ]);
    expect((await w.lender.post(`/api/v1/release-orders/${text(requested, 'id')}/approve`, {})).statusCode).toBe(409);

    expectStatus(await w.operator.post(`/api/v1/release-orders/${text(requested, 'id')}/complete`), 200);
    expect(list(await manifest(), 'releaseOrders')).toEqual([]);
  });

  it('releases a quantity of untagged goods, and refuses ones that are no longer the receipt’s', async () => {
    const byQuantity = expectStatus(await w.lender.post('/api/v1/release-orders', { receiptId, quantity: { value: '20000', unit: 'kg' } }), 201);
    expect(byQuantity).toMatchObject({ kind: 'partial', quantity: { value: '20', unit: 't' }, epcs: [] });
    expectStatus(await w.risk.post(`/api/v1/release-orders/${text(byQuantity, 'id')}/approve`, {}), 200);
    expect(field(await receipt(), 'quantity')).toEqual({ value: '50', unit: 't' });
    expect(field(await facility(), 'figures.lendingValue.amount')).toBe('360000.00');

    const gone = await w.operator.post('/api/v1/release-orders', { receiptId, epcs: [epcs[0]] });
    expect(gone.statusCode).toBe(409);
    expect((await w.operator.post('/api/v1/release-orders', { receiptId })).statusCode).toBe(400);
    expect((await w.operator.post('/api/v1/release-orders', { receiptId, quantity: { value: '51', unit: 't' } })).statusCode).toBe(409);
  });

  it('refuses with 422 a release the rest would not cover, and lets the lender refuse it', async () => {
    // Lending value 360 000 × 0.7 = 252 000 borrowing base; draw it all but 2 000 (250 000 outstanding).
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '150000', currency: 'USD' } }), 201);
    const big = expectStatus(await w.operator.post('/api/v1/release-orders', { receiptId, epcs: epcs.slice(3, 5) }), 201);
    const refused = await w.lender.post(`/api/v1/release-orders/${text(big, 'id')}/approve`, {});
    expect(refused.statusCode).toBe(422);
    // Releasing 2 of 7 items leaves 50 × 5/7 t: lending value 257 142.857…, base 180 000, so 70 000 to repay first.
    expect(refused.json()).toMatchObject({ details: { code: 'insufficient_cover', outstanding: '250000.00', drawingPowerAfter: '180000.00', repaymentNeeded: '70000.00' } });
    expect(field(expectStatus(await w.lender.get(`/api/v1/release-orders/${text(big, 'id')}`), 200), 'status')).toBe('requested');
    expect(field(await receipt(), 'epcCount')).toBe(7);
    expect(expectStatus(await w.lender.post(`/api/v1/release-orders/${text(big, 'id')}/refuse`, { note: 'repay first' }), 200)).toMatchObject({ status: 'refused', decisionNote: 'repay first' });
  });

  it('releases everything once repaid: the receipt ends released, the lot leaves the manifest', async () => {
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '250000', currency: 'USD' } }), 201);
    const all = expectStatus(await w.operator.post('/api/v1/release-orders', { receiptId, all: true }), 201);
    expect(all).toMatchObject({ kind: 'full', quantity: { value: '50', unit: 't' }, epcs: epcs.slice(3) });
    expectStatus(await w.lender.post(`/api/v1/release-orders/${text(all, 'id')}/approve`, {}), 200);
    expect(await receipt()).toMatchObject({ status: 'released', epcCount: 0, pledge: null, valuation: null });
    expect(field(await facility(), 'figures.lendingValue.amount')).toBe('0.00');
    const m = await manifest();
    expect(field(m, 'lots')).toEqual([]);
    // The approved orders not yet confirmed by the warehouse: the 20 t and this one.
    expect(list(m, 'releaseOrders').map((o) => field(o, 'quantity'))).toEqual([{ value: '20', unit: 't' }, { value: '50', unit: 't' }]);
    const trail = await w.db.sql.query<{ action: string }>(`SELECT action FROM audit_entry WHERE entity_type = 'receipt' AND entity_id = $1 ORDER BY seq`, [receiptId]);
    expect(trail.map((t) => t.action)).toEqual(['receipt.issued', 'receipt.pledged', 'receipt.reduced', 'receipt.reduced', 'receipt.released']);
    const orders = await w.db.sql.query<{ action: string }>(`SELECT action FROM audit_entry WHERE entity_type = 'release_order' ORDER BY seq`);
    expect(orders.map((o) => o.action)).toEqual([
      'release_order.requested',
      'release_order.approved',
      'release_order.completed',
      'release_order.requested',
      'release_order.approved',
      'release_order.requested',
      'release_order.refused',
      'release_order.requested',
      'release_order.approved',
    ]);
  });
});
