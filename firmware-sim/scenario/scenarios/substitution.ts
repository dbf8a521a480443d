import { substituteSlot } from '../operations.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const substitution: ScenarioDefinition = {
  name: 'substitution',
  description: 'at night, goods on two pallets of a lot are swapped for look-alikes and the tags moved over: RFID stays complete, the camera sees different goods',
  startLocal: '22:30',
  durationMs: 2 * HOUR,
  incident(ctx) {
    const lot = ctx.rng.pick(ctx.warehouse.lots);
    const slots = ctx.warehouse.lotSlots(lot.lotId).slice(0, 2);
    let at = ctx.startMs + ctx.rng.int(30, 50) * MINUTE;
    for (const slot of slots) {
      substituteSlot(ctx, lot.lotId, slot.zone, slot.slot, slot.epcs, at);
      at += 12 * MINUTE;
    }
  },
};
