import type { Facility, Receipt } from '../db/generated/client.ts';
import { concentrationOf } from '../facilities/facility-row.ts';
import { loadCommodityTerms } from '../valuation/commodity-terms-repository.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { fromValuation, lineValue, valuationInput, type LinePrice, type LineReceipt, type LineValue } from '../valuation/line-value.ts';
import { seriesPrice } from '../valuation/series-price.ts';
import { valueCollateral } from '../valuation/value-collateral.ts';
import type { Tx } from '../db/unit-of-work.ts';

export function lineReceipt(row: Receipt): LineReceipt {
  return {
    id: row.id,
    siteId: row.siteId,
    commodity: row.commodity,
    verifiedQuantity: fromDb(row.verifiedQuantity),
    unit: row.unit,
    gradeFactor: fromDb(row.gradeFactor),
    sensorConditionFactor: fromDb(row.sensorConditionFactor),
    shrinkageRate: fromDb(row.shrinkageRate),
  };
}

export function lineColumns(value: LineValue, now: Date) {
  return {
    priceUnit: value.priceUnit,
    unitValue: value.unitValue,
    price: value.price,
    haircut: value.haircut,
    concentrationReserve: value.concentrationReserve,
    collateralValue: value.collateralValue,
    lendingValue: value.lendingValue,
    problem: value.problem,
    priceCurrency: value.priceCurrency,
    fxRate: value.fxRate,
    valuedAt: now,
  };
}

export interface CommodityPricing {
  readonly price: LinePrice | undefined;
  readonly densityKgPerM3: string | undefined;
}

/**
 * A commodity's price in a currency (direct or through an exchange rate) and its density,
 * looked up once per commodity and currency for as long as the pricer is kept: one price
 * tick revaluing many lines, one facility's concentration pass.
 */
export function linePricer(tx: Tx): (commodity: string, currency: string) => Promise<CommodityPricing> {
  const cache = new Map<string, Promise<CommodityPricing>>();
  return (commodity, currency) => {
    const key = `${commodity}/${currency}`;
    let pricing = cache.get(key);
    if (pricing === undefined) {
      pricing = (async () => ({ price: await seriesPrice(tx, commodity, currency), densityKgPerM3: (await loadCommodityTerms(tx, commodity)).densityKgPerM3 }))();
      cache.set(key, pricing);
    }
    return pricing;
  };
}

/** Values one receipt for its facility, without concentration (added per facility). */
export async function valueReceiptLine(tx: Tx, receipt: Receipt | LineReceipt, currency: string, pricer = linePricer(tx)): Promise<LineValue> {
  const { price, densityKgPerM3 } = await pricer(receipt.commodity, currency);
  return lineValue('issuerTenantId' in receipt ? lineReceipt(receipt) : receipt, price, currency, densityKgPerM3);
}

/** Revalues the line of one pledged receipt; the caller refreshes the facility after. */
export async function revalueReceiptLine(tx: Tx, receipt: Receipt, facility: Facility, now: Date): Promise<void> {
  const value = await valueReceiptLine(tx, receipt, facility.currency);
  await tx.collateralLine.updateMany({ where: { receiptId: receipt.id }, data: lineColumns(value, now) });
}

/**
 * Revalues every line of a facility with concentration limits through the full core
 * (value-collateral.ts): a reserve depends on each group's share of the whole, so a
 * change to one receipt moves the others' figures too.
 */
export async function revalueConcentratedFacility(tx: Tx, facility: Facility, now: Date): Promise<void> {
  const concentration = concentrationOf(facility);
  if (concentration === undefined) return;
  const lines = await tx.collateralLine.findMany({ where: { facilityId: facility.id }, include: { receipt: true } });
  const pricer = linePricer(tx);
  const pricing = new Map<string, CommodityPricing>();
  for (const { commodity } of lines) pricing.set(commodity, await pricer(commodity, facility.currency));
  const priced = lines.flatMap((line) => {
    const price = pricing.get(line.commodity)?.price;
    return price === undefined ? [] : [{ line, price, input: valuationInput(lineReceipt(line.receipt), price, pricing.get(line.commodity)?.densityKgPerM3) }];
  });
  const valuation = valueCollateral({ currency: facility.currency, receipts: priced.map((p) => p.input), concentration });
  const byReceipt = new Map(valuation.receipts.map((v) => [v.receiptId, v] as const));
  for (const line of lines) {
    const price = pricing.get(line.commodity)?.price;
    const valued = byReceipt.get(line.receiptId);
    const lineReceiptValue = lineValue(lineReceipt(line.receipt), price, facility.currency, pricing.get(line.commodity)?.densityKgPerM3);
    const value = valued !== undefined && price !== undefined && lineReceiptValue.unitValue !== null
      ? fromValuation(valued, lineReceiptValue.unitValue, price)
      : lineReceiptValue;
    await tx.collateralLine.update({ where: { pledgeId: line.pledgeId }, data: lineColumns(value, now) });
  }
}
