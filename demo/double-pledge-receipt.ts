import type { GroundTruthEvent, SimulatedWarehouse } from '../firmware-sim/index.ts';

/**
 * The receipt a depositor files when it presents pledged goods a second time, from the
 * simulator's `double-pledge` ground truth: a new lot id with the pledged lot's EPCs. The
 * cloud must refuse it with 409. Sent by the demo's trigger and by the score's replay.
 */
export function doublePledgeReceipt(warehouse: Pick<SimulatedWarehouse, 'site' | 'lots'>, truth: GroundTruthEvent): Record<string, unknown> {
  const lot = warehouse.lots.find((l) => l.lotId === truth.lotId);
  return {
    siteId: warehouse.site.site,
    zone: truth.zone,
    lotId: String(truth.detail.duplicateLotId),
    commodity: lot?.commodity ?? String(truth.detail.commodity),
    grade: 'standard',
    quantity: { value: lot?.quantity ?? '1', unit: lot?.unit ?? 'kg' },
    epcs: truth.epcs ?? [],
    depositor: { ref: 'DEMO-DEPOSITOR', name: 'Demo Trading Co.' },
    validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  };
}
