import type { RegionOfInterest } from '../../protocol/site/site-config.ts';
import type { VideoConfig } from '../../protocol/site/video-config.ts';
import { createCameraHealth, type HealthChange } from './camera-health.ts';
import { frameFeatures, gradientMap, type FrameFeatures } from './frame-features.ts';
import type { GreyFrame } from './grey-frame.ts';
import type { PhaseCorrelator, Spectrum } from './phase-correlation.ts';
import { createRoiChangeDetector, roiPixels, type ChangeFinding, type RoiChangeDetector } from './roi-change.ts';
import { createTamperDetector, type TamperFinding } from './tamper-detector.ts';

/** A decoded frame with what the shell knows about it. */
export interface DecodedFrame {
  grey: GreyFrame;
  /** Size of the frame as sent. */
  width: number;
  height: number;
  atMs: number;
  sameBytes: boolean;
  staleTimestamp: boolean;
}

export interface FrameContext {
  hour: number;
  atNight: boolean;
}

export type CameraFinding =
  | { type: 'tamper'; finding: TamperFinding }
  | { type: 'change'; finding: ChangeFinding; roiPixels: Float32Array; analysisRoi: RegionOfInterest }
  | { type: 'health'; finding: HealthChange };

export interface CameraView {
  zone: string;
  roi: RegionOfInterest;
}

export interface FrameAnalysis {
  findings: CameraFinding[];
  features: FrameFeatures;
}

/** The ROI in analysis pixels, kept inside the frame. */
function scaleRoi(roi: RegionOfInterest, frame: DecodedFrame): RegionOfInterest {
  const sx = frame.grey.width / frame.width;
  const sy = frame.grey.height / frame.height;
  const x = Math.min(frame.grey.width - 1, Math.max(0, Math.floor(roi.x * sx)));
  const y = Math.min(frame.grey.height - 1, Math.max(0, Math.floor(roi.y * sy)));
  return {
    x,
    y,
    width: Math.max(1, Math.min(frame.grey.width - x, Math.round(roi.width * sx))),
    height: Math.max(1, Math.min(frame.grey.height - y, Math.round(roi.height * sy))),
  };
}

/**
 * Everything one camera's frames are judged on, pure: tamper against its own baselines,
 * change in each ROI against its reference, stream health. The shell decodes and
 * emits; the CLI and the tests drive the same object with files and rendered frames.
 */
export function createCameraAnalyser(deps: { config: VideoConfig; views: readonly CameraView[]; correlator: PhaseCorrelator; expectedSize?: { width: number; height: number } | undefined }) {
  const { config, correlator } = deps;
  const tamper = createTamperDetector(config.tamper);
  const health = createCameraHealth(config.health.afterMs, deps.expectedSize);
  const rois: RoiChangeDetector[] = deps.views.map((v) => createRoiChangeDetector(v.zone, v.roi, config.change, config.tamper.repeatEveryMs));
  let gradients: Float32Array<ArrayBuffer> | undefined;
  let previous: GreyFrame | undefined;
  let reference: { spectrum: Spectrum; atMs: number } | undefined;

  function meanDiff(a: GreyFrame, b: GreyFrame | undefined): number {
    if (!b || b.data.length !== a.data.length) return Number.NaN;
    let s = 0;
    for (let i = 0; i < a.data.length; i += 1) {
      const d = (a.data[i] as number) - (b.data[i] as number);
      s += d < 0 ? -d : d;
    }
    return s / a.data.length;
  }

  return {
    rois,
    analyse(frame: DecodedFrame, ctx: FrameContext): FrameAnalysis {
      const grey = frame.grey;
      if (!gradients || gradients.length !== grey.data.length) gradients = new Float32Array(grey.data.length);
      const features = frameFeatures(grey, gradientMap(grey, gradients));
      const spectrum = correlator.spectrum(grey);
      const alignment = reference ? correlator.align(reference.spectrum, spectrum) : undefined;
      const diff = meanDiff(grey, previous);
      previous = grey;
      const findings: CameraFinding[] = [];
      for (const h of health.observe({ atMs: frame.atMs, blackFraction: features.blackFraction, sameBytes: frame.sameBytes, staleTimestamp: frame.staleTimestamp, width: frame.width, height: frame.height })) {
        findings.push({ type: 'health', finding: h });
      }
      const pixelScale = frame.width / grey.width;
      for (const t of tamper.observe({ atMs: frame.atMs, hour: ctx.hour, features, alignment, diff, sameBytes: frame.sameBytes, pixelScale })) {
        findings.push({ type: 'tamper', finding: t });
      }
      // The alignment reference follows the scene slowly (a new rack, daylight), never a tampered view.
      const aligned = !alignment || (alignment.dx === 0 && alignment.dy === 0);
      if (tamper.settled() && aligned && (!reference || frame.atMs - reference.atMs >= config.tamper.referenceEveryMs)) {
        reference = { spectrum, atMs: frame.atMs };
      }
      const blind = tamper.active() !== undefined || !tamper.settled() || health.fault() !== undefined;
      for (const detector of rois) {
        const area = scaleRoi(detector.roi, frame);
        const pixels = roiPixels(grey, area);
        for (const c of detector.observe(pixels, frame.atMs, ctx.atNight, blind)) findings.push({ type: 'change', finding: c, roiPixels: pixels, analysisRoi: area });
      }
      return { findings, features };
    },
    /** RFID verified the lots of `zone` complete. */
    reverified(zone: string, atNight: boolean): void {
      for (const d of rois) if (d.zone === zone) d.reverified(atNight);
    },
    tamperActive: () => tamper.active(),
    fault: () => health.fault(),
  };
}

export type CameraAnalyser = ReturnType<typeof createCameraAnalyser>;
