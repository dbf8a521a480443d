import type { VideoChangeConfig } from '../../protocol/site/video-config.ts';
import type { RegionOfInterest } from '../../protocol/site/site-config.ts';
import type { GreyFrame } from './grey-frame.ts';

export interface ChangeFinding {
  zone: string;
  roi: RegionOfInterest;
  changedFraction: number;
  atNight: boolean;
  sinceMs: number;
  atMs: number;
  referenceAtMs: number | undefined;
  cleared: boolean;
  /** Why a finding ended: the goods look as in the reference again, or RFID re-verified the lot by day. */
  reason?: 'restored' | 'reverified';
}

/**
 * The ROI's pixels on the analysis frame, smoothed 3 × 3: the box filter cuts sensor
 * noise threefold (night frames are grainy) while goods, a few pixels wide even here, stay.
 */
export function roiPixels(frame: GreyFrame, r: { x: number; y: number; width: number; height: number }): Float32Array {
  const out = new Float32Array(r.width * r.height);
  const { width: fw, height: fh, data } = frame;
  for (let y = 0; y < r.height; y += 1) {
    for (let x = 0; x < r.width; x += 1) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy += 1) {
        const yy = r.y + y + dy;
        if (yy < 0 || yy >= fh) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const xx = r.x + x + dx;
          if (xx < 0 || xx >= fw) continue;
          s += data[yy * fw + xx] as number;
          n += 1;
        }
      }
      out[y * r.width + x] = s / n;
    }
  }
  return out;
}

function meanSd(p: Float32Array): { mean: number; sd: number } {
  let s = 0;
  let q = 0;
  for (let i = 0; i < p.length; i += 1) {
    const v = p[i] as number;
    s += v;
    q += v * v;
  }
  const mean = s / p.length;
  return { mean, sd: Math.sqrt(Math.max(0, q / p.length - mean * mean)) };
}

/**
 * Share of ROI pixels changed against the reference. The current pixels are first brought
 * to the reference's mean and contrast, so lamps, dusk and the camera's gain do not count
 * as change; a pixel is changed when it differs by more than `threshold` grey levels at
 * mid-grey, scaled with the reference's light (a dark night frame has a small range, and
 * goods swapped in it differ by a few levels only).
 */
export function changedFraction(reference: Float32Array, current: Float32Array, threshold: number): number {
  const r = meanSd(reference);
  const c = meanSd(current);
  const k = c.sd > 1 ? r.sd / c.sd : 1;
  const bound = (threshold * Math.max(r.mean, 16)) / 128;
  let changed = 0;
  for (let i = 0; i < current.length; i += 1) {
    const v = ((current[i] as number) - c.mean) * k + r.mean;
    if (Math.abs(v - (reference[i] as number)) > bound) changed += 1;
  }
  return changed / Math.max(1, current.length);
}

/**
 * Change in one region of interest against a reference captured when RFID last verified
 * the lots behind it (`reverified`), or, until then, the first settled frame.
 * Night policy: at night nothing should move, so a change of `nightMinChangedFraction`
 * over `onsetFrames` frames is evidence. By day goods move under the RFID readers' eye,
 * so a complete RFID verification renews the reference (ending a change in progress), and
 * a change is reported only if it outlasts `dayPersistMs` without one: goods that left
 * with their tags make RFID incomplete, so nothing renews the reference and the change stands.
 */
export function createRoiChangeDetector(zone: string, roi: RegionOfInterest, config: VideoChangeConfig, repeatEveryMs: number) {
  let reference: { pixels: Float32Array; atMs: number } | undefined;
  let renew = false;
  let renewByDay = false;
  let streak = { frames: 0, sinceMs: 0, max: 0 };
  let calm = 0;
  let active: { sinceMs: number; lastFraction: number; atNight: boolean; lastReportMs: number } | undefined;

  const result = (f: Omit<ChangeFinding, 'zone' | 'roi' | 'referenceAtMs'>): ChangeFinding => ({ zone, roi, referenceAtMs: reference?.atMs, ...f });

  return {
    zone,
    roi,
    /** RFID verified the lots of this zone complete: take the next frame as the reference (by day even mid-change). */
    reverified(atNight: boolean): void {
      renew = true;
      renewByDay = !atNight;
    },
    reference: () => reference,
    active: () => active !== undefined,
    /** `pixels`: the ROI on the analysis frame; `blind`: the camera is tampered, judge nothing. */
    observe(pixels: Float32Array, atMs: number, atNight: boolean, blind: boolean): ChangeFinding[] {
      if (blind) return [];
      const out: ChangeFinding[] = [];
      const quiet = !active && streak.frames === 0;
      if (!reference || (renew && (renewByDay || quiet))) {
        if (active) out.push(result({ changedFraction: active.lastFraction, atNight, sinceMs: active.sinceMs, atMs, cleared: true, reason: 'reverified' }));
        reference = { pixels, atMs };
        renew = false;
        active = undefined;
        streak = { frames: 0, sinceMs: atMs, max: 0 };
        return out;
      }
      const fraction = changedFraction(reference.pixels, pixels, config.pixelThreshold);
      const bound = atNight ? config.nightMinChangedFraction : config.minChangedFraction;
      if (active) {
        if (fraction < bound / 2) calm += 1;
        else {
          calm = 0;
          active.lastFraction = fraction;
        }
        if (calm >= config.clearFrames) {
          out.push(result({ changedFraction: fraction, atNight, sinceMs: active.sinceMs, atMs, cleared: true, reason: 'restored' }));
          active = undefined;
          streak = { frames: 0, sinceMs: atMs, max: 0 };
        } else if (atMs - active.lastReportMs >= repeatEveryMs) {
          active.lastReportMs = atMs;
          out.push(result({ changedFraction: active.lastFraction, atNight, sinceMs: active.sinceMs, atMs, cleared: false }));
        }
        return out;
      }
      if (fraction < bound) {
        streak = { frames: 0, sinceMs: atMs, max: 0 };
        return out;
      }
      streak = streak.frames === 0 ? { frames: 1, sinceMs: atMs, max: fraction } : { frames: streak.frames + 1, sinceMs: streak.sinceMs, max: Math.max(streak.max, fraction) };
      const persisted = atNight || atMs - streak.sinceMs >= config.dayPersistMs;
      if (streak.frames >= config.onsetFrames && persisted) {
        active = { sinceMs: streak.sinceMs, lastFraction: fraction, atNight, lastReportMs: atMs };
        calm = 0;
        out.push(result({ changedFraction: fraction, atNight, sinceMs: streak.sinceMs, atMs, cleared: false }));
      }
      return out;
    },
  };
}

export type RoiChangeDetector = ReturnType<typeof createRoiChangeDetector>;
