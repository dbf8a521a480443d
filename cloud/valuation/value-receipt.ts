import { Dec, minDec, parseDecimal, toPlain } from './decimal.ts';
import { isCurrencyCode } from './money.ts';
import { canonicalUnit, conversionFactor } from './units.ts';

// Quantities travel as a decimal string with a unit (PROTOCOL.md, Cloud HTTP API).
export interface Quantity {
  readonly value: string;
  readonly unit: string;
}

// A price per unit of goods, e.g. 8 512.50 USD per t.
export interface UnitPrice {
  readonly amount: string;
  readonly currency: string;
  readonly unit: string;
}

export interface ReceiptValuationInput {
  readonly receiptId: string;
  readonly warehouseId: string;
  readonly commodity: string;
  // Quantity confirmed by the warehouse's sensors and RFID counts, not the quantity on
  // the face of the receipt: the bank lends against what is there.
  readonly verifiedQuantity: Quantity;
  readonly price: UnitPrice;
  // Price adjustment of the receipt's grade relative to the grade the price quotes
  // (1 = the benchmark grade; below 1 for off-grade goods, above 1 for premium grades).
  readonly gradeFactor?: string;
  // Deduction for storage conditions reported by sensors (temperature, humidity
  // excursions), in [0, 1]; 1 = conditions within specification.
  readonly sensorConditionFactor?: string;
  // Reserve for natural losses in storage (moisture loss, evaporation), a fraction of
  // the quality-adjusted value.
  readonly shrinkageRate?: string;
  // From computeHaircut(), a fraction in [0, 1].
  readonly haircut: string;
  // Needed only when one of the quantity and price units is a mass and the other a volume.
  readonly densityKgPerM3?: string;
}

// Reserve amounts allocated to this receipt by the facility-level concentration rule.
export interface ConcentrationAllocation {
  readonly commodity: string;
  readonly warehouse: string;
}

// Every intermediate of the valuation, as decimal strings, so that the UI and the audit
// trail can show the working line by line.
export interface ReceiptValuation {
  readonly receiptId: string;
  readonly warehouseId: string;
  readonly commodity: string;
  readonly currency: string;
  readonly verifiedQuantity: Quantity;
  readonly priceUnit: string;
  // quantityInPriceUnit = verifiedQuantity.value × unitConversionFactor
  readonly unitConversionFactor: string;
  readonly quantityInPriceUnit: string;
  readonly price: string;
  // grossValue = quantityInPriceUnit × price
  readonly grossValue: string;
  readonly gradeFactor: string;
  readonly sensorConditionFactor: string;
  // qualityFactor = gradeFactor × sensorConditionFactor
  readonly qualityFactor: string;
  // qualityAdjustedValue = grossValue × qualityFactor
  readonly qualityAdjustedValue: string;
  readonly shrinkageRate: string;
  // shrinkageReserve = qualityAdjustedValue × shrinkageRate
  readonly shrinkageReserve: string;
  // valueBeforeConcentration = qualityAdjustedValue − shrinkageReserve
  readonly valueBeforeConcentration: string;
  readonly commodityConcentrationReserve: string;
  readonly warehouseConcentrationReserve: string;
  // concentrationReserve = min(valueBeforeConcentration, commodity + warehouse reserves)
  readonly concentrationReserve: string;
  // collateralValue = valueBeforeConcentration − concentrationReserve
  readonly collateralValue: string;
  readonly haircut: string;
  // haircutAmount = collateralValue × haircut
  readonly haircutAmount: string;
  // lendingValue = collateralValue × (1 − haircut)
  readonly lendingValue: string;
}

export type ReceiptValuationErrorCode = 'invalid_number' | 'invalid_currency' | 'unknown_unit' | 'density_required';

export interface ReceiptValuationError {
  readonly receiptId: string;
  readonly code: ReceiptValuationErrorCode;
  readonly message: string;
}

export type ReceiptValuationResult =
  | { readonly ok: true; readonly valuation: ReceiptValuation }
  | { readonly ok: false; readonly error: ReceiptValuationError };

type Bounds = { readonly min: number; readonly max?: number };

function readNumber(text: string | undefined, fallback: string, bounds: Bounds): Dec | undefined {
  const value = parseDecimal(text ?? fallback);
  if (value === undefined || value.lessThan(bounds.min)) return undefined;
  if (bounds.max !== undefined && value.greaterThan(bounds.max)) return undefined;
  return value;
}

const ZERO_RESERVES: ConcentrationAllocation = { commodity: '0', warehouse: '0' };

