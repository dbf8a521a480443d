import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

// Video thresholds of the site YAML (`video:`), all optional with the defaults below.
// gateway/video/README.md explains each and how to tune them with `npm run analyse -- video`.

const Ratio = (def: number, description: string) => Type.Number({ minimum: 0, maximum: 1, default: def, description });
const Count = (def: number, description: string) => Type.Integer({ minimum: 1, maximum: 1_000, default: def, description });
const Millis = (def: number, description: string) => Type.Integer({ minimum: 0, maximum: 7 * 86_400_000, default: def, description });

export const VideoTamperConfig = Type.Object(
  {
    warmupFrames: Count(5, 'frames a camera shows before anything is judged (its first baseline)'),
    onsetFrames: Count(3, 'consecutive frames a condition must hold before it is reported'),
    onsetMs: Millis(2_000, 'and for at least this long (capture time)'),
    clearFrames: Count(3, 'consecutive normal frames before a finding is cleared'),
    clearMs: Millis(2_000, 'and for at least this long'),
    coverGradientRatio: Ratio(0.15, 'covered: edge energy below this share of the hour’s usual…'),
    coverSdRatio: Ratio(0.35, '…and luma spread below this share of the hour’s usual (dark or bright, but uniform)'),
    blurSharpnessRatio: Ratio(0.7, 'blurred: sharpness (edge energy per contrast) below this share of the camera’s own baseline…'),
    blurGradientRatio: Ratio(0.85, '…and edge energy below this share of the hour’s usual: dawn after a grainy night lowers sharpness while the edges grow with the light'),
    movedPeakRatio: Ratio(0.3, 'moved: phase-correlation peak against the reference below this share of the usual…'),
    movedShiftPx: Type.Number({ minimum: 1, maximum: 10_000, default: 12, description: '…or the scene shifted by at least this many frame pixels' }),
    frozenMaxDiff: Type.Number({ minimum: 0, maximum: 255, default: 0.05, description: 'frozen: mean grey difference to the previous frame at most this (same bytes always count)…' }),
    frozenNoiseRatio: Type.Number({ minimum: 1, maximum: 1_000, default: 4, description: '…while the camera’s usual difference (sensor noise) is at least this many times larger' }),
    baselineAlpha: Ratio(0.05, 'weight of each normal frame in the per-hour baselines'),
    referenceEveryMs: Millis(15 * 60_000, 'the alignment reference is renewed this often from a normal, aligned frame'),
    repeatEveryMs: Millis(30 * 60_000, 'a lasting finding is reported again this often (fusion forgets one after an hour)'),
  },
  { default: {} },
);

export const VideoHealthConfig = Type.Object(
  {
    afterMs: Millis(30_000, 'a black or stuck stream, or a wrong resolution, lasting this long is a device fault'),
  },
  { default: {} },
);

export const VideoChangeConfig = Type.Object(
  {
    pixelThreshold: Type.Number({ minimum: 1, maximum: 255, default: 24, description: 'grey levels at mid-grey (scaled with the ROI’s light, after matching it) by which a pixel must differ to count as changed' }),
    minChangedFraction: Ratio(0.02, 'share of the ROI changed against the reference before a change is reported (0.02: about one pallet in the demo bays)'),
    nightMinChangedFraction: Ratio(0.005, 'the same at night, lower: movement in a pledged ROI is itself evidence (a person is about 0.007)'),
    onsetFrames: Count(3, 'consecutive frames the change must hold (at night: that is all)'),
    dayPersistMs: Millis(30 * 60_000, 'by day goods move under RFID’s eye: a change must also outlast this (two RFID verifications) to be reported'),
    clearFrames: Count(3, 'consecutive frames back at the reference before the change is cleared'),
    cropMaxWidth: Type.Integer({ minimum: 32, maximum: 1_920, default: 320, description: 'the JPEG crop attached to a change is at most this wide' }),
  },
  { default: {} },
);

export const VideoCameraConfig = Type.Object({
  camera: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  /** Expected frame size; without it the first frame's size is taken as the camera's own. */
  width: Type.Optional(Type.Integer({ minimum: 16, maximum: 16_384 })),
  height: Type.Optional(Type.Integer({ minimum: 16, maximum: 16_384 })),
});

export const VideoConfig = Type.Object(
  {
    tamper: VideoTamperConfig,
    health: VideoHealthConfig,
    change: VideoChangeConfig,
    classifier: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'label each ROI with the learned classifier when a change is reported' }),
      },
      { default: {} },
    ),
    queue: Type.Object(
      {
        framesPerCamera: Count(4, 'frames waiting per camera; beyond it the oldest waiting frame is skipped (the newest kept)'),
      },
      { default: {} },
    ),
    limits: Type.Object(
      {
        maxFrameBytes: Type.Integer({ minimum: 1_024, maximum: 4 * 1_048_576, default: 4 * 1_048_576, description: 'larger frames are refused' }),
        maxPixels: Type.Integer({ minimum: 1_024, maximum: 100_000_000, default: 16_777_216, description: 'frames declaring more pixels are refused before decoding' }),
      },
      { default: {} },
    ),
    cameras: Type.Array(VideoCameraConfig, { default: [], maxItems: 1_000 }),
  },
  { default: {} },
);

export type VideoConfig = Static<typeof VideoConfig>;
export type VideoTamperConfig = Static<typeof VideoTamperConfig>;
export type VideoChangeConfig = Static<typeof VideoChangeConfig>;

const checker = Compile(VideoConfig);

/** The site's video settings with every default filled in (the YAML may leave `video:` out). */
export function resolveVideoConfig(partial: unknown = {}): VideoConfig {
  const value = checker.Default(structuredClone(partial ?? {}));
  if (!checker.Check(value)) {
    const first = checker.Errors(value)[0];
    throw new RangeError(`video config ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`);
  }
  return value as VideoConfig;
}
