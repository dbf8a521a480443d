import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

/**
 * Nothing changes in the warehouse: the fraud is on paper. The depositor presents goods
 * already under a receipt as a new lot to a second lender. The ground truth carries the
 * second presentation so the cloud side can replay it and must refuse it (409).
 */
export const doublePledge: ScenarioDefinition = {
  name: 'double-pledge',
  description: 'a pledged lot is presented again as a new lot for a second receipt with another lender; ground truth carries the duplicate presentation',
  startLocal: '09:00',
  durationMs: HOUR,
  incident(ctx) {
    const lot = ctx.rng.pick(ctx.warehouse.lots);
    const site = ctx.site.site.toUpperCase();
    const duplicateLotId = `LOT-${site}-${String(ctx.warehouse.lots.length + 1 + ctx.rng.int(0, 50)).padStart(4, '0')}`;
    ctx.at(ctx.startMs + ctx.rng.int(8, 15) * MINUTE, () =>
      ctx.truth({
        kind: 'double-pledge',
        lotId: lot.lotId,
        zone: lot.zone,
        epcs: [...lot.epcs],
        detail: {
          duplicateLotId,
          commodity: lot.commodity,
          overlap: 1,
          receipts: [
            { receiptNo: `EWR-${site}-2024-${String(ctx.rng.int(1, 99)).padStart(4, '0')}`, lender: 'lender-a', lotId: lot.lotId },
            { receiptNo: `EWR-${site}-2024-${String(ctx.rng.int(100, 999)).padStart(4, '0')}`, lender: 'lender-b', lotId: duplicateLotId },
          ],
        },
      }),
    );
  },
};
