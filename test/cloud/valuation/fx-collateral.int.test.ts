import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, field, num, receiptBody, seedCloses, startCollateralWorld, type CollateralWorld } from '../risk/support/collateral-world.ts';

// Collateral priced in EUR under a facility in USD (issue 22): the commodity's EUR price is
// converted at the latest fx_eur/USD rate and the 8 % currency-mismatch haircut is added to
// the commodity's own. Worked by hand: 100 t, grade and condition 1, no shrinkage.
//   price in USD  = EUR price × rate
//   lending value = 100 × price in USD × (1 − (h_copper + 0.08))
describe('collateral valued through an exchange rate', () => {
  let w: CollateralWorld;
  let facilityId = '';
  const clock = createTestClock();
  const facility = async () => expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
  const copperHaircut = async () => num(expectStatus(await w.lender.get('/api/v1/prices/copper/volatility?currency=EUR'), 200), 'haircut.haircut');

  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    // Copper is quoted only in EUR in this world.
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000'], 'EUR');
  });
  afterAll(() => w.close());

  it('counts a receipt for nothing, with the reason, while no exchange rate is known', async () => {
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ gradeFactor: '1', shrinkageRate: '0' })), 201);
    facilityId = expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201).id as string;
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    const f = await facility();
    expect(field(f, 'figures.lendingValue.amount')).toBe('0.00');
    expect(field(f, 'collateral.0')).toMatchObject({ price: null, fx: null, lendingValue: '0' });
    expect(String(field(f, 'collateral.0.problem'))).toContain('no copper price in USD');
  });

  it('values it once the rate arrives: 8000 EUR × 1.10 = 8800 USD/t, haircut h + 0.08', async () => {
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'fx_eur', price: { amount: '1.10', currency: 'USD' } }), 201);
    expect(field(tick, 'revaluation')).toMatchObject({ lines: 1, facilities: 1 });
    const h = await copperHaircut();
    const f = await facility();
    expect(field(f, 'collateral.0')).toMatchObject({ price: { amount: '8800', currency: 'USD', unit: 't' }, fx: { from: 'EUR', rate: '1.1' }, collateralValue: '880000', problem: null });
    expect(num(f, 'collateral.0.haircut')).toBeCloseTo(h + 0.08, 12);
    expect(num(f, 'figures.lendingValue.amount')).toBeCloseTo(880000 * (1 - h - 0.08), 2);

    // The line-by-line valuation explains the same figures and names the conversion.
    const valuation = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}/valuation`), 200);
    expect(field(valuation, 'rejected')).toEqual([]);
    expect(field(valuation, 'receipts.0')).toMatchObject({ price: '8800', grossValue: '880000', fx: { from: 'EUR', rate: '1.1' } });
  });

  it('revalues on a tick of the exchange rate: 8000 × 1.25 = 10 000 USD/t', async () => {
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'fx_eur', price: { amount: '1.25', currency: 'USD' } }), 201);
    expect(field(tick, 'revaluation')).toMatchObject({ lines: 1, facilities: 1 });
    const f = await facility();
    expect(field(f, 'collateral.0')).toMatchObject({ price: { amount: '10000' }, fx: { rate: '1.25' }, collateralValue: '1000000' });
    expect(num(f, 'figures.lendingValue.amount')).toBeCloseTo(1000000 * (1 - (await copperHaircut()) - 0.08), 2);
  });

  it('revalues on a tick of the commodity in its own currency: 7000 EUR × 1.25 = 8750 USD/t', async () => {
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: '7000', currency: 'EUR' } }), 201);
    expect(field(tick, 'revaluation')).toMatchObject({ lines: 1, facilities: 1 });
    const f = await facility();
    expect(field(f, 'collateral.0')).toMatchObject({ price: { amount: '8750' }, collateralValue: '875000' });
    expect(num(f, 'figures.lendingValue.amount')).toBeCloseTo(875000 * (1 - (await copperHaircut()) - 0.08), 2);
  });

  it('prefers a series in the facility currency, dropping the conversion and its haircut', async () => {
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: '9000', currency: 'USD' } }), 201);
    expect(field(tick, 'revaluation')).toMatchObject({ lines: 1, facilities: 1 });
    const f = await facility();
    expect(field(f, 'collateral.0')).toMatchObject({ price: { amount: '9000', currency: 'USD' }, fx: null, collateralValue: '900000' });
    const usdHaircut = num(expectStatus(await w.lender.get('/api/v1/prices/copper/volatility?currency=USD'), 200), 'haircut.haircut');
    expect(num(f, 'collateral.0.haircut')).toBeCloseTo(usdHaircut, 12);
  });
});
