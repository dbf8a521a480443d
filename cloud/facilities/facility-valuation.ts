import { Type, type Static } from 'typebox';
import type { Facility, PrismaClient } from '../db/generated/client.ts';
import { linePricer, lineReceipt, type CommodityPricing } from '../risk/collateral-lines.ts';
import { valuationInput } from '../valuation/line-value.ts';
import { valueCollateral } from '../valuation/value-collateral.ts';
import { DecimalString, Quantity } from '../valuation/wire-schemas.ts';
import { concentrationOf } from './facility-row.ts';

const S = DecimalString;

export const ReceiptValuationView = Type.Object({
  receiptId: Type.String(),
  warehouseId: Type.String(),
  commodity: Type.String(),
  currency: Type.String(),
  verifiedQuantity: Quantity,
  priceUnit: Type.String(),
  unitConversionFactor: S,
  quantityInPriceUnit: S,
  price: S,
  grossValue: S,
  gradeFactor: S,
  sensorConditionFactor: S,
  qualityFactor: S,
  qualityAdjustedValue: S,
  shrinkageRate: S,
  shrinkageReserve: S,
  valueBeforeConcentration: S,
  commodityConcentrationReserve: S,
  warehouseConcentrationReserve: S,
  concentrationReserve: S,
  collateralValue: S,
  haircut: S,
  haircutAmount: S,
  lendingValue: S,
  fx: Type.Optional(
    Type.Object(
      { from: Type.String(), rate: S },
      { description: 'the commodity is priced in `from` and converted at `rate` (facility currency per unit); the currency-mismatch haircut is included in `haircut`' },
    ),
  ),
});

export const FacilityValuationView = Type.Object({
  facilityId: Type.String(),
  currency: Type.String(),
  receipts: Type.Array(ReceiptValuationView),
  rejected: Type.Array(Type.Object({ receiptId: Type.String(), code: Type.String(), message: Type.String() })),
  concentration: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  haircuts: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), { description: 'haircut breakdown per commodity' }),
  totals: Type.Object({
    grossValue: S,
    valueBeforeConcentration: S,
    concentrationReserve: S,
    collateralValue: S,
    haircutAmount: S,
    lendingValue: S,
  }),
});

/**
 * Runs the valuation core over a facility's pledged receipts with today's prices, for
 * a line-by-line explanation of the stored figures.
 */
export async function valueFacilityCollateral(prisma: PrismaClient, facility: Facility): Promise<Static<typeof FacilityValuationView>> {
  const lines = await prisma.collateralLine.findMany({ where: { facilityId: facility.id }, include: { receipt: true }, orderBy: { receiptId: 'asc' } });
  const commodities = [...new Set(lines.map((l) => l.commodity))];
  const series = await prisma.priceSeries.findMany({ where: { commodity: { in: commodities }, currency: facility.currency } });
  const pricer = linePricer(prisma);
  const pricing = new Map<string, CommodityPricing>();
  for (const commodity of commodities) pricing.set(commodity, await pricer(commodity, facility.currency));
  const rejected: { receiptId: string; code: string; message: string }[] = [];
  const inputs = lines.flatMap((line) => {
    const price = pricing.get(line.commodity)?.price;
    if (price === undefined) {
      rejected.push({ receiptId: line.receiptId, code: 'no_price', message: `no ${line.commodity} price in ${facility.currency}, nor in a currency with a known ${facility.currency} exchange rate` });
      return [];
    }
    return [valuationInput(lineReceipt(line.receipt), price, pricing.get(line.commodity)?.densityKgPerM3)];
  });
  const concentration = concentrationOf(facility);
  const valuation = valueCollateral({ currency: facility.currency, receipts: inputs, ...(concentration === undefined ? {} : { concentration }) });
  return {
    facilityId: facility.id,
    currency: facility.currency,
    receipts: valuation.receipts.map((r) => {
      const fx = pricing.get(r.commodity)?.price?.fx;
      return fx === undefined ? { ...r } : { ...r, fx: { ...fx } };
    }),
    rejected: [...rejected, ...valuation.rejected.map((r) => ({ ...r }))],
    concentration: valuation.concentration.map((g) => ({ ...g })),
    haircuts: Object.fromEntries(series.map((s) => [s.commodity, s.haircutBreakdown as Record<string, unknown>])),
    totals: { ...valuation.totals },
  };
}
