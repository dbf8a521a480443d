import type { ConditionSettings } from '../../protocol/site/sensor-settings.ts';

export interface LotConditionReport {
  lotId: string;
  factor: number;
  reasons: string[];
  /** Site time of the lot's first exposure. */
  since: number;
}

interface Exposure {
  unitMs: number;
  unit: string;
}

const HOUR = 3_600_000;

/**
 * Each lot's condition factor from the climate it went through: every unit-hour beyond
 * its range costs `perUnitHour` of the kind (humidity, temperature), the factor is
 * 1 minus the sum, never below `floor`. A new factor is reported once it moved by
 * `reportStep` from the last one reported, so the cloud gets a handful of updates per
 * excursion, not one per reading. Pure.
 */
export function createLotConditions(settings: ConditionSettings) {
  const rates = new Map(settings.perUnitHour.map((r) => [r.kind, r.rate]));
  const lots = new Map<string, { exposures: Map<string, Exposure>; reported: number; since: number }>();

  const factorOf = (exposures: Map<string, Exposure>): number => {
    let loss = 0;
    for (const [kind, e] of exposures) loss += (rates.get(kind) ?? 0) * (e.unitMs / HOUR);
    return Math.max(settings.floor, 1 - loss);
  };

  const reasons = (exposures: Map<string, Exposure>): string[] =>
    [...exposures].filter(([kind]) => (rates.get(kind) ?? 0) > 0).map(([kind, e]) => `${kind} beyond its range: ${(e.unitMs / HOUR).toFixed(2)} ${e.unit}·h`);

  return {
    /** Adds exposure (unit·ms beyond the range) to each lot; returns the lots whose factor should be reported. */
    expose(t: number, lotIds: readonly string[], kind: string, unit: string, unitMs: number): LotConditionReport[] {
      if (unitMs <= 0) return [];
      const reports: LotConditionReport[] = [];
      for (const lotId of lotIds) {
        let lot = lots.get(lotId);
        if (!lot) {
          lot = { exposures: new Map(), reported: 1, since: t };
          lots.set(lotId, lot);
        }
        const e = lot.exposures.get(kind) ?? { unitMs: 0, unit };
        e.unitMs += unitMs;
        lot.exposures.set(kind, e);
        const factor = factorOf(lot.exposures);
        if (lot.reported - factor >= settings.reportStep || (factor === settings.floor && lot.reported > settings.floor)) {
          lot.reported = factor;
          reports.push({ lotId, factor: Math.round(factor * 10_000) / 10_000, reasons: reasons(lot.exposures), since: lot.since });
        }
      }
      return reports;
    },
    /** A lot no longer pledged is forgotten. */
    keepOnly(lotIds: ReadonlySet<string>): void {
      for (const lotId of lots.keys()) if (!lotIds.has(lotId)) lots.delete(lotId);
    },
    snapshot(): Array<{ lotId: string; factor: number; reasons: string[] }> {
      return [...lots].map(([lotId, l]) => ({ lotId, factor: Math.round(factorOf(l.exposures) * 10_000) / 10_000, reasons: reasons(l.exposures) }));
    },
  };
}

export type LotConditions = ReturnType<typeof createLotConditions>;
