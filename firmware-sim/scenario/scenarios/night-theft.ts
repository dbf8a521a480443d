import { dayWork } from '../day-work.ts';
import { removalTrip } from '../operations.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const nightTheft: ScenarioDefinition = {
  name: 'night-theft',
  description: 'after midnight, pallets of one lot leave through the dock door on a forklift, three trips; tags pass the door reader, then vanish',
  startLocal: '23:30',
  durationMs: 2 * HOUR,
  plan(ctx) {
    dayWork(ctx);
    const lot = ctx.rng.pick(ctx.warehouse.lots);
    const slots = ctx.rng.shuffle(ctx.warehouse.lotSlots(lot.lotId)).slice(0, 3);
    let at = ctx.startMs + ctx.rng.int(35, 55) * MINUTE;
    slots.forEach((slot, i) => {
      removalTrip(ctx, { lotId: lot.lotId, zone: slot.zone, slot: slot.slot, epcs: slot.epcs, at, trip: i + 1 });
      at += ctx.rng.int(6, 9) * MINUTE;
    });
  },
};
