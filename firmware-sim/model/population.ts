import { encodeSgtin96 } from '../../protocol/index.ts';
import type { SiteConfig, Zone } from '../../protocol/site/site-config.ts';
import type { Rng } from '../core/prng.ts';
import { COMMODITIES, slotCapacity, type CommodityId } from './commodities.ts';
import { buildFloorPlan } from './floor-plan.ts';
import { stackPlace } from './stacking.ts';
import type { Item, LotManifest } from './types.ts';
import { Warehouse, type LotRecord } from './warehouse.ts';

export interface LotPlan {
  zone: string;
  commodity: CommodityId;
  items: number;
}

/**
 * `default`: two lots per storage bay, 40–120 units each, commodities chosen from the bay's
 * name (s1: coffee and cocoa in bay-a, copper and aluminium in bay-b).
 * `bench`: `totalTags` (5,000) spread evenly over all storage bays.
 */
export type PopulationSpec = 'default' | 'bench' | { totalTags: number } | { lots: LotPlan[] };

const PAIRS: readonly [RegExp, [CommodityId, CommodityId]][] = [
  [/coffee/i, ['coffee', 'cocoa']],
  [/cocoa/i, ['cocoa', 'coffee']],
  [/copper|cathode|metal/i, ['copper', 'aluminium']],
  [/alumin/i, ['aluminium', 'copper']],
  [/maize|grain|corn/i, ['maize', 'maize']],
];
const FALLBACK: readonly [CommodityId, CommodityId][] = [
  ['coffee', 'cocoa'],
  ['copper', 'aluminium'],
  ['maize', 'coffee'],
];

function pairFor(zone: Zone, index: number): [CommodityId, CommodityId] {
  const text = `${zone.name ?? ''} ${zone.id}`;
  return PAIRS.find(([re]) => re.test(text))?.[1] ?? (FALLBACK[index % FALLBACK.length] as [CommodityId, CommodityId]);
}

export function planLots(site: SiteConfig, spec: PopulationSpec, rng: Rng): LotPlan[] {
  const storage = site.zones.filter((z) => z.kind === 'storage');
  if (storage.length === 0) return [];
  if (typeof spec === 'object' && 'lots' in spec) return spec.lots;
  if (spec === 'default') {
    return storage.flatMap((zone, i) =>
      pairFor(zone, i).map((commodity) => {
        const [min, max] = COMMODITIES[commodity].lotSize;
        return { zone: zone.id, commodity, items: rng.int(min, max) };
      }),
    );
  }
  const total = spec === 'bench' ? 5_000 : spec.totalTags;
  // Bags only: bench bays hold ~100 units, which in metal would need 25+ pallet slots.
  const bagged: CommodityId[] = ['coffee', 'cocoa', 'maize'];
  return storage.map((zone, i) => ({
    zone: zone.id,
    commodity: bagged[i % bagged.length] as CommodityId,
    items: Math.floor(total / storage.length) + (i < total % storage.length ? 1 : 0),
  }));
}

/**
 * Builds the warehouse: lots numbered `LOT-{SITE}-0001…`, EPCs as SGTIN-96 with sequential
 * serials per producer (tags come off a printer roll in sequence), pallets filled in order.
 */
export function populate(site: SiteConfig, spec: PopulationSpec, rng: Rng): Warehouse {
  const plans = planLots(site, spec, rng);
  const slotsNeeded = new Map<string, number>();
  for (const p of plans) {
    slotsNeeded.set(p.zone, (slotsNeeded.get(p.zone) ?? 0) + Math.ceil(p.items / slotCapacity(COMMODITIES[p.commodity])));
  }
  const plan = buildFloorPlan(site, slotsNeeded);
  const nextSerial = new Map<string, number>();
  const nextSlot = new Map<string, number>();
  const items: Item[] = [];
  const lots: LotRecord[] = [];
  plans.forEach((p, i) => {
    const lotId = `LOT-${site.site.toUpperCase()}-${String(i + 1).padStart(4, '0')}`;
    const commodity = COMMODITIES[p.commodity];
    const producer = rng.pick(commodity.producers);
    const key = `${producer.companyPrefix}.${producer.itemReference}`;
    let serial = nextSerial.get(key) ?? rng.int(100_000, 9_000_000);
    const zone = plan.zones.get(p.zone);
    if (!zone) throw new Error(`lot for unknown zone ${p.zone}`);
    const cap = slotCapacity(commodity);
    let slotIndex = nextSlot.get(p.zone) ?? 0;
    const epcs: string[] = [];
    for (let n = 0; n < p.items; n += 1) {
      const slot = zone.slots[slotIndex + Math.floor(n / cap)];
      if (!slot) throw new Error(`zone ${p.zone} has no room for lot ${lotId}`);
      const epc = encodeSgtin96({ companyPrefix: producer.companyPrefix, itemReference: producer.itemReference, serial, filter: filterFor(p.commodity) });
      serial += 1;
      const place = stackPlace(p.commodity, slot, n % cap);
      items.push({
        epc,
        lotId,
        commodity: p.commodity,
        kg: commodity.itemKg,
        look: commodity.look,
        zone: p.zone,
        slot: slot.index,
        ...place,
        arrangement: 0,
      });
      epcs.push(epc);
    }
    slotIndex += Math.ceil(p.items / cap);
    nextSlot.set(p.zone, slotIndex);
    nextSerial.set(key, serial + rng.int(50, 5_000));
    lots.push({ lotId, zone: p.zone, commodity: p.commodity, epcs });
  });
  return new Warehouse(site, plan, items, lots);
}

/** GS1 TDS §10.1 filter values: 2 full case for transport (bags), 6 unit load (bundles, coils). */
function filterFor(commodity: CommodityId): number {
  return COMMODITIES[commodity].packaging === 'bag' ? 2 : 6;
}

export function manifestOf(warehouse: Warehouse): LotManifest[] {
  return warehouse.lots.map((lot) => {
    const c = COMMODITIES[lot.commodity];
    return {
      lotId: lot.lotId,
      zone: lot.zone,
      commodity: lot.commodity,
      quantity: String(lot.epcs.length * c.itemKg),
      unit: 'kg',
      itemCount: lot.epcs.length,
      itemKg: c.itemKg,
      packaging: c.name,
      epcs: [...lot.epcs],
    };
  });
}
