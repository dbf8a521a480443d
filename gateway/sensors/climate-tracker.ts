import type { ClimateSettings } from '../../protocol/site/sensor-settings.ts';

export interface ClimateRange {
  min?: number | undefined;
  max?: number | undefined;
}

export interface ClimateFinding {
  /** `onset` once confirmed, `ongoing` every `repeatMs` while it lasts, `cleared` when back in range. */
  phase: 'onset' | 'ongoing' | 'cleared';
  value: number;
  /** Site time of the first reading beyond the bound. */
  since: number;
  durationMs: number;
  /** Furthest beyond the bound so far, in the reading's unit. */
  extent: number;
}

/** How far a value is beyond the range, 0 when inside. */
export function beyond(value: number, range: ClimateRange): number {
  if (range.max !== undefined && value > range.max) return value - range.max;
  if (range.min !== undefined && value < range.min) return range.min - value;
  return 0;
}

/**
 * One quantity of one probe against one range. An excursion is reported once it lasted
 * `confirmMs` (a door opened for a minute is not one), again every `repeatMs` with its
 * duration and extent so far, and cleared once the value has been back inside the range,
 * by the hysteresis margin, for `confirmMs`. `exposure` is the unit·ms spent beyond the
 * bound between two readings (what a lot's condition is judged by). Site time; pure.
 */
export function createClimateTracker(settings: ClimateSettings) {
  let outsideSince: number | undefined;
  let insideSince: number | undefined;
  let peak = 0;
  let reported = false;
  let lastReport = 0;
  let last: { t: number; extent: number } | undefined;

  const reset = () => {
    outsideSince = undefined;
    insideSince = undefined;
    peak = 0;
    reported = false;
  };

  return {
    observe(t: number, value: number, range: ClimateRange): { findings: ClimateFinding[]; exposure: number } {
      const extent = beyond(value, range);
      // Trapezoid between readings; a gap longer than an hour counts as one hour at most.
      const exposure = last ? (Math.min(t - last.t, 3_600_000) * (last.extent + extent)) / 2 : 0;
      last = { t, extent };
      const findings: ClimateFinding[] = [];
      if (extent > 0) {
        insideSince = undefined;
        outsideSince ??= t;
        peak = Math.max(peak, extent);
        const durationMs = t - outsideSince;
        if (!reported && durationMs >= settings.confirmMs) {
          reported = true;
          lastReport = t;
          findings.push({ phase: 'onset', value, since: outsideSince, durationMs, extent: peak });
        } else if (reported && t - lastReport >= settings.repeatMs) {
          lastReport = t;
          findings.push({ phase: 'ongoing', value, since: outsideSince, durationMs, extent: peak });
        }
        return { findings, exposure };
      }
      if (!reported) {
        reset();
        return { findings, exposure };
      }
      const width = range.min !== undefined && range.max !== undefined ? range.max - range.min : 0;
      const margin = settings.hysteresis * width;
      const inside = beyond(value, { min: range.min === undefined ? undefined : range.min + margin, max: range.max === undefined ? undefined : range.max - margin }) === 0;
      if (!inside) {
        insideSince = undefined;
        return { findings, exposure };
      }
      insideSince ??= t;
      if (t - insideSince >= settings.confirmMs) {
        const since = outsideSince ?? t;
        findings.push({ phase: 'cleared', value, since, durationMs: insideSince - since, extent: peak });
        reset();
      }
      return { findings, exposure };
    },
    /** Whether an excursion has been reported and not yet cleared. */
    open: () => reported,
  };
}

export type ClimateTracker = ReturnType<typeof createClimateTracker>;
