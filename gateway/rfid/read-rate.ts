/**
 * How often a tag answers, and so how long its silence must last before it means
 * something. A tag deep in a stack of copper may answer in one cycle of eight; declaring
 * it absent after the same five minutes as a tag on the aisle would report goods missing
 * that are there (the firmware-sim quiet-day shows silent runs of 11 minutes for such
 * tags). So the silence a tag is allowed is the number of cycles n for which
 * (1 − p)^n < ε, with p its read rate per observed cycle: a run of misses that long is
 * less likely than ε by chance.
 */

/** Decayed counts of observed cycles and of those with a read. */
export interface ReadRate {
  hits: number;
  observed: number;
}

/**
 * A cautious prior (one read in eight cycles) so a tag seen for the first time is not
 * judged on two or three cycles of evidence.
 */
export const PRIOR_HITS = 1;
export const PRIOR_OBSERVED = 8;

export interface AbsenceRule {
  /** Fewest silent cycles that make a tag absent (`graceMs` in cycles). */
  readonly minCycles: number;
  readonly maxCycles: number;
  /** ln ε, precomputed. */
  readonly logConfidence: number;
  /** 1 − 1/memory: the weight a cycle keeps per later cycle. */
  readonly decay: number;
}

export function absenceRule(o: { cycleMs: number; graceMs: number; maxGraceMs: number; absenceConfidence: number; readRateMemoryCycles: number }): AbsenceRule {
  return {
    minCycles: Math.max(1, Math.ceil(o.graceMs / o.cycleMs)),
    maxCycles: Math.max(1, Math.ceil(o.maxGraceMs / o.cycleMs)),
    logConfidence: Math.log(o.absenceConfidence),
    decay: 1 - 1 / o.readRateMemoryCycles,
  };
}

/**
 * The tag was read this cycle after `missed` observed cycles without: those cycles and
 * this one enter the rate. Early on the counts are small, so each cycle weighs 1/n; later
 * the memory caps it (an exponentially weighted average with a warm start).
 */
export function recordHit(rate: ReadRate, missed: number, rule: AbsenceRule): void {
  const cycles = missed + 1;
  const keep = rule.decay ** cycles;
  rate.hits = rate.hits * keep + 1;
  rate.observed = rate.observed * keep + (1 - keep) / (1 - rule.decay);
}

/** Silent observed cycles after which this tag counts as absent. */
export function silentCyclesAllowed(rate: ReadRate, rule: AbsenceRule): number {
  const p = Math.min(0.999, rate.hits / rate.observed);
  const n = Math.ceil(rule.logConfidence / Math.log(1 - p));
  return Math.min(rule.maxCycles, Math.max(rule.minCycles, n));
}
