/**
 * The goods the simulated warehouse stores. GS1 company prefixes start with the GS1 member
 * organisation prefix of the producing country (770 Colombia, 789 Brazil, 618 Côte d'Ivoire,
 * 603 Ghana, 780 Chile, 775 Peru, 70 Norway, 629 UAE, 600 South Africa, 616 Kenya); the
 * company parts are invented. Item references carry the indicator digit first (GS1 TDS §7.1).
 */
export type CommodityId = 'coffee' | 'cocoa' | 'copper' | 'aluminium' | 'maize';

/** How a unit of goods looks to a camera; `substitute` looks are what fraudsters swap in. */
export type Look =
  | 'jute-bag'
  | 'cocoa-bag'
  | 'maize-bag'
  | 'cathode-bundle'
  | 'coil'
  | 'sand-bag'
  | 'painted-block'
  | 'steel-coil';

export interface Producer {
  companyPrefix: string;
  itemReference: string;
  country: string;
}

export interface Commodity {
  id: CommodityId;
  name: string;
  packaging: 'bag' | 'bundle' | 'coil';
  itemKg: number;
  producers: readonly Producer[];
  /** Stacking on one pallet slot: a grid of `cols` × `rows` per layer, `layers` high. */
  stack: { cols: number; rows: number; layers: number };
  /**
   * One-way RF attenuation per unit of goods between a tag and an antenna (dB). Water in
   * agricultural goods absorbs UHF; metal reflects and detunes it, so metals shadow far more.
   */
  clutterDb: number;
  look: Look;
  substitute: { look: Look; name: string; kgFactor: number };
  price: { currency: 'USD'; unit: 't'; base: number; dailyVol: number };
  /** Minimum and maximum items per lot in the default population. */
  lotSize: [number, number];
}

export const COMMODITIES: Readonly<Record<CommodityId, Commodity>> = {
  coffee: {
    id: 'coffee',
    name: 'green coffee, 60 kg jute bags',
    packaging: 'bag',
    itemKg: 60,
    producers: [
      { companyPrefix: '7701234', itemReference: '100601', country: 'CO' },
      { companyPrefix: '7891000', itemReference: '200600', country: 'BR' },
    ],
    stack: { cols: 3, rows: 2, layers: 4 },
    clutterDb: 2.5,
    look: 'jute-bag',
    substitute: { look: 'sand-bag', name: 'bags of husk and sand', kgFactor: 0.97 },
    price: { currency: 'USD', unit: 't', base: 5200, dailyVol: 0.02 },
    lotSize: [60, 120],
  },
  cocoa: {
    id: 'cocoa',
    name: 'cocoa beans, 64 kg jute bags',
    packaging: 'bag',
    itemKg: 64,
    producers: [
      { companyPrefix: '6180123', itemReference: '100640', country: 'CI' },
      { companyPrefix: '6030456', itemReference: '300640', country: 'GH' },
    ],
    stack: { cols: 3, rows: 2, layers: 4 },
    clutterDb: 2.5,
    look: 'cocoa-bag',
    substitute: { look: 'sand-bag', name: 'bags of shells and sand', kgFactor: 0.98 },
    price: { currency: 'USD', unit: 't', base: 7800, dailyVol: 0.03 },
    lotSize: [60, 120],
  },
  maize: {
    id: 'maize',
    name: 'white maize, 50 kg polypropylene bags',
    packaging: 'bag',
    itemKg: 50,
    producers: [
      { companyPrefix: '6001234', itemReference: '100500', country: 'ZA' },
      // A 9-digit company prefix (partition 3) so both common partitions occur.
      { companyPrefix: '616045612', itemReference: '2050', country: 'KE' },
    ],
    stack: { cols: 3, rows: 2, layers: 5 },
    clutterDb: 2,
    look: 'maize-bag',
    substitute: { look: 'sand-bag', name: 'bags of sand', kgFactor: 1.0 },
    price: { currency: 'USD', unit: 't', base: 240, dailyVol: 0.015 },
    lotSize: [80, 120],
  },
  copper: {
    id: 'copper',
    name: 'copper cathodes, grade A, ~2.5 t strapped bundles',
    packaging: 'bundle',
    itemKg: 2_500,
    producers: [
      { companyPrefix: '7800456', itemReference: '502500', country: 'CL' },
      { companyPrefix: '7750123', itemReference: '302500', country: 'PE' },
    ],
    stack: { cols: 2, rows: 1, layers: 3 },
    clutterDb: 9,
    look: 'cathode-bundle',
    substitute: { look: 'painted-block', name: 'copper-painted steel plates', kgFactor: 0.88 },
    price: { currency: 'USD', unit: 't', base: 9_100, dailyVol: 0.018 },
    lotSize: [40, 60],
  },
  aluminium: {
    id: 'aluminium',
    name: 'aluminium coils, ~6 t',
    packaging: 'coil',
    itemKg: 6_000,
    producers: [
      { companyPrefix: '7040123', itemReference: '106000', country: 'NO' },
      { companyPrefix: '6291234', itemReference: '206000', country: 'AE' },
    ],
    // Coils stacked two high in a pyramid, eye to the wall, as coil yards do.
    stack: { cols: 2, rows: 1, layers: 2 },
    clutterDb: 11,
    look: 'coil',
    substitute: { look: 'steel-coil', name: 'scrap steel coils', kgFactor: 1.0 },
    price: { currency: 'USD', unit: 't', base: 2_350, dailyVol: 0.015 },
    lotSize: [40, 56],
  },
};

export const COMMODITY_IDS = Object.keys(COMMODITIES) as CommodityId[];

export function slotCapacity(c: Commodity): number {
  return c.stack.cols * c.stack.rows * c.stack.layers;
}
