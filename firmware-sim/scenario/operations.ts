import { COMMODITIES } from '../model/commodities.ts';
import { stackPlace } from '../model/stacking.ts';
import { assetTag } from '../rfid/stray-tags.ts';
import { MINUTE } from './timeline.ts';
import type { ScenarioContext } from './types.ts';

/** Building blocks scenarios are written in: each schedules model changes and their ground truth. */

export function doorZone(ctx: ScenarioContext): string | undefined {
  return ctx.site.zones.find((z) => z.kind === 'door')?.id;
}

export function storageZones(ctx: ScenarioContext): string[] {
  return ctx.site.zones.filter((z) => z.kind === 'storage').map((z) => z.id);
}

export function camerasOf(ctx: ScenarioContext, zone: string): string[] {
  return ctx.layout.cameras.filter((c) => c.views.some((v) => v.zone === zone)).map((c) => c.id);
}

/** The forklift's own asset tag (GID-96), seen wherever it works. */
function forkliftTag(ctx: ScenarioContext): string {
  return assetTag(ctx.rng.fork('forklift-tag')).epc;
}

/**
 * A forklift working at a slot: engine noise, the truck in the camera's view, its asset
 * tag in the readers' field.
 */
export function forkliftAt(ctx: ScenarioContext, zone: string, slot: number, from: number, durationMs: number): void {
  const { warehouse } = ctx;
  ctx.at(from, () => warehouse.setActivity(zone, { kind: 'forklift', slot, from, until: from + durationMs }));
  ctx.at(from + durationMs, () => warehouse.setActivity(zone, undefined));
  ctx.sound(zone, 'engine', from - 10_000, durationMs + 25_000);
  if (ctx.options.rfid.strayTags) {
    const epc = forkliftTag(ctx);
    const geometry = warehouse.zone(zone).slots[slot];
    ctx.at(from, () =>
      warehouse.addStray({
        epc,
        zone,
        pos: { x: geometry?.cx ?? 0, y: 1.2, z: 1.8 },
        from,
        until: from + durationMs,
        source: 'forklift asset tag',
      }),
    );
  }
}

export interface RemovalTrip {
  lotId: string;
  zone: string;
  slot: number;
  epcs: string[];
  at: number;
  trip: number;
}

/**
 * One forklift trip taking a pallet out through the dock door: the truck works the slot,
 * the goods leave the bay, pass the door reader for ~40 s and are gone for good.
 */
export function removalTrip(ctx: ScenarioContext, trip: RemovalTrip): void {
  const door = doorZone(ctx);
  const { warehouse } = ctx;
  const leaveBay = trip.at + 100_000;
  const leaveSite = leaveBay + 40_000;
  if (door) ctx.sound(door, 'door-slam', trip.at, 1_000);
  forkliftAt(ctx, trip.zone, trip.slot, trip.at + 20_000, 80_000);
  ctx.at(leaveBay, () => {
    if (door) warehouse.toDoor(trip.epcs, door);
    else warehouse.leaveSite(trip.epcs);
    const kg = trip.epcs.reduce((s, e) => s + warehouse.item(e).kg, 0);
    ctx.truth({
      kind: 'removal',
      lotId: trip.lotId,
      zone: trip.zone,
      epcs: [...trip.epcs],
      detail: { trip: trip.trip, slot: trip.slot, via: door ?? null, kg, leftSiteAt: new Date(leaveSite).toISOString(), cameras: camerasOf(ctx, trip.zone) },
    });
  });
  ctx.at(leaveSite, () => warehouse.leaveSite(trip.epcs));
  if (door) ctx.sound(door, 'door-slam', leaveSite + 5_000, 1_000);
}

/** Goods on one slot swapped for look-alikes, tags moved over: RFID sees nothing change. */
export function substituteSlot(ctx: ScenarioContext, lotId: string, zone: string, slot: number, epcs: string[], at: number): void {
  const { warehouse } = ctx;
  const commodity = COMMODITIES[warehouse.lot(lotId).commodity];
  const workMs = 10 * MINUTE;
  ctx.at(at, () => warehouse.setActivity(zone, { kind: 'workers', slot, from: at, until: at + workMs }));
  ctx.at(at + workMs, () => warehouse.setActivity(zone, undefined));
  ctx.sound(zone, 'voices', at + MINUTE, 3 * MINUTE, -6);
  ctx.at(at + workMs / 2, () => {
    warehouse.substitute(epcs);
    ctx.truth({
      kind: 'substitution',
      lotId,
      zone,
      epcs: [...epcs],
      detail: { slot, from: commodity.name, to: commodity.substitute.name, cameras: camerasOf(ctx, zone) },
    });
  });
}

/** An authorised reorganisation: a pallet moved to a free slot of the same bay. */
export function relocatePallet(ctx: ScenarioContext, lotId: string, zone: string, at: number): void {
  const { warehouse } = ctx;
  ctx.at(at, () => {
    const geometry = warehouse.zone(zone);
    const used = new Set(warehouse.itemsIn(zone).map((i) => i.slot));
    const free = geometry.slots.filter((s) => !used.has(s.index));
    const from = warehouse.lotSlots(lotId).at(-1);
    const to = free[0];
    if (!from || !to) return;
    forkliftAt(ctx, zone, from.slot, at, 3 * MINUTE);
    ctx.at(at + 2 * MINUTE, () => {
      const commodity = warehouse.lot(lotId).commodity;
      warehouse.place(from.epcs, zone, to.index, (i) => stackPlace(commodity, to, i));
      ctx.truth({
        kind: 'authorised-move',
        lotId,
        zone,
        epcs: [...from.epcs],
        detail: { reason: 'bay reorganisation', fromSlot: from.slot, toSlot: to.index, cameras: camerasOf(ctx, zone) },
      });
    });
  });
}
