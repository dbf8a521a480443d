import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, list, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

interface CaseItem {
  id: string;
  kind: string;
  severity: string;
  title: string;
  detail: { numbers?: Record<string, unknown> };
}

describe('early warning on a price fall: watch list, LTV warning, margin call, each a case with its numbers', () => {
  let w: CollateralWorld;
  const clock = createTestClock();
  let facilityId = '';
  // About ±1 % a day for a month: σ ≈ 1 %, estimated from enough returns.
  const closes = Array.from({ length: 30 }, (_, i) => (8000 * (1 + 0.01 * (i % 2 === 0 ? 1 : -1))).toFixed(2));
  const p0 = Number(closes.at(-1));

  const tick = async (factor: number) => {
    expectStatus(await w.risk.post('/api/v1/prices', { commodity: 'copper', price: { amount: (p0 * factor).toFixed(2), currency: 'USD' }, source: 'test-feed' }), 201);
    await w.bus.idle();
    await w.app.earlyWarning.idle();
  };
  const cases = async (kind: string): Promise<CaseItem[]> => list(expectStatus(await w.lender.get(`/api/v1/alerts?kind=${kind}`), 200), 'items') as CaseItem[];

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    await seedCloses(w.admin, 'copper', closes);
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody()), 201);
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    const facility = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
    // Drawn to the borrowing base: LTV = advance rate (0.70 for copper).
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: text(facility, 'figures.available.amount'), currency: 'USD' } }), 201);
    await w.bus.idle();
    await w.app.earlyWarning.idle();
  }, 180_000);
  afterAll(() => w.close());

  it('is quiet while the price holds', async () => {
    await tick(1);
    expect(await cases('facility.watch_list')).toEqual([]);
    expect(await cases('facility.ltv_warning')).toEqual([]);
  });

  it('−16 %: LTV ≈ 0.83 is a warning, and after a 2.33 σ move it would reach 0.85: watch list', async () => {
    await tick(0.84);
    const [watch] = await cases('facility.watch_list');
    expect(watch?.severity).toBe('warning');
    expect(Number(watch?.detail.numbers?.stressedLtv)).toBeGreaterThanOrEqual(0.85);
    expect(Number(watch?.detail.numbers?.ltv)).toBeLessThan(0.85);
    expect(watch?.detail.numbers).toMatchObject({ z: '2.33', marginCall: '0.85' });
    const [warning] = await cases('facility.ltv_warning');
    expect(Number(warning?.detail.numbers?.ltv)).toBeGreaterThanOrEqual(0.8);
    const [move] = await cases('market.price_move');
    expect(move?.detail.numbers).toMatchObject({ changePercent: '-16', sigmaBasis: 'estimate' });
    const listed = list(expectStatus(await w.lender.get('/api/v1/early-warning/watch-list'), 200), 'items');
    expect(listed).toEqual([expect.objectContaining({ facilityId, caseId: watch?.id })]);
    // Another bank sees none of it.
    expect(list(expectStatus(await w.otherLender.get('/api/v1/early-warning/watch-list'), 200), 'items')).toEqual([]);
    expect(list(expectStatus(await w.otherLender.get('/api/v1/alerts?kind=facility.watch_list'), 200), 'items')).toEqual([]);
  });

  it('a repeated tick at the same level opens nothing new', async () => {
    await tick(0.8399);
    expect(await cases('facility.watch_list')).toHaveLength(1);
    expect(await cases('facility.ltv_warning')).toHaveLength(1);
  });

  it('−18 %: the margin call case, critical, with what cures it; the watch list entry ends', async () => {
    await tick(0.82);
    const [call] = await cases('facility.margin_call');
    expect(call?.severity).toBe('critical');
    expect(Number(call?.detail.numbers?.ltv)).toBeGreaterThanOrEqual(0.85);
    expect(Number(call?.detail.numbers?.repaymentToCure)).toBeGreaterThan(0);
    expect(list(expectStatus(await w.lender.get('/api/v1/early-warning/watch-list'), 200), 'items')).toEqual([]);
    const calls = list(expectStatus(await w.lender.get(`/api/v1/margin-calls?facilityId=${facilityId}`), 200), 'items');
    expect(calls).toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it('a repayment that cures the call is seen by the rules too: the LTV level clears', async () => {
    const facility = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
    const cure = (Number(text(facility, 'figures.outstanding.amount')) * 0.2).toFixed(2);
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: cure, currency: 'USD' } }), 201);
    await w.bus.idle();
    await w.app.earlyWarning.idle();
    const state = await w.db.prisma.warningState.findUnique({ where: { subject_rule: { subject: `facility:${facilityId}`, rule: 'facility.ltv' } } });
    expect(state?.level).toBe('clear');
  });

  it('proceeds in another currency repay the facility at the FX rate (a price), and are refused without one', async () => {
    const lines = list(expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200), 'collateral') as { receiptId: string }[];
    const receiptId = lines[0]?.receiptId ?? '';
    expectStatus(await w.lender.post(`/api/v1/receipts/${receiptId}/call`, { reason: 'default' }), 200);
    const before = Number(text(expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200), 'figures.outstanding.amount'));
    const refused = expectStatus(await w.lender.post(`/api/v1/receipts/${receiptId}/liquidate`, { proceeds: { amount: '100000', currency: 'EUR' } }), 422);
    expect(refused).toMatchObject({ details: { code: 'no_fx_rate', from: 'EUR', to: 'USD' } });
    // EURUSD 1.10 as the price of fx_eur in USD.
    expectStatus(await w.risk.post('/api/v1/prices', { commodity: 'fx_eur', price: { amount: '1.10', currency: 'USD' }, source: 'test-fx' }), 201);
    expectStatus(await w.lender.post(`/api/v1/receipts/${receiptId}/liquidate`, { proceeds: { amount: '100000', currency: 'EUR' } }), 200);
    const after = Number(text(expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200), 'figures.outstanding.amount'));
    expect(before - after).toBeCloseTo(Math.min(before, 110_000), 2);
  });
});
