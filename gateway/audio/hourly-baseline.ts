import { MEL_BANDS } from './log-mel.ts';
import { WINDOW_FRAMES } from './feature-stream.ts';

/** Coarse bands of the baseline: 16 groups of 4 mel bands. */
const GROUPS = 16;
const PER_GROUP = MEL_BANDS / GROUPS;
/** Windows an hour needs before it judges anything (two minutes of that hour). */
const BASELINE_WARM_WINDOWS = 120;
/** Memory of the running statistics, in windows: about two hours of that hour over days. */
const MEMORY_WINDOWS = 7_200;
/** Spread floor (natural-log units): keeps a perfectly steady hum from making every change "far". */
const MIN_SPREAD = 0.35;

interface HourStats {
  n: number;
  mean: Float64Array;
  variance: Float64Array;
}

/** A window's band profile: mean log energy per coarse band. */
export function bandProfile(logMel: Float32Array): Float64Array {
  const out = new Float64Array(GROUPS);
  for (let f = 0; f < WINDOW_FRAMES; f += 1) {
    for (let b = 0; b < MEL_BANDS; b += 1) {
      const g = Math.floor(b / PER_GROUP);
      out[g] = (out[g] as number) + (logMel[f * MEL_BANDS + b] as number);
    }
  }
  for (let g = 0; g < GROUPS; g += 1) out[g] = (out[g] as number) / (WINDOW_FRAMES * PER_GROUP);
  return out;
}

/**
 * What a microphone usually hears at each hour of the day (FIELD-NOTES "Unsupervised
 * anomaly"): per hour a running mean and spread of the band profile (exponentially
 * weighted, West's incremental form). `distance` is the RMS of the per-band z-scores;
 * windows far from their hour do not move it, so one long unusual sound does not
 * become usual. Pure.
 */
export class HourlyBaseline {
  private readonly hours = new Map<number, HourStats>();

  /** Distance of the profile from its hour's baseline, or undefined while that hour is still learning. */
  distance(hour: number, profile: Float64Array): number | undefined {
    const stats = this.hours.get(hour);
    if (!stats || stats.n < BASELINE_WARM_WINDOWS) return undefined;
    let sum = 0;
    for (let g = 0; g < GROUPS; g += 1) {
      const spread = Math.max(MIN_SPREAD, Math.sqrt(stats.variance[g] as number));
      const z = ((profile[g] as number) - (stats.mean[g] as number)) / spread;
      sum += z * z;
    }
    return Math.sqrt(sum / GROUPS);
  }

  learn(hour: number, profile: Float64Array): void {
    let stats = this.hours.get(hour);
    if (!stats) {
      stats = { n: 0, mean: new Float64Array(GROUPS), variance: new Float64Array(GROUPS) };
      this.hours.set(hour, stats);
    }
    stats.n += 1;
    const alpha = 1 / Math.min(stats.n, MEMORY_WINDOWS);
    for (let g = 0; g < GROUPS; g += 1) {
      const diff = (profile[g] as number) - (stats.mean[g] as number);
      const increment = alpha * diff;
      stats.mean[g] = (stats.mean[g] as number) + increment;
      stats.variance[g] = (1 - alpha) * ((stats.variance[g] as number) + diff * increment);
    }
  }

  /** Windows learned per hour (for health and the local API). */
  counts(): Record<number, number> {
    return Object.fromEntries([...this.hours].map(([h, s]) => [h, s.n]));
  }
}
