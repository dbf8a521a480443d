import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '../../../cloud/monitoring/daily-report.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

describe('routine monitoring: daily report per warehouse and per facility', () => {
  let w: MonitoringWorld;
  let operator: Caller;
  let lenderA: Caller;
  let lenderB: Caller;
  let facilityA = '';

  beforeAll(async () => {
    w = await startMonitoringWorld();
    facilityA = (await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a', quantity: '100', unit: 't' })).facilityId;
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-2', bank: 'bank-b', operator: 'wh-a', quantity: '40', unit: 't' });
    operator = await w.as('wh-a', 'warehouse_operator');
    lenderA = await w.as('bank-a', 'lender');
    lenderB = await w.as('bank-b', 'lender');
    const gw = await w.gateway('s-a');
    await gw.send([
      // The day before (Zurich): an older verification, superseded below.
      { ts: '2026-03-01T20:00:00.000Z', type: 'lot.verified', severity: 'info', lotId: 'LOT-1', zone: 'bay-1', evidence: { expected: 80, present: 80, missing: 0 } },
      { ts: '2026-03-02T07:00:00.000Z', type: 'lot.verified', severity: 'info', lotId: 'LOT-1', zone: 'bay-1', evidence: { expected: 80, present: 76, missing: 4, verifiedQuantity: { value: '95', unit: 't' } } },
      { ts: '2026-03-02T07:05:00.000Z', type: 'tags.moved', severity: 'warning', lotId: 'LOT-1', zone: 'door-1', evidence: evidenceOf('tags.moved', { count: 4 }) },
      { ts: '2026-03-02T07:06:00.000Z', type: 'lot.state', severity: 'warning', lotId: 'LOT-1', evidence: evidenceOf('lot.state', { state: 'suspect' }) },
      { ts: '2026-03-02T07:10:00.000Z', type: 'lot.verified', severity: 'info', lotId: 'LOT-2', zone: 'bay-2', evidence: { expected: 20, present: 20, missing: 0 } },
      // After the Zurich day ends (23:00 UTC): not counted for 2026-03-02.
      { ts: '2026-03-02T23:30:00.000Z', type: 'tags.moved', severity: 'warning', lotId: 'LOT-1', zone: 'door-1', evidence: evidenceOf('tags.moved', { count: 1 }) },
    ]);
  });
  afterAll(() => w.close());

  const report = async (caller: Caller, path: string): Promise<DailyReport> => expectStatus(await caller.get(path), 200) as unknown as DailyReport;

  it("reports every lot of the warehouse to its operator, over the site's local day", async () => {
    const r = await report(operator, '/api/v1/reports/sites/s-a/daily?date=2026-03-02');
    expect(r).toMatchObject({ kind: 'site', subject: 's-a', date: '2026-03-02', timezone: 'Europe/Zurich', from: '2026-03-01T23:00:00.000Z', to: '2026-03-02T23:00:00.000Z' });
    expect(r.rows.map((row) => row.lotId)).toEqual(['LOT-1', 'LOT-2']);
    expect(r.rows[0]).toMatchObject({
      zone: 'bay-1',
      state: 'suspect',
      expectedItems: 80,
      presentItems: 76,
      varianceItems: 4,
      expectedQuantity: { value: '100', unit: 't' },
      verifiedQuantity: { value: '95', unit: 't' },
      varianceQuantity: { value: '5', unit: 't' },
      variancePercent: '5',
      lastVerifiedAt: '2026-03-02T07:00:00.000Z',
      movedEvents: 1,
      warnings: 2,
    });
    expect(r.totals).toMatchObject({ lots: 2, lotsWithVariance: 1, lotsNotVerified: 0, movedEvents: 1 });
  });

  it("shows each bank only its own lots at the warehouse, and nothing where it lends nothing", async () => {
    expect((await report(lenderA, '/api/v1/reports/sites/s-a/daily?date=2026-03-02')).rows.map((r) => r.lotId)).toEqual(['LOT-1']);
    expect((await report(lenderB, '/api/v1/reports/sites/s-a/daily?date=2026-03-02')).rows.map((r) => r.lotId)).toEqual(['LOT-2']);
    expect((await lenderA.get('/api/v1/reports/sites/s-b/daily?date=2026-03-02')).statusCode).toBe(404);
    expect((await operator.get('/api/v1/reports/sites/s-b/daily')).statusCode).toBe(404);
    expect((await operator.get('/api/v1/reports/sites/s-a/daily?date=2026-02-30')).statusCode).toBe(400);
  });

  it('downloads the same report as CSV', async () => {
    const res = await operator.get('/api/v1/reports/sites/s-a/daily?date=2026-03-02&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="daily-site-s-a-2026-03-02.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]?.startsWith('date,site,lot_id,zone,receipt_number,state,')).toBe(true);
    expect(lines[1]).toMatch(/^2026-03-02,s-a,LOT-1,bay-1,[^,]+,suspect,80,76,4,100,95,5,t,t,5,2026-03-02T07:00:00.000Z,1,0,,2,0$/);
    expect(lines).toHaveLength(4);
  });

  it("reports a facility's pledged lots to its bank only", async () => {
    const r = await report(lenderA, `/api/v1/reports/facilities/${facilityA}/daily?date=2026-03-02`);
    expect(r).toMatchObject({ kind: 'facility', timezone: 'UTC', from: '2026-03-02T00:00:00.000Z' });
    expect(r.rows.map((row) => [row.site, row.lotId, row.verifiedQuantity?.value])).toEqual([['s-a', 'LOT-1', '95']]);
    expect((await lenderB.get(`/api/v1/reports/facilities/${facilityA}/daily`)).statusCode).toBe(404);
    expect((await operator.get(`/api/v1/reports/facilities/${facilityA}/daily`)).statusCode).toBe(403);
    const csv = await lenderA.get(`/api/v1/reports/facilities/${facilityA}/daily?date=2026-03-02&format=csv`);
    expect(csv.body.split('\r\n')[1]).toMatch(/^2026-03-02,s-a,LOT-1,/);
  });
});
