import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

/**
 * The borrowing enterprise has its own tenant: its users see the facilities linked to
 * it and nothing of any other borrower or bank, draw within what is available and repay,
 * and cannot do what only the bank's staff may.
 */
describe('borrower tenant and role', () => {
  let w: MonitoringWorld;
  let lender: Caller;
  let admin: Caller;
  let borrower: Caller;
  let otherBorrower: Caller;
  let facilityId: string;
  let otherFacilityId: string;
  let receiptId: string;

  const put = (caller: Caller, url: string, body: unknown) =>
    w.app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${caller.token}` }, payload: body as object });

  beforeAll(async () => {
    w = await startMonitoringWorld();
    lender = await w.as('bank-a', 'lender');
    admin = await w.as('platform', 'admin');
    borrower = await w.as('borrower-a', 'borrower');
    // A week of copper closes, so the pledged lots have a lending value to draw against.
    const day = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const csv = ['commodity,price,currency,ts,unit', ...[9000, 9050, 8990, 9020, 9010, 9030, 9000].map((p, i) => `copper,${p},USD,${new Date(day - (7 - i) * 86_400_000 + 16 * 3_600_000).toISOString()},t`)].join('\n');
    expectStatus(await w.app.inject({ method: 'POST', url: '/api/v1/prices/import', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' }, payload: csv }), 200);
    otherBorrower = await w.as('borrower-b', 'borrower');
    ({ facilityId, receiptId } = await w.pledgeLot({ site: 's-a', lotId: 'LOT-B1', bank: 'bank-a', operator: 'wh-a' }));
    otherFacilityId = (await w.pledgeLot({ site: 's-a', lotId: 'LOT-B2', bank: 'bank-a', operator: 'wh-a' })).facilityId;
    expectStatus(await put(lender, `/api/v1/facilities/${facilityId}/borrower-tenant`, { tenantId: 'borrower-a' }), 200);
    expectStatus(await put(lender, `/api/v1/facilities/${otherFacilityId}/borrower-tenant`, { tenantId: 'borrower-b' }), 200);
  });
  afterAll(() => w.close());

  it('sees only the facilities linked to its tenant', async () => {
    const mine = expectStatus(await borrower.get('/api/v1/facilities'), 200).items as { id: string; borrower: { tenantId: string | null } }[];
    expect(mine.map((f) => f.id)).toEqual([facilityId]);
    expect(mine[0]?.borrower.tenantId).toBe('borrower-a');
    for (const path of ['', '/valuation', '/ledger', '/interest', '/margin-calls']) {
      expectStatus(await borrower.get(`/api/v1/facilities/${facilityId}${path}`), 200);
      expectStatus(await borrower.get(`/api/v1/facilities/${otherFacilityId}${path}`), 404);
    }
    const theirs = expectStatus(await otherBorrower.get('/api/v1/facilities'), 200).items as { id: string }[];
    expect(theirs.map((f) => f.id)).toEqual([otherFacilityId]);
    // The bank still sees both.
    const banks = expectStatus(await lender.get('/api/v1/facilities'), 200).items as { id: string }[];
    expect(banks.map((f) => f.id).sort()).toEqual([facilityId, otherFacilityId].sort());
  });

  it('draws within what is available and repays, on its own facility only', async () => {
    const facility = expectStatus(await borrower.get(`/api/v1/facilities/${facilityId}`), 200) as { figures: { available: { amount: string } } };
    const available = Number(facility.figures.available.amount);
    expect(available).toBeGreaterThan(1000);
    const drawn = expectStatus(await borrower.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1000.00', currency: 'USD' } }), 201);
    expect((drawn.facility as { figures: { outstanding: { amount: string } } }).figures.outstanding.amount).toBe('1000.00');
    const over = await borrower.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: String(available * 2), currency: 'USD' } });
    expect(over.statusCode).toBe(422);
    expectStatus(await otherBorrower.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1.00', currency: 'USD' } }), 404);
    expectStatus(await otherBorrower.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '1.00', currency: 'USD' } }), 404);
    const repaid = expectStatus(await borrower.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '400.00', currency: 'USD' } }), 201);
    expect((repaid.facility as { figures: { outstanding: { amount: string } } }).figures.outstanding.amount).toBe('600.00');
    const ledger = expectStatus(await lender.get(`/api/v1/facilities/${facilityId}/ledger`), 200).items as { kind: string }[];
    expect(ledger.map((e) => e.kind)).toEqual(['drawdown', 'repayment']);
  });

  it('sees the receipts under its facilities and asks for a release of its goods', async () => {
    const receipts = expectStatus(await borrower.get('/api/v1/receipts'), 200).items as { id: string; lotId: string; valuation: { lendingValue: string } | null }[];
    expect(receipts.map((r) => r.lotId)).toEqual(['LOT-B1']);
    expect(Number(receipts[0]?.valuation?.lendingValue)).toBeGreaterThan(0);
    expectStatus(await otherBorrower.get(`/api/v1/receipts/${receiptId}`), 404);
    const order = expectStatus(await borrower.post('/api/v1/release-orders', { receiptId, quantity: { value: '10', unit: 't' }, note: 'shipment to buyer' }), 201);
    expect(order.status).toBe('requested');
    expectStatus(await otherBorrower.post('/api/v1/release-orders', { receiptId, all: true }), 404);
    expect((expectStatus(await borrower.get('/api/v1/release-orders'), 200).items as { id: string }[]).map((o) => o.id)).toEqual([order.id]);
    expectStatus(await borrower.get(`/api/v1/release-orders/${String(order.id)}`), 200);
    expect(expectStatus(await otherBorrower.get('/api/v1/release-orders'), 200).items).toEqual([]);
    expectStatus(await otherBorrower.get(`/api/v1/release-orders/${String(order.id)}`), 404);
    // The lender sees the request to decide on; the borrower cannot approve it itself.
    expect((expectStatus(await lender.get('/api/v1/release-orders'), 200).items as { id: string }[]).map((o) => o.id)).toContain(order.id);
    expectStatus(await borrower.post(`/api/v1/release-orders/${String(order.id)}/approve`, {}), 403);
  });

  it("keeps the bank's lending values from the warehouse operator", async () => {
    const operator = await w.as('wh-a', 'warehouse_operator');
    const seen = expectStatus(await operator.get(`/api/v1/receipts/${receiptId}`), 200);
    expect(seen.lotId).toBe('LOT-B1');
    expect(seen.valuation).toBeNull();
    const listed = expectStatus(await operator.get('/api/v1/receipts'), 200).items as { valuation: unknown }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.valuation === null)).toBe(true);
  });

  it("may not do what only the bank's staff may", async () => {
    expectStatus(await put(borrower, `/api/v1/facilities/${facilityId}/borrower-tenant`, { tenantId: 'borrower-a' }), 403);
    expectStatus(
      await borrower.post('/api/v1/facilities', {
        reference: 'SELF-1',
        borrower: { ref: 'X', name: 'X' },
        limit: { amount: '1', currency: 'USD' },
        validFrom: '2030-01-01T00:00:00.000Z',
        validUntil: '2031-01-01T00:00:00.000Z',
        annualRate: '0.05',
      }),
      403,
    );
    expectStatus(await borrower.post(`/api/v1/facilities/${facilityId}/holds/h/resolve`, { caseId: 'c' }), 403);
    // Cases are the bank's: none concerns the borrower's tenant.
    expect(expectStatus(await borrower.get('/api/v1/alerts'), 200).items).toEqual([]);
  });

  it('links only a borrower tenant, and borrower tenants hold only borrowers', async () => {
    const refused = await put(lender, `/api/v1/facilities/${facilityId}/borrower-tenant`, { tenantId: 'bank-b' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ message: 'tenant bank-b is not a borrower' });
    expectStatus(await put(lender, `/api/v1/facilities/${facilityId}/borrower-tenant`, { tenantId: 'no-such-tenant' }), 400);
    expectStatus(await admin.post('/api/v1/users', { tenantId: 'borrower-a', email: 'x@borrower-a.test', name: 'X', role: 'lender', password: 'a-long-password-1' }), 400);
    expectStatus(await admin.post('/api/v1/users', { tenantId: 'bank-a', email: 'y@bank-a.test', name: 'Y', role: 'borrower', password: 'a-long-password-1' }), 400);
    expectStatus(await admin.post('/api/v1/users', { tenantId: 'borrower-a', email: 'z@borrower-a.test', name: 'Z', role: 'borrower', password: 'a-long-password-1' }), 201);
    const audit = expectStatus(await admin.get(`/api/v1/audit?entityType=facility&entityId=${facilityId}`), 200).items as { action: string }[];
    expect(audit.map((a) => a.action)).toContain('facility.borrower_linked');
  });

  it("posts a finished month's interest once, and the borrower downloads the month's statement", async () => {
    const { facilityId: id } = await w.pledgeLot({ site: 's-a', lotId: 'LOT-B3', bank: 'bank-a', operator: 'wh-a' });
    expectStatus(await put(lender, `/api/v1/facilities/${id}/borrower-tenant`, { tenantId: 'borrower-a' }), 200);
    const today = new Date();
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
    const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const month = start.toISOString().slice(0, 7);
    const days = (end.getTime() - start.getTime()) / 86_400_000;
    // Last month's movements, as if drawn and repaid then (the ledger is what interest follows).
    await w.db.prisma.facility.update({ where: { id }, data: { validFrom: new Date(start.getTime() - 40 * 86_400_000) } });
    const entry = (day: number, kind: string, amount: string, after: string) => ({
      id: randomUUID(), facilityId: id, kind, amount, currency: 'USD', at: new Date(start.getTime() + (day - 1) * 86_400_000 + 10 * 3_600_000), outstandingAfter: after, source: 'api', actor: 'test',
    });
    await w.db.prisma.facilityLedger.createMany({ data: [entry(3, 'drawdown', '10000', '10000'), entry(13, 'repayment', '4000', '6000')] });
    // 10 days at 10,000 and the rest of the month at 6,000, at 8 % ACT/360
    const expected = new Dec(10_000 * 10 + 6_000 * (days - 12)).times('0.08').dividedBy(360).toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(2);

    expectStatus(await borrower.post(`/api/v1/facilities/${id}/interest/postings`, { month }), 403);
    const posted = expectStatus(await lender.post(`/api/v1/facilities/${id}/interest/postings`, { month }), 201);
    expect(posted).toMatchObject({ month, amount: expected, currency: 'USD', dayCount: 'ACT/360', days });
    expect(expectStatus(await lender.post(`/api/v1/facilities/${id}/interest/postings`, { month }), 200).id).toBe(posted.id);
    expectStatus(await lender.post(`/api/v1/facilities/${id}/interest/postings`, { month: today.toISOString().slice(0, 7) }), 409);
    expect((expectStatus(await borrower.get(`/api/v1/facilities/${id}/interest/postings`), 200).items as { id: string }[]).map((p) => p.id)).toEqual([posted.id]);

    const statement = expectStatus(await borrower.get(`/api/v1/facilities/${id}/statements/${month}`), 200);
    expect(statement).toMatchObject({ month, partial: false, openingPrincipal: '0.00', drawn: '10000.00', repaid: '4000.00', closingPrincipal: '6000.00' });
    expect(statement.interest).toMatchObject({ accrued: expected, posted: { amount: expected } });
    const csv = await borrower.get(`/api/v1/facilities/${id}/statements/${month}?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`statement-`);
    expect(csv.body).toContain(`interest posted,${expected},`);
    expectStatus(await otherBorrower.get(`/api/v1/facilities/${id}/statements/${month}`), 404);
    expectStatus(await borrower.get(`/api/v1/facilities/${id}/statements/2026-13`), 400);

    // Earlier months since the facility began are posted by the sweep, each once.
    expect(Number(expectStatus(await lender.post('/api/v1/interest-postings/due'), 200).posted)).toBeGreaterThanOrEqual(1);
    expect(expectStatus(await lender.post('/api/v1/interest-postings/due'), 200).posted).toBe(0);
  });

  it('unlinking hides the facility from the borrower again', async () => {
    expectStatus(await put(lender, `/api/v1/facilities/${otherFacilityId}/borrower-tenant`, { tenantId: null }), 200);
    expect(expectStatus(await otherBorrower.get('/api/v1/facilities'), 200).items).toEqual([]);
    expectStatus(await otherBorrower.get(`/api/v1/facilities/${otherFacilityId}`), 404);
  });
});
