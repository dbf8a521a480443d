import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const networkCut: ScenarioDefinition = {
  name: 'network-cut',
  description: 'every device loses the broker for 12 minutes; readers buffer (and overflow), then all reconnect with backoff',
  startLocal: '02:00',
  durationMs: HOUR,
  incident(ctx) {
    const cut = ctx.startMs + ctx.rng.int(15, 25) * MINUTE;
    ctx.at(cut, () => ctx.cutNetwork());
    ctx.at(cut + 12 * MINUTE, () => ctx.restoreNetwork());
  },
};
