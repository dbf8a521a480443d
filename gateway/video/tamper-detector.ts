import type { VideoTamperConfig } from '../../protocol/site/video-config.ts';
import type { FrameFeatures } from './frame-features.ts';
import { createHourlyBaseline } from './hourly-baseline.ts';
import type { Alignment } from './phase-correlation.ts';

export type { TamperKind } from '../../protocol/index.ts';
import type { TamperKind } from '../../protocol/index.ts';

/** One analysed frame as the tamper detector sees it. */
export interface FrameObservation {
  /** Capture time on the warehouse's clock (ms). */
  atMs: number;
  /** Hour of the warehouse's day (0–23). */
  hour: number;
  features: FrameFeatures;
  /** Against the camera's reference; undefined until it has one. */
  alignment: Alignment | undefined;
  /** Mean grey difference to the previous frame; NaN for the first. */
  diff: number;
  /** The payload is byte for byte the previous one. */
  sameBytes: boolean;
  /** Frame pixels per analysis pixel (shifts are reported in frame pixels). */
  pixelScale: number;
}

export interface TamperFinding {
  kind: TamperKind;
  /** Onset (capture time, ms). */
  sinceMs: number;
  atMs: number;
  durationMs: number;
  metrics: Record<string, number>;
  /** True on the finding that ends it; false on the onset and on repeats of a lasting one. */
  cleared: boolean;
}

interface Condition {
  kind: TamperKind;
  metrics: Record<string, number>;
}

interface Streak {
  kind: TamperKind | undefined;
  sinceMs: number;
  frames: number;
}

/** How much sharper than the blur threshold a frame must be for a flat correlation peak to mean moved. */
const MOVED_SHARPNESS_MARGIN = 0.1;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const ratio = (value: number, expected: number | undefined) => (expected !== undefined && expected > 1e-6 ? value / expected : 1);

/**
 * Camera tamper from one camera's frames, against the camera's own per-hour baselines:
 * - covered: edge energy and luma spread collapse against what this hour usually shows,
 *   dark or bright (a black frame at 02:00 is not a cover, a grey uniform one is);
 * - frozen: the same bytes, or a picture that does not change while sensor noise should;
 * - blurred: sharpness (edge energy per unit of contrast, indifferent to gain) lost, and
 *   the edges themselves with it;
 * - moved: the scene no longer aligns with the reference (phase correlation: a shifted
 *   or shrunken peak), while it is still sharp.
 * Checked in that order; one finding per camera at a time. A condition is reported once
 * it has held for `onsetFrames` frames and `onsetMs`, cleared once normal frames have for
 * `clearFrames` and `clearMs`, and a lasting one is reported again every `repeatEveryMs`.
 * Only normal frames teach the baselines, so a tamper never becomes the new normal.
 */
