import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcsFor, expectStatus, facilityBody, field, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from './support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from './support/gateway-feed.ts';

// The valuation's condition factor follows the gateway's lot.condition (climate history),
// a person can override it (audited), and the override wins until handed back.
describe('lot condition from the gateway drives the valuation condition factor', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let facilityId: string;
  let receiptId: string;
  const receipt = async () => expectStatus(await w.lender.get(`/api/v1/receipts/${receiptId}`), 200);
  const lendingValue = async () => field(expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200), 'figures.lendingValue.amount');

  beforeAll(async () => {
    w = await startCollateralWorld();
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
    feed = await startGatewayFeed(w, 's-a1');
    receiptId = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ siteId: 's-a1', lotId: 'LOT-W', epcs: epcsFor(9, 10) })), 201), 'id');
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId, facilityId }), 201);
  });
  afterAll(() => w.close());

  it('follows lot.condition, revalues, and audits it as the gateway', async () => {
    expect(await lendingValue()).toBe('720000.00');
    expect(await receipt()).toMatchObject({ sensorConditionFactor: '1', conditionSource: 'issuer', gatewayConditionFactor: null });
    await feed.send('lot.condition', { lotId: 'LOT-W', severity: 'info', evidence: { lots: ['LOT-W'], factor: 0.95, reasons: ['humidity beyond its range: 50.00 %·h'], since: '2026-03-01T00:00:00.000Z' } });
    expect(await receipt()).toMatchObject({ sensorConditionFactor: '0.95', conditionSource: 'gateway', gatewayConditionFactor: '0.95' });
    expect(await lendingValue()).toBe('684000.00');
    const trail = await w.db.sql.query<{ actor: string; after: { source: string } }>(`SELECT actor, after FROM audit_entry WHERE action = 'receipt.condition_changed' AND entity_id = $1`, [receiptId]);
    expect(trail).toMatchObject([{ actor: 'gateway:gw-s-a1', after: { source: 'gateway' } }]);
  });

  it('a person’s override wins over later reports until handed back; then the gateway’s latest applies', async () => {
    expectStatus(await w.risk.post(`/api/v1/receipts/${receiptId}/condition`, { sensorConditionFactor: '0.9', note: 'surveyor found mould on two pallets' }), 200);
    await feed.send('lot.condition', { lotId: 'LOT-W', severity: 'info', evidence: { lots: ['LOT-W'], factor: 0.93, reasons: [], since: '2026-03-01T00:00:00.000Z' } });
    expect(await receipt()).toMatchObject({ sensorConditionFactor: '0.9', conditionSource: 'override', gatewayConditionFactor: '0.93' });
    expect(await lendingValue()).toBe('648000.00');

    expectStatus(await w.risk.post(`/api/v1/receipts/${receiptId}/condition`, { followGateway: true, note: 'pallets replaced' }), 200);
    expect(await receipt()).toMatchObject({ sensorConditionFactor: '0.93', conditionSource: 'gateway' });
    const overrides = await w.db.sql.query<{ after: { conditionOverride: boolean } }>(`SELECT after FROM audit_entry WHERE action = 'receipt.condition_changed' AND actor NOT LIKE 'gateway:%' AND entity_id = $1 ORDER BY at`, [receiptId]);
    expect(overrides.map((o) => o.after.conditionOverride)).toEqual([true, false]);
  });

  it('ignores a report whose factor is outside 0..1', async () => {
    await feed.send('lot.condition', { lotId: 'LOT-W', evidence: { lots: ['LOT-W'], factor: 1.5, reasons: [], since: '2026-03-01T00:00:00.000Z' } as never });
    expect(await receipt()).toMatchObject({ sensorConditionFactor: '0.93' });
  });
});
