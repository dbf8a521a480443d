import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudDomainEvents } from '../../../cloud/domain-events/domain-event-bus.ts';
import { epcsFor, expectStatus, facilityBody, field, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from './support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from './support/gateway-feed.ts';

// Risk triggers driven by the verified gateway event log: verification changes revalue,
// a suspect or breached lot freezes drawings until its case is resolved, and a pledged
// item seen at another site is announced.
describe('gateway events and collateral risk', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let elsewhere: GatewayFeed;
  let facilityId: string;
  let receiptId: string;
  const epcs = epcsFor(7, 10);
  const lotStates: CloudDomainEvents['lot.state_changed'][] = [];
  const facility = async () => expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);

  beforeAll(async () => {
    w = await startCollateralWorld();
    w.bus.on('lot.state_changed', 'test', (p) => {
      lotStates.push(p);
    });
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
    feed = await startGatewayFeed(w, 's-a1');
    elsewhere = await startGatewayFeed(w, 's-a2');
    receiptId = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-G', epcs })), 201), 'id');
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId, facilityId }), 201);
  });
  afterAll(() => w.close());

  it('revalues on lot.verified: present items × quantity per item, or the stated verified quantity', async () => {
    // 100 t at 8000, haircut 10 %: lending value 720 000. 8 of 10 items present → 80 t → 576 000.
    expect(field(await facility(), 'figures.lendingValue.amount')).toBe('720000.00');
    await feed.send('lot.verified', { lotId: 'LOT-G', evidence: { expected: 10, present: 8, missing: 2, foreign: 0 } });
    expect(field(expectStatus(await w.lender.get(`/api/v1/receipts/${receiptId}`), 200), 'verifiedQuantity')).toEqual({ value: '80', unit: 't' });
    expect(field(await facility(), 'figures.lendingValue.amount')).toBe('576000.00');
    await feed.send('lot.verified', { lotId: 'LOT-G', evidence: { expected: 10, present: 9, missing: 1, foreign: 0, verifiedQuantity: { value: '95000', unit: 'kg' } } });
    expect(field(await facility(), 'figures.lendingValue.amount')).toBe('684000.00');
    const trail = await w.db.sql.query<{ actor: string }>(`SELECT actor FROM audit_entry WHERE action = 'receipt.verified' AND entity_id = $1`, [receiptId]);
    expect(trail.map((t) => t.actor)).toEqual(['gateway:gw-s-a1', 'gateway:gw-s-a1']);
    expect(w.changes.some((c) => c.reason === 'verification' && c.facilityId === facilityId)).toBe(true);
  });

  it('freezes drawings when the lot is breached and keeps them frozen when it reads verified again', async () => {
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1000', currency: 'USD' } }), 201);
    const event = await feed.send('lot.state', { lotId: 'LOT-G', severity: 'critical', evidence: evidenceOf('lot.state', { state: 'breached', previous: 'verified', cites: [] }) });
    expect(lotStates.at(-1)).toMatchObject({ site: 's-a1', lotId: 'LOT-G', state: 'breached', previous: 'verified', eventId: event.id });
    const frozen = await facility();
    expect(field(frozen, 'frozen')).toBe(true);
    expect(field(frozen, 'holds.0.trigger')).toEqual({ kind: 'lot', lotId: 'LOT-G', status: 'breached' });
    const refused = await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1', currency: 'USD' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ details: { code: 'frozen' } });
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '500', currency: 'USD' } }), 201);
    expect(w.changes.some((c) => c.reason === 'facility.frozen' && c.facilityId === facilityId)).toBe(true);

    await feed.send('lot.state', { lotId: 'LOT-G', evidence: evidenceOf('lot.state', { state: 'verified', previous: 'breached', cites: [] }) });
    expect(field(await facility(), 'frozen')).toBe(true);
    expect(field(expectStatus(await w.lender.get(`/api/v1/receipts/${receiptId}`), 200), 'lotState')).toBe('verified');
  });

  it("lifts the hold when the lot's case is resolved by the bank and a second person approves, not by another tenant", async () => {
    w.bus.emit('case.resolved', { caseId: 'CASE-OTHER', tenantId: 'bank-b', site: 's-a1', lotId: 'LOT-G', finding: 'goods_restored' });
    await w.bus.idle();
    expect(field(await facility(), 'frozen')).toBe(true);
    w.bus.emit('case.resolved', { caseId: 'CASE-6', tenantId: 'bank-a', site: 's-a1', lotId: 'LOT-G', finding: 'confirmed_loss' });
    await w.bus.idle();
    expect(field(await facility(), 'holds.0.pendingLift')).toBeUndefined();
    w.bus.emit('case.resolved', { caseId: 'CASE-7', tenantId: 'bank-a', site: 's-a1', lotId: 'LOT-G', finding: 'goods_restored' });
    await w.bus.idle();
    // A breached lot is critical: the case's resolution asks, a risk officer approves (issue 17).
    expect(field(await facility(), 'frozen')).toBe(true);
    expectStatus(await w.risk.post(`/api/v1/facilities/${facilityId}/holds/${encodeURIComponent(text(await facility(), 'holds.0.id'))}/resolve`, { caseId: 'CASE-7' }), 200);
    const thawed = await facility();
    expect(field(thawed, 'frozen')).toBe(false);
    expect(field(thawed, 'holds.0.resolution')).toMatchObject({ caseId: 'CASE-7', resolvedBy: 'case:CASE-7', approvedBy: expect.stringMatching(/^user:/), note: 'goods_restored' });
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1', currency: 'USD' } }), 201);
  });

  it('freezes a facility at once when it takes a receipt on a lot already suspect', async () => {
    const other = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-S' })), 201), 'id');
    await feed.send('lot.state', { lotId: 'LOT-S', severity: 'warning', evidence: evidenceOf('lot.state', { state: 'suspect', previous: 'verified', cites: [] }) });
    const second = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expect(field(expectStatus(await w.lender.get(`/api/v1/facilities/${second}`), 200), 'frozen')).toBe(false);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: other, facilityId: second }), 201);
    const f = expectStatus(await w.lender.get(`/api/v1/facilities/${second}`), 200);
    expect(field(f, 'frozen')).toBe(true);
    expect(field(f, 'holds.0.trigger')).toEqual({ kind: 'lot', lotId: 'LOT-S', status: 'suspect' });
  });

  it('announces a pledged EPC seen at another site', async () => {
    const before = w.changes.length;
    const event = await elsewhere.send('tags.foreign', {
      zone: 'Z9',
      severity: 'warning',
      evidence: { tags: [{ epc: epcs[3]?.toLowerCase() ?? '', urn: 'urn:epc:id:sgtin:x' }, { epc: 'E2801190A5021F80055817CA', urn: 'urn:epc:raw:96.xE2801190A5021F80055817CA' }], count: 2 },
    });
    const seen = w.changes.slice(before).filter((c) => c.reason === 'pledged_epc_elsewhere');
    expect(seen).toEqual([
      {
        tenantId: 'bank-a',
        facilityId,
        receiptId,
        reason: 'pledged_epc_elsewhere',
        detail: expect.objectContaining({ receiptSite: 's-a1', lotId: 'LOT-G', seenAtSite: 's-a2', gatewayId: 'gw-s-a2', eventId: event.id, epcs: [epcs[3]] }),
      },
    ]);
    // The same tags at their own site are not news.
    await feed.send('tags.foreign', { evidence: { tags: [{ epc: epcs[3] ?? '', urn: 'urn:epc:raw:x' }], count: 1 } });
    expect(w.changes.slice(before).filter((c) => c.reason === 'pledged_epc_elsewhere')).toHaveLength(1);
  });
});
