import { describe, expect, it } from 'vitest';
import { valueReceipt, type ReceiptValuationInput } from '../../../cloud/valuation/value-receipt.ts';

const copper: ReceiptValuationInput = {
  receiptId: 'EWR-1',
  warehouseId: 'WH-A',
  commodity: 'copper',
  verifiedQuantity: { value: '250000', unit: 'kg' },
  price: { amount: '8500.00', currency: 'USD', unit: 't' },
  gradeFactor: '0.98',
  shrinkageRate: '0.005',
  haircut: '0.15',
};

describe('receipt valuation', () => {
  it('applies unit conversion, grade factor, shrinkage reserve and haircut, showing the working', () => {
    const result = valueReceipt(copper);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.valuation).toEqual({
      receiptId: 'EWR-1',
      warehouseId: 'WH-A',
      commodity: 'copper',
      currency: 'USD',
      verifiedQuantity: { value: '250000', unit: 'kg' },
      priceUnit: 't',
      unitConversionFactor: '0.001', // kg → t
      quantityInPriceUnit: '250', // 250 000 kg × 0.001 = 250 t
      price: '8500',
      grossValue: '2125000', // 250 t × 8 500 USD/t
      gradeFactor: '0.98',
      sensorConditionFactor: '1',
      qualityFactor: '0.98', // 0.98 × 1
      qualityAdjustedValue: '2082500', // 2 125 000 × 0.98
      shrinkageRate: '0.005',
      shrinkageReserve: '10412.5', // 2 082 500 × 0.005
      valueBeforeConcentration: '2072087.5', // 2 082 500 − 10 412.5
      commodityConcentrationReserve: '0',
      warehouseConcentrationReserve: '0',
      concentrationReserve: '0',
      collateralValue: '2072087.5',
      haircut: '0.15',
      haircutAmount: '310813.125', // 2 072 087.5 × 0.15
      lendingValue: '1761274.375', // 2 072 087.5 × 0.85
    });
  });

  it('multiplies grade and sensor-condition factors', () => {
    // 100 t × 250 USD/t = 25 000; quality 1.02 × 0.9 = 0.918 → 22 950; haircut 0.2 → 18 360
    const result = valueReceipt({
      receiptId: 'EWR-2',
      warehouseId: 'WH-B',
      commodity: 'wheat',
      verifiedQuantity: { value: '100', unit: 't' },
      price: { amount: '250', currency: 'USD', unit: 't' },
      gradeFactor: '1.02',
      sensorConditionFactor: '0.9',
      haircut: '0.2',
    });
    expect(result.ok && result.valuation).toMatchObject({
      qualityFactor: '0.918',
      qualityAdjustedValue: '22950',
      collateralValue: '22950',
      lendingValue: '18360',
    });
  });

  it('values fuel stored by volume and priced by mass with a density', () => {
    // 1 000 m³ × 845 kg/m³ = 845 t; 845 t × 700 USD/t = 591 500; haircut 0.25 → 443 625
    const result = valueReceipt({
      receiptId: 'EWR-3',
      warehouseId: 'TANK-1',
      commodity: 'diesel',
      verifiedQuantity: { value: '1000', unit: 'm3' },
      price: { amount: '700', currency: 'USD', unit: 't' },
      densityKgPerM3: '845',
      haircut: '0.25',
    });
    expect(result.ok && result.valuation).toMatchObject({ quantityInPriceUnit: '845', grossValue: '591500', lendingValue: '443625' });
  });

  it('caps combined concentration reserves at the receipt value', () => {
    const result = valueReceipt({ ...copper, shrinkageRate: '0' }, { commodity: '2000000', warehouse: '500000' });
    // value before concentration 2 082 500; reserves 2 500 000 capped to 2 082 500
    expect(result.ok && result.valuation).toMatchObject({ concentrationReserve: '2082500', collateralValue: '0', lendingValue: '0' });
  });

  it('returns a typed error for bad input instead of a value', () => {
    expect(valueReceipt({ ...copper, price: { ...copper.price, unit: 'bushel' } })).toMatchObject({ ok: false, error: { code: 'unknown_unit' } });
    expect(valueReceipt({ ...copper, price: { ...copper.price, unit: 'm3' } })).toMatchObject({ ok: false, error: { code: 'density_required' } });
    expect(valueReceipt({ ...copper, haircut: '1.5' })).toMatchObject({ ok: false, error: { code: 'invalid_number' } });
    expect(valueReceipt({ ...copper, sensorConditionFactor: '1.1' })).toMatchObject({ ok: false, error: { code: 'invalid_number' } });
    expect(valueReceipt({ ...copper, verifiedQuantity: { value: '1e3', unit: 'kg' } })).toMatchObject({ ok: false, error: { code: 'invalid_number' } });
    expect(valueReceipt({ ...copper, price: { ...copper.price, currency: 'usd' } })).toMatchObject({ ok: false, error: { code: 'invalid_currency' } });
  });
});
