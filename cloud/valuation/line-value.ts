import { Dec, toPlain } from './decimal.ts';
import { toStored } from './db-decimal.ts';
import { valueReceipt, type ReceiptValuation, type ReceiptValuationInput } from './value-receipt.ts';

// What a facility counts for one pledged receipt (a row of collateral_line).
export interface LineValue {
  readonly priceUnit: string | null;
  // Value at a price of 1 per price unit after quality factors and shrinkage. The
  // valuation of value-receipt.ts is linear in the price, so a price tick revalues a
  // line as unitValue × price × (1 − haircut) without running the core per receipt
  // (cloud/risk/revalue-series.ts); test/cloud/valuation/line-value.int.test.ts checks
  // that both give the same figures.
  readonly unitValue: string | null;
  readonly price: string | null;
  readonly haircut: string | null;
  readonly concentrationReserve: string;
  readonly collateralValue: string;
  readonly lendingValue: string;
  readonly problem: string | null;
  // Set when the commodity is priced in another currency than the facility's and was
  // converted: the series' currency and the rate applied (facility currency per unit).
  readonly priceCurrency: string | null;
  readonly fxRate: string | null;
}

export interface LineReceipt {
  readonly id: string;
  readonly siteId: string;
  readonly commodity: string;
  readonly verifiedQuantity: string;
  readonly unit: string;
  readonly gradeFactor: string;
  readonly sensorConditionFactor: string;
  readonly shrinkageRate: string;
}

export interface LinePrice {
  readonly price: string;
  readonly currency: string;
  readonly unit: string;
  readonly haircut: string;
  /** When `price` was converted from a series in another currency (cloud/risk/series-price.ts). */
  readonly fx?: { readonly from: string; readonly rate: string };
}

export function valuationInput(receipt: LineReceipt, price: LinePrice, densityKgPerM3?: string): ReceiptValuationInput {
  return {
    receiptId: receipt.id,
    warehouseId: receipt.siteId,
    commodity: receipt.commodity,
    verifiedQuantity: { value: receipt.verifiedQuantity, unit: receipt.unit },
    price: { amount: price.price, currency: price.currency, unit: price.unit },
    gradeFactor: receipt.gradeFactor,
    sensorConditionFactor: receipt.sensorConditionFactor,
    shrinkageRate: receipt.shrinkageRate,
    haircut: price.haircut,
    ...(densityKgPerM3 === undefined ? {} : { densityKgPerM3 }),
  };
}

const worthless = (problem: string, priceUnit: string | null = null): LineValue => ({
  priceUnit,
  unitValue: null,
  price: null,
  haircut: null,
  concentrationReserve: '0',
  collateralValue: '0',
  lendingValue: '0',
  problem,
  priceCurrency: null,
  fxRate: null,
});

// A receipt that cannot be valued counts for nothing, with the reason kept on the line:
// a missing price lowers availability rather than failing the facility.
export function lineValue(receipt: LineReceipt, price: LinePrice | undefined, currency: string, densityKgPerM3?: string): LineValue {
  if (price === undefined) return worthless(`no ${receipt.commodity} price in ${currency}, nor in a currency with a known ${currency} exchange rate`);
  const atUnitPrice = valueReceipt(valuationInput(receipt, { ...price, price: '1', haircut: '0' }, densityKgPerM3));
  if (!atUnitPrice.ok) return worthless(atUnitPrice.error.message, price.unit);
  const full = valueReceipt(valuationInput(receipt, price, densityKgPerM3));
  if (!full.ok) return worthless(full.error.message, price.unit);
  return fromValuation(full.valuation, atUnitPrice.valuation.valueBeforeConcentration, price);
}

export function fromValuation(valuation: ReceiptValuation, unitValue: string, price: LinePrice): LineValue {
  return {
    priceUnit: price.unit,
    unitValue: toPlain(new Dec(unitValue)),
    price: price.price,
    haircut: price.haircut,
    concentrationReserve: toStored(valuation.concentrationReserve),
    collateralValue: toStored(valuation.collateralValue),
    lendingValue: toStored(valuation.lendingValue),
    problem: null,
    priceCurrency: price.fx?.from ?? null,
    fxRate: price.fx?.rate ?? null,
  };
}
