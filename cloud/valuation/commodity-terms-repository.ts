import type { Db } from '../audit/audit-log.ts';
import type { CommodityClassId } from './commodity-classes.ts';
import { resolveCommodityTerms, type CommodityOverrides, type CommodityTerms } from './commodity-terms.ts';
import { fromDbOrNull } from './db-decimal.ts';

export async function loadCommodityTerms(db: Db, commodity: string): Promise<CommodityTerms> {
  const row = await db.commodityTerms.findUnique({ where: { commodity } });
  if (row === null) return resolveCommodityTerms(commodity, null);
  const overrides: CommodityOverrides = {
    classId: row.classId as CommodityClassId,
    priceUnit: row.priceUnit,
    haircutFloor: fromDbOrNull(row.haircutFloor),
    haircutZ: fromDbOrNull(row.haircutZ),
    liquidationDays: row.liquidationDays,
    haircutCap: fromDbOrNull(row.haircutCap),
    ewmaLambda: fromDbOrNull(row.ewmaLambda),
    densityKgPerM3: fromDbOrNull(row.densityKgPerM3),
  };
  return resolveCommodityTerms(commodity, overrides);
}

export async function saveCommodityTerms(db: Db, commodity: string, overrides: CommodityOverrides & { classId: CommodityClassId }): Promise<void> {
  const data = {
    classId: overrides.classId,
    priceUnit: overrides.priceUnit ?? null,
    haircutFloor: overrides.haircutFloor ?? null,
    haircutZ: overrides.haircutZ ?? null,
    liquidationDays: overrides.liquidationDays ?? null,
    haircutCap: overrides.haircutCap ?? null,
    ewmaLambda: overrides.ewmaLambda ?? null,
    densityKgPerM3: overrides.densityKgPerM3 ?? null,
    updatedAt: new Date(),
  };
  await db.commodityTerms.upsert({ where: { commodity }, create: { commodity, ...data }, update: data });
}
