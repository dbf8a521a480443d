import type { Severity } from '../../protocol/index.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { ClimateFinding } from './climate-tracker.ts';
import type { LotConditionReport } from './lot-condition.ts';
import type { RangeGroup } from './sensor-site.ts';
import type { WeightFinding } from './weight-tracker.ts';

/** Who and where, common to a sensor's events; times are gateway ISO strings. */
export interface SensorPlace {
  device: string;
  zones: readonly string[];
  /** Gateway ISO time of a site-time instant (the site may run faster than the gateway). */
  iso(siteMs: number): string;
}

const oneOf = (values: readonly string[]): string | undefined => (values.length === 1 ? values[0] : undefined);

// A drop is goods leaving: critical at night, when nobody should move them; a gain is not a loss of collateral.
function weightSeverity(f: WeightFinding): Severity {
  if (f.kind === 'cleared' || f.delta >= 0) return 'info';
  return f.kind === 'step' && f.atNight ? 'critical' : 'warning';
}

export function weightChangeDraft(place: SensorPlace, f: WeightFinding): EventDraft {
  return {
    type: 'weight.change',
    severity: weightSeverity(f),
    lotId: oneOf(f.lots),
    zone: oneOf(place.zones),
    evidence: {
      device: place.device,
      zone: place.zones[0],
      unit: 'kg',
      before: f.before,
      after: f.after,
      delta: f.delta,
      expected: f.expected,
      tolerance: f.tolerance,
      step: f.kind === 'step' || f.ends === 'step',
      atNight: f.atNight,
      lots: [...f.lots],
      since: place.iso(f.since),
      ...(f.kind === 'cleared' ? { cleared: true } : {}),
    },
  };
}

export function outOfRangeDraft(place: SensorPlace, kind: string, group: RangeGroup, f: ClimateFinding): EventDraft {
  return {
    type: 'sensor.out_of_range',
    severity: f.phase === 'cleared' ? 'info' : 'warning',
    lotId: oneOf(group.lots),
    zone: oneOf(place.zones),
    evidence: {
      device: place.device,
      kind,
      value: f.value,
      unit: group.unit,
      ...(group.range.min === undefined ? {} : { min: group.range.min }),
      ...(group.range.max === undefined ? {} : { max: group.range.max }),
      since: place.iso(f.since),
      durationMs: Math.round(f.durationMs),
      extent: Math.round(f.extent * 100) / 100,
      lots: [...group.lots],
      zones: [...place.zones],
      ...(f.phase === 'cleared' ? { cleared: true } : {}),
    },
  };
}

export function lotConditionDraft(place: Pick<SensorPlace, 'iso'>, zoneOfLot: string | undefined, r: LotConditionReport): EventDraft {
  return {
    type: 'lot.condition',
    severity: 'info',
    lotId: r.lotId,
    zone: zoneOfLot,
    evidence: { lots: [r.lotId], factor: r.factor, reasons: r.reasons, since: place.iso(r.since) },
  };
}