export function createTamperDetector(config: VideoTamperConfig) {
  const baseline = createHourlyBaseline(config.baselineAlpha);
  let frames = 0;
  let active: { kind: TamperKind; sinceMs: number; lastReportMs: number; metrics: Record<string, number> } | undefined;
  let candidate: Streak = { kind: undefined, sinceMs: 0, frames: 0 };
  let normal: Streak = { kind: undefined, sinceMs: 0, frames: 0 };

  function conditionOf(o: FrameObservation): Condition | undefined {
    const f = o.features;
    const expect = (key: Parameters<typeof baseline.expected>[1]) => baseline.expected(o.hour, key);
    const gradientRatio = ratio(f.gradient, expect('gradient'));
    const sdRatio = ratio(f.sdLuma, expect('sdLuma'));
    if (gradientRatio < config.coverGradientRatio && sdRatio < config.coverSdRatio) {
      return {
        kind: 'covered',
        metrics: { meanLuma: round(f.meanLuma, 1), expectedLuma: round(expect('meanLuma') ?? f.meanLuma, 1), sdLuma: round(f.sdLuma, 2), sdRatio: round(sdRatio), gradientRatio: round(gradientRatio), entropy: round(f.entropy) },
      };
    }
    const expectedDiff = expect('diff');
    const still = Number.isFinite(o.diff) && o.diff <= config.frozenMaxDiff && (expectedDiff ?? 0) >= config.frozenMaxDiff * config.frozenNoiseRatio;
    if (o.sameBytes || still) {
      return { kind: 'frozen', metrics: { diff: round(Number.isFinite(o.diff) ? o.diff : 0), expectedDiff: round(expectedDiff ?? 0), sameBytes: o.sameBytes ? 1 : 0 } };
    }
    const sharpnessRatio = ratio(f.sharpness, expect('sharpness'));
    // Sensor noise is sharpness too: at dawn a grainy night baseline makes a clean frame look
    // soft, but its edges grow with the light. A defocus loses the edges themselves.
    if (sharpnessRatio < config.blurSharpnessRatio && gradientRatio < config.blurGradientRatio) {
      return {
        kind: 'blurred',
        metrics: { sharpness: round(f.sharpness), expectedSharpness: round(expect('sharpness') ?? f.sharpness), sharpnessRatio: round(sharpnessRatio), gradientRatio: round(gradientRatio) },
      };
    }
    const a = o.alignment;
    if (a) {
      const peakRatio = ratio(a.peak, expect('peak'));
      const shiftPx = Math.hypot(a.dx, a.dy) * o.pixelScale;
      // A lost peak alone says "moved" only of a frame as sharp as usual: a defocus short of
      // the blur threshold also flattens the peak (noise then owns the fine detail).
      const sharpAsUsual = sharpnessRatio >= config.blurSharpnessRatio + MOVED_SHARPNESS_MARGIN;
      if ((peakRatio < config.movedPeakRatio && sharpAsUsual) || shiftPx >= config.movedShiftPx) {
        return { kind: 'moved', metrics: { shiftPx: round(shiftPx, 1), dx: round(a.dx * o.pixelScale, 1), dy: round(a.dy * o.pixelScale, 1), peak: round(a.peak), peakRatio: round(peakRatio) } };
      }
    }
    return undefined;
  }

  const advance = (s: Streak, kind: TamperKind | undefined, atMs: number): Streak =>
    s.frames > 0 && s.kind === kind ? { kind, sinceMs: s.sinceMs, frames: s.frames + 1 } : { kind, sinceMs: atMs, frames: 1 };
  const held = (s: Streak, atMs: number, needFrames: number, needMs: number) => s.frames >= needFrames && atMs - s.sinceMs >= needMs;

  function finding(kind: TamperKind, sinceMs: number, atMs: number, metrics: Record<string, number>, cleared: boolean): TamperFinding {
    return { kind, sinceMs, atMs, durationMs: Math.max(0, atMs - sinceMs), metrics, cleared };
  }

  return {
    observe(o: FrameObservation): TamperFinding[] {
      frames += 1;
      const sample = { ...o.features, peak: o.alignment?.peak ?? Number.NaN, diff: o.sameBytes ? Number.NaN : o.diff };
      if (frames <= config.warmupFrames) {
        baseline.learn(o.hour, sample);
        return [];
      }
      const condition = conditionOf(o);
      const out: TamperFinding[] = [];
      if (active) {
        if (condition?.kind === active.kind) {
          normal = { kind: undefined, sinceMs: o.atMs, frames: 0 };
          active.metrics = condition.metrics;
          if (o.atMs - active.lastReportMs >= config.repeatEveryMs) {
            active.lastReportMs = o.atMs;
            out.push(finding(active.kind, active.sinceMs, o.atMs, condition.metrics, false));
          }
          return out;
        }
        normal = advance(normal, undefined, o.atMs);
        if (!held(normal, o.atMs, config.clearFrames, config.clearMs)) return out;
        out.push(finding(active.kind, active.sinceMs, o.atMs, active.metrics, true));
        active = undefined;
        candidate = { kind: undefined, sinceMs: o.atMs, frames: 0 };
      }
      if (!condition) {
        candidate = { kind: undefined, sinceMs: o.atMs, frames: 0 };
        baseline.learn(o.hour, sample);
        return out;
      }
      candidate = advance(candidate, condition.kind, o.atMs);
      if (held(candidate, o.atMs, config.onsetFrames, config.onsetMs)) {
        active = { kind: condition.kind, sinceMs: candidate.sinceMs, lastReportMs: o.atMs, metrics: condition.metrics };
        normal = { kind: undefined, sinceMs: o.atMs, frames: 0 };
        out.push(finding(condition.kind, candidate.sinceMs, o.atMs, condition.metrics, false));
      }
      return out;
    },
    /** Whether this frame may become the alignment reference: nothing wrong, nothing building up. */
    settled: () => frames > config.warmupFrames && !active && candidate.frames === 0,
    active: () => (active ? { kind: active.kind, sinceMs: active.sinceMs } : undefined),
  };
}

export type TamperDetector = ReturnType<typeof createTamperDetector>;
