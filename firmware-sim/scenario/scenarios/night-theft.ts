import { doorZone, removalTrip } from '../operations.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const nightTheft: ScenarioDefinition = {
  name: 'night-theft',
  description: 'after midnight, the dock door padlock is cut with a grinder, then pallets of one lot leave through the door on a forklift, three trips; tags pass the door reader, then vanish',
  startLocal: '23:30',
  durationMs: 2 * HOUR,
  incident(ctx) {
    const lot = ctx.rng.pick(ctx.warehouse.lots);
    const slots = ctx.rng.shuffle(ctx.warehouse.lotSlots(lot.lotId)).slice(0, 3);
    let at = ctx.startMs + ctx.rng.int(35, 55) * MINUTE;
    // The way in: an angle grinder on the dock door's padlock a few minutes before the first trip.
    ctx.sound(doorZone(ctx) ?? lot.zone, 'cutting', at - 4 * MINUTE, 45_000);
    slots.forEach((slot, i) => {
      removalTrip(ctx, { lotId: lot.lotId, zone: slot.zone, slot: slot.slot, epcs: slot.epcs, at, trip: i + 1 });
      at += ctx.rng.int(6, 9) * MINUTE;
    });
  },
};
