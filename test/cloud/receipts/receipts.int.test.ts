import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../support/test-clock.ts';
import { epcsFor, expectStatus, facilityBody, field, list, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

describe('electronic warehouse receipts', () => {
  let w: CollateralWorld;
  const clock = createTestClock();
  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
  });
  afterAll(() => w.close());

  const issue = async (overrides: Record<string, unknown> = {}) => expectStatus(await w.operator.post('/api/v1/receipts', receiptBody(overrides)), 201);

  it('issues a receipt for a lot at one of the operator’s sites, with its EPC manifest', async () => {
    const receipt = await issue({ number: 'WR-0001', zone: 'B-12', grade: 'LME A', commodity: 'Copper', quantity: { value: '25.500', unit: 'tonnes' }, epcs: epcsFor(5, 4).map((e) => e.toLowerCase()) });
    expect(receipt).toMatchObject({
      number: 'WR-0001',
      status: 'issued',
      issuerTenantId: 'wh-a',
      holderTenantId: null,
      commodity: 'copper',
      quantity: { value: '25.5', unit: 't' },
      verifiedQuantity: { value: '25.5', unit: 't' },
      epcCount: 4,
      pledge: null,
      valuation: null,
    });
    const items = expectStatus(await w.operator.get(`/api/v1/receipts/${text(receipt, 'id')}/epcs`), 200);
    expect(list(items, 'items').map((i) => field(i, 'epc'))).toEqual(epcsFor(5, 4));
    expect((await w.operator.post('/api/v1/receipts', receiptBody({ number: 'WR-0001' }))).statusCode).toBe(409);
    expect(text(await issue(), 'number')).toMatch(/^EWR-\d{4}-\d{6}$/);
  });

  it('refuses bad input with 400 and other operators’ sites with 404', async () => {
    const bad: Record<string, unknown>[] = [
      { quantity: { value: '0', unit: 't' } },
      { quantity: { value: '10', unit: 'furlong' } },
      { quantity: { value: 10, unit: 't' } },
      { epcs: ['ABC'] },
      { epcs: ['3074257BF7194E4000001A85', '3074257bf7194e4000001a85'] },
      { validUntil: new Date(Date.now() - 1000).toISOString() },
      { shrinkageRate: '1.5' },
      { lotId: 'has space' },
    ];
    for (const overrides of bad) expect((await w.operator.post('/api/v1/receipts', receiptBody(overrides))).statusCode, JSON.stringify(overrides)).toBe(400);
    const foreign = await w.operator.post('/api/v1/receipts', receiptBody({ siteId: 's-b1' }));
    expect(foreign.statusCode).toBe(404);
    expect((await w.lender.post('/api/v1/receipts', receiptBody())).statusCode).toBe(403);
  });

  it('cancels an issued receipt and frees its lot and items; a pledged one cannot be cancelled', async () => {
    const receipt = await issue({ lotId: 'LOT-C', epcs: epcsFor(6, 2) });
    expect((await w.otherOperator.post(`/api/v1/receipts/${text(receipt, 'id')}/cancel`, {})).statusCode).toBe(404);
    expect(expectStatus(await w.operator.post(`/api/v1/receipts/${text(receipt, 'id')}/cancel`, { reason: 'typo' }), 200)).toMatchObject({ status: 'cancelled', epcCount: 0 });
    await issue({ lotId: 'LOT-C', epcs: epcsFor(6, 2) });
    const again = await w.operator.post(`/api/v1/receipts/${text(receipt, 'id')}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(text(again.json(), 'message')).toMatch(/cannot cancel a receipt that is cancelled/);

    const pledged = await issue();
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: pledged.id, facilityId }), 201);
    expect((await w.operator.post(`/api/v1/receipts/${text(pledged, 'id')}/cancel`, {})).statusCode).toBe(409);
  });

  it('refuses a pledge to another bank’s facility (404), a stranger’s receipt (409) and an expired facility (409)', async () => {
    const receipt = await issue();
    const theirs = text(expectStatus(await w.otherLender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expect((await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: theirs })).statusCode).toBe(404);
    const otherBorrower = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ borrower: { ref: 'SOMEONE-ELSE', name: 'X' } })), 201), 'id');
    expect((await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: otherBorrower })).json()).toMatchObject({ statusCode: 409, details: { conflict: 'borrower' } });
    expect((await w.lender.post('/api/v1/pledges', { receiptId: '00000000-0000-4000-8000-000000000000', facilityId: otherBorrower })).statusCode).toBe(404);
    expect((await w.otherLender.get(`/api/v1/facilities/${otherBorrower}`)).statusCode).toBe(404);
    expect((await w.operator.get(`/api/v1/facilities/${otherBorrower}`)).statusCode).toBe(403);
    expect((await w.investigator.get(`/api/v1/facilities/${otherBorrower}`)).statusCode).toBe(200);
  });

  it('calls and liquidates a pledged receipt; the proceeds repay the facility and are recorded', async () => {
    const receipt = await issue({ quantity: { value: '10', unit: 't' } });
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    // 10 t × 8000 × 0.9 × 0.7 = 50 400 available.
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '50000', currency: 'USD' } }), 201);
    const id = text(receipt, 'id');
    expect((await w.lender.post(`/api/v1/receipts/${id}/liquidate`, { proceeds: { amount: '1', currency: 'USD' } })).statusCode).toBe(409);
    expect((await w.otherLender.post(`/api/v1/receipts/${id}/call`, { reason: 'default' })).statusCode).toBe(404);
    expect(expectStatus(await w.lender.post(`/api/v1/receipts/${id}/call`, { reason: 'default', note: 'missed payment' }), 200)).toMatchObject({ status: 'called', calledReason: 'default' });
    const sold = expectStatus(await w.lender.post(`/api/v1/receipts/${id}/liquidate`, { proceeds: { amount: '76543.21', currency: 'USD' } }), 200);
    expect(sold).toMatchObject({ status: 'liquidated', proceeds: { amount: '76543.21', currency: 'USD' }, pledge: null, valuation: null, epcCount: 0 });
    const f = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
    expect(field(f, 'figures.outstanding.amount')).toBe('0.00');
    const ledger = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}/ledger`), 200);
    expect(list(ledger, 'items').map((e) => [field(e, 'kind'), field(e, 'amount.amount'), field(e, 'source')])).toEqual([
      ['drawdown', '50000.00', 'api'],
      ['repayment', '50000.00', 'liquidation'],
    ]);
    const trail = await w.db.sql.query<{ action: string }>(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY seq`, [id]);
    expect(trail.map((t) => t.action)).toEqual(['receipt.issued', 'receipt.pledged', 'receipt.called', 'receipt.liquidated']);
  });

  it('calls a pledged receipt past its validity on the risk sweep', async () => {
    const receipt = await issue({ validUntil: new Date(clock.now().getTime() + 60_000).toISOString() });
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    clock.advance(60_001);
    expect(expectStatus(await w.admin.post('/api/v1/risk/sweep'), 200)).toMatchObject({ receiptsCalled: 1 });
    expect(expectStatus(await w.lender.get(`/api/v1/receipts/${text(receipt, 'id')}`), 200)).toMatchObject({ status: 'called', calledReason: 'expiry' });
    expect((await w.lender.post('/api/v1/risk/sweep')).statusCode).toBe(403);
  });

  it('revalues a pledged receipt when its condition factor changes', async () => {
    const receipt = await issue({ quantity: { value: '10', unit: 't' } });
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    // Humidity excursion: 0.9 of the value counts. 10 × 8000 × 0.9 × 0.9 = 64 800.
    const updated = expectStatus(await w.risk.post(`/api/v1/receipts/${text(receipt, 'id')}/condition`, { sensorConditionFactor: '0.9', note: 'humidity' }), 200);
    expect(updated).toMatchObject({ sensorConditionFactor: '0.9', valuation: { lendingValue: '64800' } });
    expect((await w.risk.post(`/api/v1/receipts/${text(receipt, 'id')}/condition`, { sensorConditionFactor: '1.1' })).statusCode).toBe(400);
  });

  it('lists the receipts a tenant may see, filtered and paged', async () => {
    const page = expectStatus(await w.operator.get('/api/v1/receipts?limit=3'), 200);
    expect(list(page, 'items')).toHaveLength(3);
    const next = expectStatus(await w.operator.get(`/api/v1/receipts?limit=3&cursor=${text(page, 'nextCursor')}`), 200);
    const ids = new Set([...list(page, 'items'), ...list(next, 'items')].map((r) => field(r, 'id')));
    expect(ids.size).toBe(list(page, 'items').length + list(next, 'items').length);
    const cancelled = expectStatus(await w.operator.get('/api/v1/receipts?status=cancelled'), 200);
    expect(list(cancelled, 'items').every((r) => field(r, 'status') === 'cancelled')).toBe(true);
    expect(list(expectStatus(await w.otherOperator.get('/api/v1/receipts'), 200), 'items')).toEqual([]);
    const bank = expectStatus(await w.lender.get('/api/v1/receipts?limit=500'), 200);
    expect(list(bank, 'items').every((r) => field(r, 'holderTenantId') === 'bank-a')).toBe(true);
    expect((await w.operator.get('/api/v1/receipts?cursor=nonsense')).statusCode).toBe(400);
  });

  it('describes every collateral route in the OpenAPI document', async () => {
    const doc = expectStatus(await w.app.inject({ method: 'GET', url: '/docs/json' }), 200);
    const paths = Object.keys((field(doc, 'paths') ?? {}) as object);
    for (const path of [
      '/api/v1/receipts',
      '/api/v1/receipts/{id}/liquidate',
      '/api/v1/pledges',
      '/api/v1/pledges/{id}/release',
      '/api/v1/release-orders/{id}/approve',
      '/api/v1/facilities/{id}/drawdowns',
      '/api/v1/facilities/{id}/interest',
      '/api/v1/margin-calls',
      '/api/v1/prices/import',
      '/api/v1/prices/{commodity}/volatility',
      '/api/v1/commodities/{commodity}',
      '/api/v1/gateways/{id}/manifests',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(Object.keys((field(doc, 'paths./api/v1/prices/import.post.requestBody.content') ?? {}) as object)).toEqual(['text/csv']);
    expect(Object.keys((field(doc, 'paths./api/v1/facilities/{id}/drawdowns.post.responses') ?? {}) as object)).toEqual(expect.arrayContaining(['201', '400', '401', '404', '422']));
  });
});
