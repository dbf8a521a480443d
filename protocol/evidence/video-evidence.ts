import { Type, type Static } from 'typebox';
import { AttachmentRefs } from './attachment-ref.ts';
import { Cleared, DeviceRef, DurationMs, Fraction, Timestamp, ZoneName, ZoneNames } from './evidence-fields.ts';

/** PROTOCOL.md `camera.tamper` kinds. */
export const TAMPER_KINDS = ['covered', 'blurred', 'moved', 'frozen'] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

/** What the ROI classifier may call a region of interest. */
export const ROI_LABELS = ['goods-present', 'goods-partly-removed', 'empty', 'obstructed'] as const;
export type RoiLabel = (typeof ROI_LABELS)[number];

/** `camera.tamper`: a camera blinded, moved or frozen; `cleared` when it sees again. */
export const CameraTamperEvidence = Type.Object(
  {
    device: DeviceRef,
    zones: ZoneNames,
    kind: Type.Enum([...TAMPER_KINDS]),
    /** The detector's measures behind the verdict (sharpness, peak, …). */
    metrics: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,31}$' }), Type.Number(), { maxProperties: 16 }),
    since: Timestamp,
    durationMs: DurationMs,
    cleared: Cleared,
    attachments: Type.Optional(AttachmentRefs),
  },
  { additionalProperties: false },
);
export type CameraTamperEvidence = Static<typeof CameraTamperEvidence>;

/** A rectangle of the camera image, in pixels (the site file's `roi`). */
export const RoiRectangle = Type.Object(
  {
    x: Type.Integer({ minimum: 0, maximum: 100_000 }),
    y: Type.Integer({ minimum: 0, maximum: 100_000 }),
    width: Type.Integer({ minimum: 1, maximum: 100_000 }),
    height: Type.Integer({ minimum: 1, maximum: 100_000 }),
  },
  { additionalProperties: false },
);

/** `camera.change`: a region of interest changed against the lot's reference. */
export const CameraChangeEvidence = Type.Object(
  {
    device: DeviceRef,
    zone: ZoneName,
    roi: RoiRectangle,
    changedFraction: Fraction,
    referenceAt: Type.Optional(Timestamp),
    classifier: Type.Optional(Type.Object({ label: Type.Enum([...ROI_LABELS]), confidence: Fraction }, { additionalProperties: false })),
    atNight: Type.Boolean(),
    cleared: Cleared,
    /** JPEG crops of the region now (and its reference). */
    attachments: Type.Optional(AttachmentRefs),
  },
  { additionalProperties: false },
);
export type CameraChangeEvidence = Static<typeof CameraChangeEvidence>;
