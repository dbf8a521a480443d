import { relocatePallet } from '../operations.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const quietDay: ScenarioDefinition = {
  name: 'quiet-day',
  description: '24 h of normal work: forklift cycle counts, talk, doors, one authorised pallet move; nothing suspicious',
  startLocal: '00:00',
  durationMs: 24 * HOUR,
  incident(ctx) {
    const lot = ctx.rng.pick(ctx.warehouse.lots);
    relocatePallet(ctx, lot.lotId, lot.zone, ctx.startMs + 10 * HOUR + ctx.rng.int(0, 60) * MINUTE);
  },
};
