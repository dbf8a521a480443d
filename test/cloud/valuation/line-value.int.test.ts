import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineValue } from '../../../cloud/valuation/line-value.ts';
import { valueCollateral } from '../../../cloud/valuation/value-collateral.ts';
import { valuationInput } from '../../../cloud/valuation/line-value.ts';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import { expectStatus, facilityBody, receiptBody, seedCloses, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';

type LineRow = {
  receipt_id: string;
  collateral_value: string;
  lending_value: string;
  concentration_reserve: string;
  verified_quantity: string;
  unit: string;
  grade_factor: string;
  sensor_condition_factor: string;
  shrinkage_rate: string;
  site_id: string;
  commodity: string;
  price: string;
  haircut: string;
  series_unit: string;
};

const receiptFields = fc.record({
  quantity: fc.integer({ min: 1, max: 50_000_000 }).map((n) => new Dec(n).dividedBy(1000).toFixed()),
  unit: fc.constantFrom('t', 'kg', 'lb', 'short_ton'),
  gradeFactor: fc.integer({ min: 800, max: 1100 }).map((n) => new Dec(n).dividedBy(1000).toFixed()),
  sensorConditionFactor: fc.integer({ min: 900, max: 1000 }).map((n) => new Dec(n).dividedBy(1000).toFixed()),
  shrinkageRate: fc.integer({ min: 0, max: 500 }).map((n) => new Dec(n).dividedBy(10_000).toFixed()),
});

// A price tick revalues lines in SQL as unitValue × price × (1 − haircut); the valuation
// core computes quantity × price × quality − shrinkage, then the haircut. Both must give
// the same stored figures, for any receipt.
describe('set-based revaluation agrees with the valuation core', () => {
  let w: CollateralWorld;
  beforeAll(async () => {
    w = await startCollateralWorld();
    // Volatile enough (about 5 % a day) for the haircut to be set by risk, not the floor,
    // and to move when today's first tick closes yesterday.
    await seedCloses(w.admin, 'copper', ['8000', '8400', '7900', '8300']);
  });
  afterAll(() => w.close());

  async function storedLines(facilityId: string): Promise<LineRow[]> {
    return w.db.sql.query<LineRow>(
      `SELECT l.receipt_id, l.collateral_value::text, l.lending_value::text, l.concentration_reserve::text, r.verified_quantity::text, r.unit,
              r.grade_factor::text, r.sensor_condition_factor::text, r.shrinkage_rate::text, r.site_id, r.commodity,
              s.last_price::text AS price, s.haircut::text, s.unit AS series_unit
       FROM collateral_line l JOIN receipt r ON r.id = l.receipt_id JOIN price_series s ON s.commodity = l.commodity AND s.currency = l.currency
       WHERE l.facility_id = $1 ORDER BY l.receipt_id`,
      [facilityId],
    );
  }

  const asLineReceipt = (row: LineRow) => ({
    id: row.receipt_id,
    siteId: row.site_id,
    commodity: row.commodity,
    verifiedQuantity: row.verified_quantity,
    unit: row.unit,
    gradeFactor: row.grade_factor,
    sensorConditionFactor: row.sensor_condition_factor,
    shrinkageRate: row.shrinkage_rate,
  });

  it('for random receipts, after ticks that change the price and the haircut', async () => {
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ limit: { amount: '999999999999', currency: 'USD' } })), 201), 'id');
    for (const r of fc.sample(receiptFields, { numRuns: 25, seed: 7 })) {
      const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ ...r, quantity: { value: r.quantity, unit: r.unit } })), 201);
      expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    }
    const haircuts = new Set([(await storedLines(facilityId))[0]?.haircut]);
    for (const price of ['8123.45', '7777.777', '9001']) {
      expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: price, currency: 'USD' } }), 201);
      const lines = await storedLines(facilityId);
      haircuts.add(lines[0]?.haircut ?? '');
      expect(lines).toHaveLength(25);
      for (const row of lines) {
        const core = lineValue(asLineReceipt(row), { price: row.price, currency: 'USD', unit: row.series_unit, haircut: row.haircut }, 'USD');
        expect(row.collateral_value).toBe(new Dec(core.collateralValue).toFixed(12));
        expect(row.lending_value).toBe(new Dec(core.lendingValue).toFixed(12));
      }
    }
    expect(haircuts.size).toBeGreaterThan(1);
  });

  it('for a facility with concentration limits, line by line as value-collateral.ts allocates the reserves', async () => {
    await seedCloses(w.admin, 'zinc', ['2500', '2550', '2540']);
    const facilityId = text(
      expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ concentration: { commodity: { maxShare: '0.5', reserveRate: '1' }, warehouse: { maxShare: '0.7', reserveRate: '0.5' } } })), 201),
      'id',
    );
    for (const overrides of [{ commodity: 'copper' }, { commodity: 'copper', siteId: 's-a2' }, { commodity: 'zinc', quantity: { value: '30', unit: 't' } }]) {
      const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody(overrides)), 201);
      expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    }
    expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'copper', price: { amount: '8200', currency: 'USD' } }), 201);
    const lines = await storedLines(facilityId);
    const core = valueCollateral({
      currency: 'USD',
      receipts: lines.map((row) => valuationInput(asLineReceipt(row), { price: row.price, currency: 'USD', unit: row.series_unit, haircut: row.haircut })),
      concentration: { commodity: { maxShare: '0.5', reserveRate: '1' }, warehouse: { maxShare: '0.7', reserveRate: '0.5' } },
    });
    expect(core.totals.concentrationReserve).not.toBe('0');
    for (const row of lines) {
      const expected = core.receipts.find((r) => r.receiptId === row.receipt_id);
      expect(new Dec(row.concentration_reserve).toFixed(12)).toBe(new Dec(expected?.concentrationReserve ?? 'NaN').toFixed(12));
      expect(new Dec(row.lending_value).toFixed(12)).toBe(new Dec(expected?.lendingValue ?? 'NaN').toFixed(12));
    }
    const f = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
    expect(new Dec(text(f, 'figures.lendingValue.amount')).equals(new Dec(core.totals.lendingValue).toDecimalPlaces(2, Dec.ROUND_DOWN))).toBe(true);
  });

  it('values a receipt pledged before its commodity had any price once the first tick arrives', async () => {
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ commodity: 'tin', quantity: { value: '2', unit: 't' } })), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    const before = expectStatus(await w.lender.get(`/api/v1/receipts/${text(receipt, 'id')}`), 200);
    expect(before).toMatchObject({ valuation: { lendingValue: '0', problem: 'no tin price in USD, nor in a currency with a known USD exchange rate', price: null } });
    // The first tick of a series has no volatility yet: the haircut is the cap, 0.95.
    // 2 t × 25 000 × (1 − 0.95) = 2 500.
    const tick = expectStatus(await w.admin.post('/api/v1/prices', { commodity: 'tin', price: { amount: '25000', currency: 'USD' } }), 201);
    expect(tick).toMatchObject({ revaluation: { lines: 1, facilities: 1 } });
    const after = expectStatus(await w.lender.get(`/api/v1/receipts/${text(receipt, 'id')}`), 200);
    expect(after).toMatchObject({ valuation: { price: '25000', haircut: '0.95', collateralValue: '50000', lendingValue: '2500', problem: null } });
  });
});
