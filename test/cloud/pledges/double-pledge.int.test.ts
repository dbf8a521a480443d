import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  epcsFor,
  expectStatus,
  facilityBody,
  field,
  receiptBody,
  seedCloses,
  startCollateralWorld,
  text,
  type Caller,
  type CollateralWorld,
} from '../risk/support/collateral-world.ts';

// Issue 7: "Double pledging is impossible, enforced by the database … Concurrent attempts
// (many at once) leave exactly one winner; the others get 409 naming the conflict."
describe('double pledging', () => {
  let w: CollateralWorld;
  beforeAll(async () => {
    w = await startCollateralWorld();
    await seedCloses(w.admin, 'copper', ['8000', '8100', '8050']);
  });
  afterAll(() => w.close());

  const issue = async (overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    expectStatus(await w.operator.post('/api/v1/receipts', receiptBody(overrides)), 201);

  it('lets exactly one of many concurrent pledges of a receipt win; the rest get 409 without naming the winning pledge', async () => {
    const receipts = await Promise.all(Array.from({ length: 10 }, (_, i) => issue({ epcs: epcsFor(100 + i, 3) })));
    const banks: [Caller, string][] = [
      [w.lender, 'bank-a'],
      [w.lender, 'bank-a'],
      [w.otherLender, 'bank-b'],
      [w.otherLender, 'bank-b'],
    ];
    const facilities = await Promise.all(banks.map(async ([caller]) => text(expectStatus(await caller.post('/api/v1/facilities', facilityBody()), 201), 'id')));
    const attempts = receipts.flatMap((r) =>
      facilities.flatMap((facilityId, f) => [0, 1].map(() => ({ receiptId: text(r, 'id'), facilityId, caller: banks[f]?.[0] ?? w.lender }))),
    );
    attempts.sort(() => Math.random() - 0.5);
    const results = await Promise.all(attempts.map(async (a) => ({ ...a, res: await a.caller.post('/api/v1/pledges', { receiptId: a.receiptId, facilityId: a.facilityId }) })));

    for (const receipt of receipts) {
      const mine = results.filter((r) => r.receiptId === receipt.id);
      const winners = mine.filter((r) => r.res.statusCode === 201);
      expect(winners).toHaveLength(1);
      const pledgeId = text(winners[0]?.res.json(), 'id');
      for (const loser of mine.filter((r) => r.res.statusCode !== 201)) {
        expect(loser.res.statusCode).toBe(409);
        expect(loser.res.json()).toMatchObject({
          statusCode: 409,
          error: 'Conflict',
          message: 'the receipt is already pledged',
          details: { conflict: 'pledge', receiptId: receipt.id },
        });
        // The winning pledge may be another bank's: neither its id nor the receipt's number is told.
        expect(loser.res.body).not.toContain(pledgeId);
        expect(loser.res.body).not.toContain(text(receipt, 'number'));
      }
    }
    const active = await w.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pledge WHERE status = 'active'`);
    expect(active[0]?.n).toBe(10);
    const lines = await w.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM collateral_line');
    expect(lines[0]?.n).toBe(10);
  });

  it('refuses a second active pledge in the database itself, whatever the code does', async () => {
    const [row] = await w.db.sql.query<{ receipt_id: string; facility_id: string; bank_tenant_id: string }>(
      `SELECT receipt_id, facility_id, bank_tenant_id FROM pledge WHERE status = 'active' LIMIT 1`,
    );
    await expect(
      w.db.sql.exec(`INSERT INTO pledge (id, receipt_id, facility_id, bank_tenant_id, status, pledged_at, pledged_by)
        VALUES (gen_random_uuid(), '${row?.receipt_id}', '${row?.facility_id}', '${row?.bank_tenant_id}', 'active', now(), 'sql')`),
    ).rejects.toThrow(/pledge_active_receipt_key/);
  });

  it('refuses a second active receipt for the same lot or the same item, in the database and through the API', async () => {
    const first = await issue({ lotId: 'LOT-SQL', epcs: epcsFor(900, 2) });
    const insertReceipt = (id: string, lot: string) =>
      w.db.sql.exec(`INSERT INTO receipt (id, number, issuer_tenant_id, site_id, zone, lot_id, commodity, grade, quantity, original_quantity, unit,
          verified_quantity, depositor_ref, depositor_name, status, valid_from, valid_until)
        VALUES ('${id}', 'N-${id.slice(0, 8)}', 'wh-a', 's-a1', 'Z', '${lot}', 'copper', 'A', 1, 1, 't', 1, 'B', 'B', 'issued', now(), now() + interval '1 day')`);
    await expect(insertReceipt('00000000-0000-4000-8000-00000000aa01', 'LOT-SQL')).rejects.toThrow(/receipt_active_lot_key/);
    await insertReceipt('00000000-0000-4000-8000-00000000aa02', 'LOT-SQL-OTHER');
    const epc = epcsFor(900, 1)[0];
    await expect(w.db.sql.exec(`INSERT INTO receipt_item (receipt_id, epc) VALUES ('00000000-0000-4000-8000-00000000aa02', '${epc}')`)).rejects.toThrow(/receipt_item_active_epc_key/);

    const sameLot = await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-SQL' }));
    expect(sameLot.statusCode).toBe(409);
    expect(sameLot.json()).toMatchObject({ details: { conflict: 'lot', receiptId: first.id, receiptNumber: first.number } });
    const sameItem = await w.operator.post('/api/v1/receipts', receiptBody({ epcs: [epc?.toLowerCase()] }));
    expect(sameItem.statusCode).toBe(409);
    expect(sameItem.json()).toMatchObject({ details: { conflict: 'epc', receiptIds: [first.id], epcs: [epc] } });
  });

  it('lets one of many concurrent receipts for the same lot, or the same items, be issued', async () => {
    const sameLot = await Promise.all(Array.from({ length: 8 }, () => w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-RACE' }))));
    expect(sameLot.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const winner = sameLot.find((r) => r.statusCode === 201)?.json();
    for (const r of sameLot.filter((x) => x.statusCode !== 201)) expect(r.json()).toMatchObject({ statusCode: 409, details: { conflict: 'lot', receiptId: field(winner, 'id') } });

    const sharedEpcs = epcsFor(901, 4);
    const sameItems = await Promise.all(Array.from({ length: 8 }, (_, i) => w.operator.post('/api/v1/receipts', receiptBody({ epcs: [sharedEpcs[i % 4], ...epcsFor(910 + i, 2)] }))));
    // Receipts i and i+4 share an EPC: at most one of each pair, and in all 4 distinct EPCs, so at most 4 winners.
    const won = sameItems.filter((r) => r.statusCode === 201);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(4);
    for (const r of sameItems.filter((x) => x.statusCode !== 201)) expect(r.json()).toMatchObject({ statusCode: 409, details: { conflict: 'epc' } });
    const owners = await w.db.sql.query<{ epc: string; n: number }>(`SELECT epc, count(*)::int AS n FROM receipt_item WHERE active GROUP BY epc HAVING count(*) > 1`);
    expect(owners).toEqual([]);
  });

  it('shows a pledged receipt to its issuer and holder only; other tenants get 404', async () => {
    const [pledge] = await w.db.sql.query<{ receipt_id: string; bank_tenant_id: string }>(`SELECT receipt_id, bank_tenant_id FROM pledge WHERE status = 'active' LIMIT 1`);
    const id = pledge?.receipt_id ?? '';
    const holder = pledge?.bank_tenant_id === 'bank-a' ? w.lender : w.otherLender;
    const stranger = pledge?.bank_tenant_id === 'bank-a' ? w.otherLender : w.lender;
    expect((await holder.get(`/api/v1/receipts/${id}`)).statusCode).toBe(200);
    expect((await w.operator.get(`/api/v1/receipts/${id}`)).statusCode).toBe(200);
    expect((await stranger.get(`/api/v1/receipts/${id}`)).statusCode).toBe(404);
    expect((await w.otherOperator.get(`/api/v1/receipts/${id}`)).statusCode).toBe(404);
    const strangerList = expectStatus(await stranger.get('/api/v1/receipts?limit=500'), 200);
    expect((strangerList.items as { id: string }[]).some((r) => r.id === id)).toBe(false);
  });

  it('releases a pledge only while the rest covers the outstanding, then frees the goods for a new receipt', async () => {
    const receipt = await issue({ lotId: 'LOT-REL', epcs: epcsFor(920, 2) });
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    const pledge = expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1000', currency: 'USD' } }), 201);
    const refused = await w.lender.post(`/api/v1/pledges/${text(pledge, 'id')}/release`, { reason: 'loan repaid' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ details: { code: 'insufficient_cover', repaymentNeeded: '1000.00' } });
    expect((await w.otherLender.del(`/api/v1/pledges/${text(pledge, 'id')}`)).statusCode).toBe(404);
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '1000', currency: 'USD' } }), 201);
    const released = expectStatus(await w.lender.del(`/api/v1/pledges/${text(pledge, 'id')}`), 200);
    expect(released).toMatchObject({ status: 'released' });
    expect(expectStatus(await w.operator.get(`/api/v1/receipts/${text(receipt, 'id')}`), 200)).toMatchObject({ status: 'released', epcCount: 0 });
    expect((await w.lender.post(`/api/v1/pledges/${text(pledge, 'id')}/release`, {})).statusCode).toBe(409);
    await issue({ lotId: 'LOT-REL', epcs: epcsFor(920, 2) });
    const trail = await w.db.sql.query<{ action: string }>(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY seq`, [receipt.id]);
    expect(trail.map((t) => t.action)).toEqual(['receipt.issued', 'receipt.pledged', 'receipt.released']);
  });
});
