import { classOfCommodity, COMMODITY_CLASSES, type CommodityClassId } from './commodity-classes.ts';
import { DEFAULT_HAIRCUT_CAP, type HaircutParams } from './haircut.ts';
import { RISKMETRICS_LAMBDA } from '../prices/ewma-volatility.ts';

// What an administrator may set per commodity (commodity_terms); anything left unset
// falls back to the commodity's class (commodity-classes.ts) and the module defaults.
export interface CommodityOverrides {
  readonly classId?: CommodityClassId | undefined;
  readonly priceUnit?: string | null | undefined;
  readonly haircutFloor?: string | null | undefined;
  readonly haircutZ?: string | null | undefined;
  readonly liquidationDays?: number | null | undefined;
  readonly haircutCap?: string | null | undefined;
  readonly ewmaLambda?: string | null | undefined;
  readonly densityKgPerM3?: string | null | undefined;
}

export interface CommodityTerms {
  readonly commodity: string;
  readonly classId: CommodityClassId;
  readonly configured: boolean;
  // Unit new price series are quoted in when a tick names none.
  readonly priceUnit: string;
  readonly haircut: HaircutParams;
  readonly haircutCap: string;
  readonly ewmaLambda: string;
  readonly densityKgPerM3: string | undefined;
}

// The metric tonne is the unit of most exchange-traded commodity prices (LME, ICE, CBOT
// in metric contracts); a feed that names no unit and a commodity without configured
// terms are taken to quote per tonne.
export const DEFAULT_PRICE_UNIT = 't';

export function resolveCommodityTerms(commodity: string, overrides: CommodityOverrides | null): CommodityTerms {
  const classId = overrides?.classId ?? classOfCommodity(commodity);
  const defaults = COMMODITY_CLASSES[classId].haircut;
  return {
    commodity,
    classId,
    configured: overrides !== null,
    priceUnit: overrides?.priceUnit ?? DEFAULT_PRICE_UNIT,
    haircut: {
      floor: overrides?.haircutFloor ?? defaults.floor,
      z: overrides?.haircutZ ?? defaults.z,
      liquidationDays: overrides?.liquidationDays ?? defaults.liquidationDays,
    },
    haircutCap: overrides?.haircutCap ?? DEFAULT_HAIRCUT_CAP,
    ewmaLambda: overrides?.ewmaLambda ?? RISKMETRICS_LAMBDA,
    densityKgPerM3: overrides?.densityKgPerM3 ?? undefined,
  };
}