// Values one receipt. Intermediates are kept exact (34 significant digits, see decimal.ts)
// and not rounded to minor units: rounding happens once, where a facility figure is
// reported (availability rounds down), so a breakdown adds up to the last digit.
export function valueReceipt(
  input: ReceiptValuationInput,
  concentration: ConcentrationAllocation = ZERO_RESERVES,
): ReceiptValuationResult {
  const fail = (code: ReceiptValuationErrorCode, message: string): ReceiptValuationResult => ({
    ok: false,
    error: { receiptId: input.receiptId, code, message },
  });
  const fields: ReadonlyArray<readonly [string, string | undefined, string, Bounds]> = [
    ['verifiedQuantity.value', input.verifiedQuantity.value, '0', { min: 0 }],
    ['price.amount', input.price.amount, '0', { min: 0 }],
    ['gradeFactor', input.gradeFactor, '1', { min: 0 }],
    ['sensorConditionFactor', input.sensorConditionFactor, '1', { min: 0, max: 1 }],
    ['shrinkageRate', input.shrinkageRate, '0', { min: 0, max: 1 }],
    ['haircut', input.haircut, '0', { min: 0, max: 1 }],
    ['commodityConcentrationReserve', concentration.commodity, '0', { min: 0 }],
    ['warehouseConcentrationReserve', concentration.warehouse, '0', { min: 0 }],
  ];
  const values: Dec[] = [];
  for (const [name, text, fallback, bounds] of fields) {
    const value = readNumber(text, fallback, bounds);
    if (value === undefined) {
      const range = bounds.max === undefined ? `>= ${bounds.min}` : `in [${bounds.min}, ${bounds.max}]`;
      return fail('invalid_number', `${name} must be a decimal ${range}, got "${text ?? fallback}"`);
    }
    values.push(value);
  }
  const [quantity, price, gradeFactor, sensorConditionFactor, shrinkageRate, haircut, commodityReserve, warehouseReserve] =
    values as [Dec, Dec, Dec, Dec, Dec, Dec, Dec, Dec];

  if (!isCurrencyCode(input.price.currency)) return fail('invalid_currency', `"${input.price.currency}" is not an ISO 4217 code`);

  let density: Dec | undefined;
  if (input.densityKgPerM3 !== undefined) {
    density = parseDecimal(input.densityKgPerM3);
    if (density === undefined || !density.greaterThan(0)) return fail('invalid_number', 'densityKgPerM3 must be a positive decimal');
  }
  const conversion = conversionFactor(input.verifiedQuantity.unit, input.price.unit, density);
  if (!conversion.ok) {
    return conversion.error.code === 'unknown_unit'
      ? fail('unknown_unit', `unknown unit "${conversion.error.unit}"`)
      : fail('density_required', `converting ${conversion.error.from} to ${conversion.error.to} needs a density`);
  }

  const quantityInPriceUnit = quantity.times(conversion.factor);
  const grossValue = quantityInPriceUnit.times(price);
  const qualityFactor = gradeFactor.times(sensorConditionFactor);
  const qualityAdjustedValue = grossValue.times(qualityFactor);
  const shrinkageReserve = qualityAdjustedValue.times(shrinkageRate);
  const valueBeforeConcentration = qualityAdjustedValue.minus(shrinkageReserve);
  // A receipt can be caught by both the commodity and the warehouse rule; together they
  // may take its whole value but never more.
  const concentrationReserve = minDec(valueBeforeConcentration, commodityReserve.plus(warehouseReserve));
  const collateralValue = valueBeforeConcentration.minus(concentrationReserve);
  const haircutAmount = collateralValue.times(haircut);
  const lendingValue = collateralValue.minus(haircutAmount);

  return {
    ok: true,
    valuation: {
      receiptId: input.receiptId,
      warehouseId: input.warehouseId,
      commodity: input.commodity,
      currency: input.price.currency,
      verifiedQuantity: { value: toPlain(quantity), unit: canonicalUnit(input.verifiedQuantity.unit) ?? input.verifiedQuantity.unit },
      priceUnit: canonicalUnit(input.price.unit) ?? input.price.unit,
      unitConversionFactor: toPlain(conversion.factor),
      quantityInPriceUnit: toPlain(quantityInPriceUnit),
      price: toPlain(price),
      grossValue: toPlain(grossValue),
      gradeFactor: toPlain(gradeFactor),
      sensorConditionFactor: toPlain(sensorConditionFactor),
      qualityFactor: toPlain(qualityFactor),
      qualityAdjustedValue: toPlain(qualityAdjustedValue),
      shrinkageRate: toPlain(shrinkageRate),
      shrinkageReserve: toPlain(shrinkageReserve),
      valueBeforeConcentration: toPlain(valueBeforeConcentration),
      commodityConcentrationReserve: toPlain(commodityReserve),
      warehouseConcentrationReserve: toPlain(warehouseReserve),
      concentrationReserve: toPlain(concentrationReserve),
      collateralValue: toPlain(collateralValue),
      haircut: toPlain(haircut),
      haircutAmount: toPlain(haircutAmount),
      lendingValue: toPlain(lendingValue),
    },
  };
}
