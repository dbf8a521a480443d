import { COMMODITIES } from '../../model/commodities.ts';
import { pricePath } from '../price-path.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const priceCrash: ScenarioDefinition = {
  name: 'price-crash',
  description: 'a hook for the cloud side: price ticks every 15 min for a stored commodity, which falls ~22 % over two hours; the warehouse itself is quiet',
  startLocal: '00:00',
  durationMs: 12 * HOUR,
  incident(ctx) {
    const stored = [...new Set(ctx.warehouse.lots.map((l) => l.commodity))];
    const commodity = stored.includes('copper') ? 'copper' : (stored[0] ?? 'copper');
    const c = COMMODITIES[commodity];
    const crashFromMs = ctx.startMs + 4 * HOUR + ctx.rng.int(0, 60) * MINUTE;
    const points = pricePath(
      {
        startMs: ctx.startMs,
        endMs: ctx.endMs,
        stepMs: 15 * MINUTE,
        base: c.price.base,
        dailyVol: c.price.dailyVol,
        crashFromMs,
        crashToMs: crashFromMs + 2 * HOUR,
        crashDepth: 0.22,
      },
      ctx.rng.fork('price'),
    );
    const lots = ctx.warehouse.lots.filter((l) => l.commodity === commodity).map((l) => l.lotId);
    for (const p of points) {
      ctx.at(p.atMs, () =>
        ctx.truth({
          kind: 'price',
          detail: { commodity, price: p.price.toFixed(2), currency: c.price.currency, unit: c.price.unit, phase: p.phase, lots },
        }),
      );
    }
  },
};
