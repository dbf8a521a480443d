import type { WeightSettings } from '../../protocol/site/sensor-settings.ts';
import { median } from './median.ts';

/** What the manifest says one scale should carry now. */
export interface BayManifest {
  /** Net weight of the pledged lots in the scale's zones, kg (lots without a mass quantity count 0). */
  netKg: number;
  lots: readonly string[];
  /** How far the level may drift from the manifest, kg (per-commodity fractions of the net). */
  toleranceKg: number;
}

export interface WeightFinding {
  /** `step`: a change that held; `drift`: a slow walk away from the manifest; `cleared`: back where expected. */
  kind: 'step' | 'drift' | 'cleared';
  /** What was cleared, on `cleared`. */
  ends?: 'step' | 'drift';
  before: number;
  after: number;
  delta: number;
  expected: number;
  tolerance: number;
  atNight: boolean;
  /** Site time the change began (the first reading at the new level). */
  since: number;
  lots: readonly string[];
}

const round = (kg: number): number => Math.round(kg * 10) / 10;

// How fast the reference follows a level that stays within `stepKg` (slow moisture drift):
// 1/20 per settled reading, so a real step is never absorbed before it is confirmed.
const FOLLOW = 0.05;

/**
 * One floor scale, reconciled against the manifest. The bay's level is the median of the
 * last `medianOf` readings. A level that moves more than `stepKg` from the reference and
 * holds for the settle time (shorter at night) is a step: explained when the manifest's
 * net changed by as much since the reference (a delivery, a release), reported otherwise.
 * A level that comes back before it settled (a forklift on the scale, a pallet lifted
 * for a count and put back) is nothing. Slow drift moves the reference and is reported
 * only when it takes the bay beyond the commodities' tolerance of the manifest weight.
 * Time is the site's, in ms; pure.
 */
export function createWeightTracker(settings: WeightSettings, tareKg?: number) {
  const window: number[] = [];
  let ref: { kg: number; net: number } | undefined;
  let tare = tareKg;
  let candidate: { since: number; kg: number; atNight: boolean } | undefined;
  /** Sum of the unexplained steps reported and not undone. */
  let unexplained = 0;
  let stepOpen = false;
  let driftOpen = false;

  const expected = (): number => (ref ? ref.net : 0) + (tare ?? 0);

  function confirm(level: number, bay: BayManifest, atNight: boolean, since: number): WeightFinding[] {
    if (!ref) return [];
    const before = ref.kg;
    const move = level - before;
    const explained = bay.netKg - ref.net;
    const u = move - explained;
    const expectedBefore = expected() + unexplained;
    ref = { kg: level, net: bay.netKg };
    if (Math.abs(u) <= settings.stepKg + settings.packagingAllowance * Math.abs(explained)) {
      // Pallets and dunnage came or went with the goods: they are tare from now on.
      if (tare !== undefined) tare += u;
      return [];
    }
    unexplained += u;
    const base = { before: round(before), after: round(level), delta: round(move), tolerance: settings.stepKg, atNight, since, lots: bay.lots };
    if (stepOpen && Math.abs(unexplained) <= settings.stepKg) {
      stepOpen = false;
      unexplained = 0;
      return [{ kind: 'cleared', ends: 'step', expected: round(expectedBefore + u), ...base }];
    }
    stepOpen = true;
    return [{ kind: 'step', expected: round(expectedBefore), ...base }];
  }

  function drift(t: number, bay: BayManifest, atNight: boolean): WeightFinding[] {
    if (!ref || tare === undefined) return [];
    const target = expected() + unexplained;
    const off = ref.kg - target;
    const base = { before: round(target), after: round(ref.kg), delta: round(off), expected: round(target), tolerance: round(bay.toleranceKg), atNight, since: t, lots: bay.lots };
    if (!driftOpen && bay.toleranceKg > 0 && Math.abs(off) > bay.toleranceKg) {
      driftOpen = true;
      return [{ kind: 'drift', ...base }];
    }
    if (driftOpen && Math.abs(off) <= 0.8 * bay.toleranceKg) {
      driftOpen = false;
      return [{ kind: 'cleared', ends: 'drift', ...base }];
    }
    return [];
  }

  return {
    /** One reading at site time `t`; returns what it concludes, usually nothing. */
    observe(t: number, kg: number, bay: BayManifest, atNight: boolean): WeightFinding[] {
      window.push(kg);
      if (window.length > settings.medianOf) window.shift();
      if (window.length < settings.medianOf) return [];
      const level = median(window);
      if (!ref) {
        ref = { kg: level, net: bay.netKg };
        tare ??= level - bay.netKg;
        return [];
      }
      if (Math.abs(level - ref.kg) <= settings.stepKg) {
        candidate = undefined;
        ref.kg += FOLLOW * (level - ref.kg);
        return drift(t, bay, atNight);
      }
      if (!candidate || Math.abs(level - candidate.kg) > settings.stepKg) {
        candidate = { since: t, kg: level, atNight };
        return [];
      }
      candidate.kg = level;
      const night = candidate.atNight || atNight;
      if (t - candidate.since < (night ? settings.settleNightMs : settings.settleDayMs)) return [];
      const since = candidate.since;
      candidate = undefined;
      return confirm(level, bay, night, since);
    },
    /** Level, reference and tare, for the local API. */
    snapshot() {
      return {
        level: window.length === 0 ? null : round(median(window)),
        reference: ref ? round(ref.kg) : null,
        tare: tare === undefined ? null : round(tare),
        expected: ref && tare !== undefined ? round(expected() + unexplained) : null,
        pendingSince: candidate?.since ?? null,
        open: { step: stepOpen, drift: driftOpen },
      };
    },
  };
}

export type WeightTracker = ReturnType<typeof createWeightTracker>;
