import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { COMMODITIES } from './commodities.ts';
import type { FloorPlan, Vec3, ZoneGeometry } from './floor-plan.ts';
import type { Activity, Item, SoundEvent, StrayTag } from './types.ts';

export interface LotRecord {
  lotId: string;
  zone: string;
  commodity: Item['commodity'];
  epcs: string[];
}

const PALLET_TARE_KG = 25;

/**
 * The state of the goods: which tagged item is where, what it looks like and what is going
 * on around it. Devices read from it, scenarios change it. Every change to a zone bumps its
 * version so readers and cameras can cache derived data per zone.
 */
export class Warehouse {
  readonly site: SiteConfig;
  readonly plan: FloorPlan;
  readonly items = new Map<string, Item>();
  readonly lots: LotRecord[];
  private readonly versions = new Map<string, number>();
  private readonly byZone = new Map<string, { version: number; items: Item[] }>();
  private strays: StrayTag[] = [];
  private readonly activities = new Map<string, Activity>();
  private sounds: SoundEvent[] = [];
  private soundId = 0;

  constructor(site: SiteConfig, plan: FloorPlan, items: Item[], lots: LotRecord[]) {
    this.site = site;
    this.plan = plan;
    for (const item of items) this.items.set(item.epc, item);
    this.lots = lots;
  }

  zone(id: string): ZoneGeometry {
    const zone = this.plan.zones.get(id);
    if (!zone) throw new Error(`unknown zone ${id}`);
    return zone;
  }

  version(zone: string): number {
    return this.versions.get(zone) ?? 0;
  }

  private bump(zone: string | null): void {
    if (zone !== null) this.versions.set(zone, this.version(zone) + 1);
  }

  /** Items currently in a zone, in a stable order (by EPC insertion). */
  itemsIn(zone: string): readonly Item[] {
    const v = this.version(zone);
    const cached = this.byZone.get(zone);
    if (cached && cached.version === v) return cached.items;
    const items: Item[] = [];
    for (const item of this.items.values()) if (item.zone === zone) items.push(item);
    this.byZone.set(zone, { version: v, items });
    return items;
  }

  item(epc: string): Item {
    const item = this.items.get(epc);
    if (!item) throw new Error(`unknown EPC ${epc}`);
    return item;
  }

  lot(lotId: string): LotRecord {
    const lot = this.lots.find((l) => l.lotId === lotId);
    if (!lot) throw new Error(`unknown lot ${lotId}`);
    return lot;
  }

  /** EPCs of a lot grouped by the pallet slot they sit on, fullest slots first. */
  lotSlots(lotId: string): { zone: string; slot: number; epcs: string[] }[] {
    const groups = new Map<string, { zone: string; slot: number; epcs: string[] }>();
    for (const epc of this.lot(lotId).epcs) {
      const item = this.item(epc);
      if (item.zone === null || item.slot < 0) continue;
      const key = `${item.zone}#${item.slot}`;
      let group = groups.get(key);
      if (!group) {
        group = { zone: item.zone, slot: item.slot, epcs: [] };
        groups.set(key, group);
      }
      group.epcs.push(epc);
    }
    return [...groups.values()].sort((a, b) => b.epcs.length - a.epcs.length || a.slot - b.slot);
  }

  /** Moves items onto the door zone's floor (a forklift passing the dock door). */
  toDoor(epcs: readonly string[], doorZone: string): void {
    const door = this.zone(doorZone);
    epcs.forEach((epc, i) => {
      const item = this.item(epc);
      this.bump(item.zone);
      item.zone = doorZone;
      item.slot = -1;
      item.pos = { x: door.x0 + door.width / 2 + (i % 3) * 0.3 - 0.3, y: door.y0 + door.depth / 2, z: 0.3 + (i % 5) * 0.25 };
    });
    this.bump(doorZone);
  }

  leaveSite(epcs: readonly string[]): void {
    for (const epc of epcs) {
      const item = this.item(epc);
      this.bump(item.zone);
      item.zone = null;
      item.slot = -1;
    }
  }

  /** Puts items back on a slot (a pallet returned, or restacked elsewhere in the bay). */
  place(epcs: readonly string[], zone: string, slot: number, positions: (i: number) => { col: number; row: number; layer: number; pos: Vec3 }): void {
    epcs.forEach((epc, i) => {
      const item = this.item(epc);
      this.bump(item.zone);
      const p = positions(i);
      Object.assign(item, { zone, slot, col: p.col, row: p.row, layer: p.layer, pos: p.pos });
    });
    this.bump(zone);
  }

  /** Goods swapped, tags kept: the look and weight change, the EPCs stay where they were. */
  substitute(epcs: readonly string[]): void {
    for (const epc of epcs) {
      const item = this.item(epc);
      const c = COMMODITIES[item.commodity];
      item.look = c.substitute.look;
      item.kg = c.itemKg * c.substitute.kgFactor;
      item.arrangement = 1;
      this.bump(item.zone);
    }
  }

  /** Scale reading of a zone's floor: goods plus pallets, kg. */
  weightKg(zone: string): number {
    let kg = 0;
    const slots = new Set<number>();
    for (const item of this.itemsIn(zone)) {
      kg += item.kg;
      if (item.slot >= 0) slots.add(item.slot);
    }
    return kg + slots.size * PALLET_TARE_KG;
  }

  addStray(tag: StrayTag): void {
    this.strays.push(tag);
    this.bump(tag.zone);
  }

  straysIn(zone: string, now: number): StrayTag[] {
    if (this.strays.length > 0 && this.strays.some((s) => s.until < now)) {
      this.strays = this.strays.filter((s) => s.until >= now);
    }
    return this.strays.filter((s) => s.zone === zone && s.from <= now);
  }

  setActivity(zone: string, activity: Activity | undefined): void {
    if (activity) this.activities.set(zone, activity);
    else this.activities.delete(zone);
    this.bump(zone);
  }

  activityIn(zone: string, now: number): Activity | undefined {
    const a = this.activities.get(zone);
    return a && a.from <= now && now < a.until ? a : undefined;
  }

  addSound(sound: Omit<SoundEvent, 'id'>): SoundEvent {
    const event = { ...sound, id: this.soundId++ };
    this.sounds.push(event);
    return event;
  }

  /** Sounds overlapping [from, to); sounds that ended before `from` are forgotten. */
  soundsDuring(from: number, to: number): SoundEvent[] {
    if (this.sounds.some((s) => s.startMs + s.durationMs < from - 60_000)) {
      this.sounds = this.sounds.filter((s) => s.startMs + s.durationMs >= from - 60_000);
    }
    return this.sounds.filter((s) => s.startMs < to && s.startMs + s.durationMs > from);
  }
}
