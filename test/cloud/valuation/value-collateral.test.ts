import { describe, expect, it } from 'vitest';
import { valueCollateral } from '../../../cloud/valuation/value-collateral.ts';
import type { ReceiptValuationInput } from '../../../cloud/valuation/value-receipt.ts';

function receipt(id: string, commodity: string, warehouseId: string, tonnes: string, haircut: string): ReceiptValuationInput {
  return {
    receiptId: id,
    warehouseId,
    commodity,
    verifiedQuantity: { value: tonnes, unit: 't' },
    price: { amount: '1000', currency: 'USD', unit: 't' },
    haircut,
  };
}

// Facility collateral before concentration (price 1 000 USD/t):
//   R1 copper WH-A 600 000, R2 copper WH-B 200 000, R3 wheat WH-A 200 000; total 1 000 000
const receipts = [
  receipt('R1', 'copper', 'WH-A', '600', '0.1'),
  receipt('R2', 'copper', 'WH-B', '200', '0.1'),
  receipt('R3', 'wheat', 'WH-A', '200', '0.2'),
];

describe('facility collateral valuation with concentration reserves', () => {
  it('reserves the excess above the configured share, allocated pro rata', () => {
    const valuation = valueCollateral({
      currency: 'USD',
      receipts,
      concentration: {
        // Commodity: copper 800 000 = 80% > 50%; excess 800 000 − 0.5 × 1 000 000 = 300 000,
        // reserved in full: R1 300 000 × 600/800 = 225 000, R2 300 000 × 200/800 = 75 000.
        commodity: { maxShare: '0.5', reserveRate: '1' },
        // Warehouse: WH-A 800 000 = 80% > 70%; excess 100 000, half reserved = 50 000:
        // R1 50 000 × 600/800 = 37 500, R3 50 000 × 200/800 = 12 500.
        warehouse: { maxShare: '0.7', reserveRate: '0.5' },
      },
    });
    const byId = new Map(valuation.receipts.map((r) => [r.receiptId, r]));
    // R1: 600 000 − 225 000 − 37 500 = 337 500; × (1 − 0.1) = 303 750
    expect(byId.get('R1')).toMatchObject({
      commodityConcentrationReserve: '225000',
      warehouseConcentrationReserve: '37500',
      concentrationReserve: '262500',
      collateralValue: '337500',
      lendingValue: '303750',
    });
    // R2: 200 000 − 75 000 = 125 000; × 0.9 = 112 500
    expect(byId.get('R2')).toMatchObject({ concentrationReserve: '75000', collateralValue: '125000', lendingValue: '112500' });
    // R3: 200 000 − 12 500 = 187 500; × 0.8 = 150 000
    expect(byId.get('R3')).toMatchObject({ concentrationReserve: '12500', collateralValue: '187500', lendingValue: '150000' });
    expect(valuation.totals).toEqual({
      grossValue: '1000000',
      valueBeforeConcentration: '1000000',
      concentrationReserve: '350000',
      collateralValue: '650000',
      haircutAmount: '83750',
      lendingValue: '566250',
    });
    expect(valuation.concentration).toEqual([
      { dimension: 'commodity', key: 'copper', value: '800000', share: '0.8', maxShare: '0.5', excess: '300000', reserve: '300000' },
      { dimension: 'commodity', key: 'wheat', value: '200000', share: '0.2', maxShare: '0.5', excess: '0', reserve: '0' },
      { dimension: 'warehouse', key: 'WH-A', value: '800000', share: '0.8', maxShare: '0.7', excess: '100000', reserve: '50000' },
      { dimension: 'warehouse', key: 'WH-B', value: '200000', share: '0.2', maxShare: '0.7', excess: '0', reserve: '0' },
    ]);
  });

  it('applies no reserve when no limit is configured', () => {
    const valuation = valueCollateral({ currency: 'USD', receipts });
    // 600 000 × 0.9 + 200 000 × 0.9 + 200 000 × 0.8 = 540 000 + 180 000 + 160 000
    expect(valuation.totals.lendingValue).toBe('880000');
    expect(valuation.totals.concentrationReserve).toBe('0');
  });

  it('excludes receipts it cannot value and says why', () => {
    const eur = { ...receipt('R4', 'zinc', 'WH-B', '10', '0.1'), price: { amount: '1', currency: 'EUR', unit: 't' } };
    const bad = { ...receipt('R5', 'zinc', 'WH-B', '10', '0.1'), verifiedQuantity: { value: '10', unit: 'bushel' } };
    const valuation = valueCollateral({ currency: 'USD', receipts: [...receipts, eur, bad] });
    expect(valuation.receipts).toHaveLength(3);
    expect(valuation.rejected.map((r) => [r.receiptId, r.code])).toEqual([
      ['R4', 'currency_mismatch'],
      ['R5', 'unknown_unit'],
    ]);
  });
});
