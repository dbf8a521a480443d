import { Type, type Static } from 'typebox';
import { AttachmentRefs } from './attachment-ref.ts';
import { Cleared, DeviceRef, DurationMs, Fraction, ZoneNames } from './evidence-fields.ts';

/** PROTOCOL.md `audio.anomaly` labels (protocol/site/audio-settings.ts lists those a site may configure). */
export const AUDIO_ANOMALY_LABELS = ['engine', 'cutting', 'alarm', 'voices', 'impact', 'unknown'] as const;
export type AudioAnomalyLabel = (typeof AUDIO_ANOMALY_LABELS)[number];

/** `audio.anomaly`: a sound that should not be there; `cleared` when it ends. */
export const AudioAnomalyEvidence = Type.Object(
  {
    device: DeviceRef,
    zones: ZoneNames,
    label: Type.Enum([...AUDIO_ANOMALY_LABELS]),
    confidence: Fraction,
    /** Loudest window, dB full scale. */
    dbfs: Type.Number({ minimum: -200, maximum: 10 }),
    durationMs: DurationMs,
    atNight: Type.Boolean(),
    /** How far from the hour's usual sound (log-mel distance), when a baseline exists. */
    baselineDistance: Type.Optional(Type.Number({ minimum: 0, maximum: 1e6 })),
    cleared: Cleared,
    /** A short WAV clip of the sound. */
    attachments: Type.Optional(AttachmentRefs),
  },
  { additionalProperties: false },
);
export type AudioAnomalyEvidence = Static<typeof AudioAnomalyEvidence>;
