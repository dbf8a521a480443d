import { Dec } from './decimal.ts';

// Units a verified quantity or a price may be expressed in. Mass units convert to the
// kilogram and volume units to the cubic metre with the exact SI definitions below;
// mass ↔ volume needs a density (kg/m³), which the caller supplies per lot (fuels are
// typically stored in m³ or bbl but priced per t, or the other way round).
export type UnitDimension = 'mass' | 'volume';

interface UnitDefinition {
  readonly dimension: UnitDimension;
  // Size of one unit in the dimension's base unit (kg or m³), as an exact decimal string.
  readonly inBase: string;
}

// Factors are exact by definition:
// - lb = 0.45359237 kg (International Yard and Pound Agreement, 1959)
// - troy ounce = 31.1034768 g (the unit of the LBMA and COMEX precious-metal prices)
// - short ton = 2000 lb, long ton = 2240 lb
// - US gallon = 231 in³ = 3.785411784 L; oil barrel = 42 US gal (API) = 158.987294928 L
const UNITS: Readonly<Record<string, UnitDefinition>> = {
  g: { dimension: 'mass', inBase: '0.001' },
  kg: { dimension: 'mass', inBase: '1' },
  t: { dimension: 'mass', inBase: '1000' },
  lb: { dimension: 'mass', inBase: '0.45359237' },
  ozt: { dimension: 'mass', inBase: '0.0311034768' },
  short_ton: { dimension: 'mass', inBase: '907.18474' },
  long_ton: { dimension: 'mass', inBase: '1016.0469088' },
  l: { dimension: 'volume', inBase: '0.001' },
  m3: { dimension: 'volume', inBase: '1' },
  gal: { dimension: 'volume', inBase: '0.003785411784' },
  bbl: { dimension: 'volume', inBase: '0.158987294928' },
};

// Spellings seen in exchange and warehouse data. "mt" is the metric tonne as used in
// commodity trade (LME, ICE contract specs), not the megatonne.
const ALIASES: Readonly<Record<string, string>> = {
  tonne: 't', tonnes: 't', mt: 't', ton_metric: 't',
  kgs: 'kg', kilogram: 'kg', kilograms: 'kg',
  lbs: 'lb', pound: 'lb', pounds: 'lb',
  oz_troy: 'ozt', troy_oz: 'ozt', toz: 'ozt',
  st: 'short_ton', lt: 'long_ton',
  litre: 'l', liter: 'l', litres: 'l', liters: 'l',
  'm³': 'm3', cbm: 'm3',
  usg: 'gal', gallon: 'gal', gallons: 'gal',
  bbls: 'bbl', barrel: 'bbl', barrels: 'bbl',
};

// Canonical unit code for a spelling (case-insensitive), or undefined when unknown.
export function canonicalUnit(unit: string): string | undefined {
  const key = unit.trim().toLowerCase();
  if (key in UNITS) return key;
  return ALIASES[key];
}

export function unitDimension(unit: string): UnitDimension | undefined {
  const code = canonicalUnit(unit);
  return code === undefined ? undefined : UNITS[code]?.dimension;
}

export type ConversionError =
  | { readonly code: 'unknown_unit'; readonly unit: string }
  | { readonly code: 'density_required'; readonly from: string; readonly to: string };

export type Conversion =
  | { readonly ok: true; readonly factor: Dec }
  | { readonly ok: false; readonly error: ConversionError };

// Factor f such that quantity_in_`to` = quantity_in_`from` × f.
export function conversionFactor(from: string, to: string, densityKgPerM3?: Dec): Conversion {
  const fromCode = canonicalUnit(from);
  const toCode = canonicalUnit(to);
  const fromDef = fromCode === undefined ? undefined : UNITS[fromCode];
  const toDef = toCode === undefined ? undefined : UNITS[toCode];
  if (fromDef === undefined) return { ok: false, error: { code: 'unknown_unit', unit: from } };
  if (toDef === undefined) return { ok: false, error: { code: 'unknown_unit', unit: to } };
  const fromBase = new Dec(fromDef.inBase);
  const toBase = new Dec(toDef.inBase);
  if (fromDef.dimension === toDef.dimension) {
    return { ok: true, factor: fromBase.dividedBy(toBase) };
  }
  if (densityKgPerM3 === undefined || !densityKgPerM3.isPositive() || densityKgPerM3.isZero()) {
    return { ok: false, error: { code: 'density_required', from, to } };
  }
  // mass → volume: kg ÷ (kg/m³) = m³; volume → mass: m³ × (kg/m³) = kg.
  const bridged = fromDef.dimension === 'mass'
    ? fromBase.dividedBy(densityKgPerM3)
    : fromBase.times(densityKgPerM3);
  return { ok: true, factor: bridged.dividedBy(toBase) };
}
