import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, field, list, num, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

// Every figure below is worked by hand from the formulas of issue 7:
//   value         = verified quantity × price × grade factor × sensor factor, less shrinkage
//   haircut       = max(floor, z · σ_daily · √liquidationDays)      (capped at 0.95)
//   lending value = value × (1 − haircut)
//   available     = min(limit, Σ lending value × advance rate) − outstanding
//   LTV           = outstanding / Σ lending value
describe('haircut, valuation and LTV worked by hand', () => {
  let w: CollateralWorld;
  let facilityId: string;
  const clock = createTestClock();
  const facility = async (): Promise<Record<string, unknown>> => expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);

  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    // Copper (base metals: floor 0.10, z 2.33, 10 liquidation days, advance rate 0.70).
    // Closes 8000, 8080, then 8000 still pending (today's close comes with a later day):
    // one return r = ln(8080/8000) = ln 1.01 = 0.00995033085…, σ² seeded with r², σ = 0.00995033085.
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
    // Zinc, same class: closes 2500, 2550, 2550: r = ln 1.02 = 0.0198026273.
    await seedCloses(w.admin, 'zinc', ['2500', '2550', '2550']);
  });
  afterAll(() => w.close());

  it('haircut bound by the floor: 2.33 × 0.00995033 × √10 = 0.0733 < 0.10', async () => {
    const vol = expectStatus(await w.lender.get('/api/v1/prices/copper/volatility?currency=USD'), 200);
    expect(num(vol, 'sigmaDaily')).toBeCloseTo(0.00995033085, 10);
    expect(vol.returns).toBe(1);
    expect(vol.haircut).toMatchObject({ binding: 'floor', haircut: '0.1', floor: '0.1', z: '2.33', liquidationDays: 10 });
    expect(num(vol, 'haircut.riskHaircut')).toBeCloseTo(2.33 * 0.00995033085 * Math.sqrt(10), 9); // 0.07331…
  });

  it('haircut bound by risk: 2.33 × 0.0198026273 × √10 = 0.1459079 > 0.10', async () => {
    const vol = expectStatus(await w.lender.get('/api/v1/prices/zinc/volatility?currency=USD'), 200);
    expect(num(vol, 'sigmaDaily')).toBeCloseTo(0.0198026273, 10);
    expect(field(vol, 'haircut.binding')).toBe('risk');
    expect(text(vol, 'haircut.haircut').startsWith('0.14590787577')).toBe(true);
  });

  it('values a pledged receipt, then the facility availability and LTV', async () => {
    // 100 t at 8000 USD/t × grade 0.95 = 760 000; shrinkage 2 % = 15 200 → value 744 800.
    // Haircut 10 % → lending value 670 320. × advance rate 0.70 → borrowing base 469 224.
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ gradeFactor: '0.95', shrinkageRate: '0.02' })), 201);
    const created = expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ limit: { amount: '1000000', currency: 'USD' } })), 201);
    facilityId = created.id as string;
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    const f = await facility();
    expect(f.figures).toMatchObject({
      collateralValue: { amount: '744800.00', currency: 'USD' },
      lendingValue: { amount: '670320.00', currency: 'USD' },
      borrowingBase: { amount: '469224.00', currency: 'USD' },
      available: { amount: '469224.00', currency: 'USD' },
      ltv: '0',
      level: 'ok',
    });
    expect(field(f, 'collateral.0')).toMatchObject({ price: { amount: '8000', unit: 't' }, haircut: '0.1', collateralValue: '744800', lendingValue: '670320', advanceRate: '0.7', advanceValue: '469224' });

    const valuation = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}/valuation`), 200);
    expect(field(valuation, 'receipts.0')).toMatchObject({ grossValue: '800000', qualityFactor: '0.95', shrinkageReserve: '15200', collateralValue: '744800', haircutAmount: '74480', lendingValue: '670320' });
  });

  it('refuses a drawing one cent over availability with 422, accepts one within', async () => {
    const over = await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '469224.01', currency: 'USD' } });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', details: { code: 'exceeds_available', available: '469224.00', excess: '0.01' } });
    const wrongCurrency = await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1', currency: 'EUR' } });
    expect(wrongCurrency.statusCode).toBe(400);

    const drawn = expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '400000', currency: 'USD' } }), 201);
    // LTV = 400 000 / 670 320 = 0.59673…; available = 469 224 − 400 000 = 69 224.
    expect(field(drawn, 'facility.figures.available.amount')).toBe('69224.00');
    expect(num(drawn, 'facility.figures.ltv')).toBeCloseTo(400000 / 670320, 12);
    expect(field(drawn, 'facility.figures.level')).toBe('ok');
  });

  it('raises a margin call when a price tick pushes the LTV over 0.85, and cures it by repayment', async () => {
    // 5500 USD/t: value 100 × 5500 × 0.95 × 0.98 = 512 050, lending value 460 845.
    // LTV = 400 000 / 460 845 = 0.86797 ≥ 0.85: margin call, due in two days.
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: '5500', currency: 'USD' } }), 201);
    expect(field(tick, 'revaluation')).toMatchObject({ lines: 1, facilities: 1, marginCalls: { opened: 1, cured: 0, expired: 0 } });
    let f = await facility();
    expect(field(f, 'figures.lendingValue.amount')).toBe('460845.00');
    expect(field(f, 'figures.level')).toBe('margin-call');
    expect(num(f, 'figures.ltv')).toBeCloseTo(400000 / 460845, 12);
    // Borrowing base 460 845 × 0.7 = 322 591.50: nothing available, 77 408.50 short.
    expect(field(f, 'figures')).toMatchObject({ available: { amount: '0.00' }, shortfall: { amount: '77408.50' } });
    expect(field(f, 'marginCall')).toMatchObject({ status: 'open', cureBelow: '0.8' });
    expect(Date.parse(text(f, 'marginCall.dueAt')) - Date.parse(text(f, 'marginCall.openedAt'))).toBe(2 * 86_400_000);
    expect(w.changes.some((c) => c.reason === 'margin_call.opened' && c.facilityId === facilityId)).toBe(true);
    expect((await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: '1', currency: 'USD' } })).statusCode).toBe(422);

    // Cure: LTV strictly below 0.80 needs R > 400 000 − 0.8 × 460 845 = 31 324.
    // Repaying exactly 31 324 leaves LTV = 368 676 / 460 845 = 0.80: not cured yet.
    expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '31324', currency: 'USD' } }), 201);
    expect(field(await facility(), 'marginCall')).toMatchObject({ status: 'open', latestLtv: '0.8' });
    const cured = expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/repayments`, { amount: { amount: '0.01', currency: 'USD' } }), 201);
    expect(field(cured, 'facility.marginCall')).toBeNull();
    const calls = expectStatus(await w.risk.get(`/api/v1/margin-calls?facilityId=${facilityId}`), 200);
    expect(list(calls, 'items')).toHaveLength(1);
    expect(field(calls, 'items.0')).toMatchObject({ status: 'cured', curedBy: 'repayment' });
    f = await facility();
    expect(field(f, 'figures.outstanding.amount')).toBe('368675.99');
    expect(field(f, 'figures.level')).toBe('ok');
  });

  it('accrues interest on the daily balance, ACT/360', async () => {
    // Drawn 400 000 and repaid 31 324.01 today: the day closes at 368 675.99.
    // 30 days × 368 675.99 × 0.08 / 360 = 2 457.83993… → 2 457.84.
    const today = new Date().toISOString().slice(0, 10);
    const in30 = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const interest = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}/interest?from=${today}&to=${in30}`), 200);
    expect(interest).toMatchObject({ dayCount: 'ACT/360', days: 30, closingBalance: '368675.99', interest: { amount: '2457.84', currency: 'USD' } });
  });

  it('cures a margin call by pledging more collateral', async () => {
    // 5000 USD/t: lending value 100 × 5000 × 0.95 × 0.98 × 0.9 = 418 950;
    // LTV = 368 675.99 / 418 950 = 0.88 → margin call.
    expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: '5000', currency: 'USD' } }), 201);
    expect(field(await facility(), 'marginCall')).toMatchObject({ status: 'open' });
    // 20 t more at 5000, grade 1: lending value 90 000; LTV = 368 675.99 / 508 950 = 0.7244.
    const more = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ quantity: { value: '20', unit: 't' } })), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: more.id, facilityId }), 201);
    const f = await facility();
    expect(field(f, 'marginCall')).toBeNull();
    expect(field(f, 'figures.lendingValue.amount')).toBe('508950.00');
    expect(num(f, 'figures.ltv')).toBeCloseTo(368675.99 / 508950, 12);
    const calls = expectStatus(await w.risk.get(`/api/v1/margin-calls?facilityId=${facilityId}&status=cured`), 200);
    expect(list(calls, 'items').map((c) => field(c, 'curedBy')).sort()).toEqual(['collateral', 'repayment']);
  });

  it('expires an uncured margin call at its due time and freezes drawings until a risk officer lifts the hold', async () => {
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ commodity: 'zinc', quantity: { value: '10', unit: 't' } })), 201);
    const created = expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ curePeriodSeconds: 3600 })), 201);
    const id = created.id as string;
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: id }), 201);
    const before = expectStatus(await w.lender.get(`/api/v1/facilities/${id}`), 200);
    expectStatus(await w.lender.post(`/api/v1/facilities/${id}/drawdowns`, { amount: field(before, 'figures.available'), note: 'all of it' }), 201);
    // Halving the price doubles the LTV (0.70 → 1.40): margin call, due in an hour.
    expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'zinc', price: { amount: '1275', currency: 'USD' } }), 201);
    expect(expectStatus(await w.risk.post('/api/v1/risk/sweep'), 200)).toMatchObject({ marginCallsExpired: 0, facilitiesFrozen: 0 });
    clock.advance(3_600_001);
    const sweep = expectStatus(await w.risk.post('/api/v1/risk/sweep'), 200);
    expect(sweep).toMatchObject({ marginCallsExpired: 1, facilitiesFrozen: 1 });
    const frozen = expectStatus(await w.lender.get(`/api/v1/facilities/${id}`), 200);
    expect(field(frozen, 'frozen')).toBe(true);
    expect(field(frozen, 'marginCall.status')).toBe('expired');
    const holdId = text(frozen, 'holds.0.id');
    expect(field(frozen, 'holds.0.trigger')).toMatchObject({ kind: 'margin-call-overdue' });
    const refused = await w.lender.post(`/api/v1/facilities/${id}/repayments`, { amount: { amount: '1', currency: 'USD' } });
    expect(refused.statusCode).toBe(201); // repayments are always welcome
    const draw = await w.lender.post(`/api/v1/facilities/${id}/drawdowns`, { amount: { amount: '1', currency: 'USD' } });
    expect(draw.json()).toMatchObject({ statusCode: 422, details: { code: 'frozen' } });
    // Only a resolved case of the bank lifts a hold (issue 17).
    expect((await w.risk.post(`/api/v1/facilities/${id}/holds/${encodeURIComponent(holdId)}/resolve`, { caseId: 'CASE-1' })).statusCode).toBe(400);
    const caseId = text(expectStatus(await w.risk.post('/api/v1/alerts', { title: 'margin call overdue', severity: 'warning', site: 's-a1', lotId: receipt.lotId }), 201), 'id');
    expectStatus(await w.risk.post(`/api/v1/alerts/${caseId}/acknowledge`, { note: 'seen' }), 200);
    expectStatus(await w.risk.post(`/api/v1/alerts/${caseId}/resolve`, { finding: { kind: 'false_alarm' }, note: 'borrower topped up' }), 200);
    const lifted = expectStatus(await w.risk.post(`/api/v1/facilities/${id}/holds/${encodeURIComponent(holdId)}/resolve`, { caseId, note: 'borrower topped up' }), 200);
    expect(field(lifted, 'frozen')).toBe(false);
    expect((await w.risk.post(`/api/v1/facilities/${id}/holds/${encodeURIComponent(holdId)}/resolve`, { caseId })).statusCode).toBe(409);

    // A price sent without a time is stamped by the cloud's clock, the one that expired the call.
    const stampedFrom = clock.now().getTime();
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'zinc', price: { amount: '2550', currency: 'USD' } }), 201);
    expect(Date.parse(text(tick, 'series.ts'))).toBeGreaterThanOrEqual(stampedFrom);
  });
});
