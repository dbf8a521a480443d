import { parseDecimal, toPlain } from './decimal.ts';
import { DEFAULT_Z, type HaircutParams } from './haircut.ts';

export type CommodityClassId =
  | 'precious_metals'
  | 'base_metals'
  | 'agricultural_bulk'
  | 'softs'
  | 'fuels'
  | 'other';

export interface AdvanceRateRange {
  readonly min: string;
  readonly max: string;
  readonly default: string;
}

export interface CommodityClass {
  readonly id: CommodityClassId;
  readonly label: string;
  readonly examples: readonly string[];
  readonly advanceRate: AdvanceRateRange;
  readonly haircut: HaircutParams;
}

// Defaults a lender starts from; each lender's credit policy calibrates its own.
//
// Advance-rate ranges are indicative market practice in warehouse-receipt and
// structured commodity finance: the more liquid, standardised and durable the goods,
// the higher the share of their (post-haircut) value a bank lends against. Exchange-
// deliverable metals sit at the top; perishable or quality-sensitive goods lower.
//
// Liquidation days follow the Basel comprehensive approach to collateral (Basel
// Framework CRE22), whose minimum holding periods are 5 business days for repo-style
// transactions, 10 for other capital-market transactions and 20 for secured lending;
// physical goods in a warehouse take at least as long as securities to sell, so only the
// most liquid (precious, LME/COMEX metals) are below 20 here, and perishable softs above it.
// Floors cover what volatility misses: gap risk, grade disputes, costs of sale.
export const COMMODITY_CLASSES: Readonly<Record<CommodityClassId, CommodityClass>> = {
  precious_metals: {
    id: 'precious_metals',
    label: 'Precious metals',
    examples: ['gold', 'silver', 'platinum', 'palladium'],
    // Deep spot markets (LBMA), no deterioration in storage: the highest advance rates.
    advanceRate: { min: '0.80', max: '0.90', default: '0.85' },
    haircut: { floor: '0.05', z: DEFAULT_Z, liquidationDays: 5 },
  },
  base_metals: {
    id: 'base_metals',
    label: 'Base metals',
    examples: ['copper', 'aluminium', 'zinc', 'nickel', 'lead', 'tin'],
    // LME-deliverable brands in approved warehouses sell within days.
    advanceRate: { min: '0.60', max: '0.80', default: '0.70' },
    haircut: { floor: '0.10', z: DEFAULT_Z, liquidationDays: 10 },
  },
  agricultural_bulk: {
    id: 'agricultural_bulk',
    label: 'Agricultural bulk (grains and oilseeds)',
    examples: ['wheat', 'maize', 'soybeans', 'rice', 'barley', 'sorghum'],
    // Storable for a season but exposed to moisture, pests and grade downgrades.
    advanceRate: { min: '0.55', max: '0.75', default: '0.65' },
    haircut: { floor: '0.15', z: DEFAULT_Z, liquidationDays: 20 },
  },
  softs: {
    id: 'softs',
    label: 'Softs',
    examples: ['coffee', 'cocoa', 'sugar', 'cotton', 'rubber', 'tea'],
    // Quality-graded and perishable; buyers need grading before they pay.
    advanceRate: { min: '0.50', max: '0.70', default: '0.60' },
    haircut: { floor: '0.15', z: DEFAULT_Z, liquidationDays: 30 },
  },
  fuels: {
    id: 'fuels',
    label: 'Fuels',
    examples: ['crude_oil', 'gasoil', 'diesel', 'gasoline', 'jet_fuel', 'fuel_oil'],
    // Liquid markets but volatile, with evaporation and contamination risk in tanks.
    advanceRate: { min: '0.50', max: '0.70', default: '0.60' },
    haircut: { floor: '0.15', z: DEFAULT_Z, liquidationDays: 10 },
  },
  other: {
    id: 'other',
    label: 'Other goods',
    examples: [],
    // Anything without an established class gets conservative terms until a credit
    // officer classifies it.
    advanceRate: { min: '0.30', max: '0.50', default: '0.40' },
    haircut: { floor: '0.25', z: DEFAULT_Z, liquidationDays: 30 },
  },
};

const CLASS_OF_COMMODITY: ReadonlyMap<string, CommodityClassId> = new Map(
  Object.values(COMMODITY_CLASSES).flatMap((c) => c.examples.map((e) => [e, c.id] as const)),
);

// Class of a commodity code (lower-case snake case, e.g. "crude_oil"); "other" when unknown.
export function classOfCommodity(commodity: string): CommodityClassId {
  const key = commodity.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return CLASS_OF_COMMODITY.get(key === 'corn' ? 'maize' : key === 'aluminum' ? 'aluminium' : key) ?? 'other';
}

export type AdvanceRateResolution =
  | { readonly ok: true; readonly advanceRate: string; readonly source: 'class-default' | 'facility' }
  | { readonly ok: false; readonly error: { readonly code: 'outside_class_range'; readonly advanceRate: string; readonly range: AdvanceRateRange } };

// A facility may set its own advance rate per class, but only within the class range:
// a rate above the range is a credit-policy exception, not a configuration value.
export function resolveAdvanceRate(classId: CommodityClassId, facilityRate?: string): AdvanceRateResolution {
  const range = COMMODITY_CLASSES[classId].advanceRate;
  if (facilityRate === undefined) return { ok: true, advanceRate: range.default, source: 'class-default' };
  const rate = parseDecimal(facilityRate);
  if (rate === undefined || rate.lessThan(range.min) || rate.greaterThan(range.max)) {
    return { ok: false, error: { code: 'outside_class_range', advanceRate: facilityRate, range } };
  }
  return { ok: true, advanceRate: toPlain(rate), source: 'facility' };
}
