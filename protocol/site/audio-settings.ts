import { Type, type Static } from 'typebox';

// Same wall-clock form as the site's `night` (HH:MM, 24 h).
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

/** What the audio stage may call a sound (PROTOCOL.md `audio.anomaly` labels, without `unknown`). */
export const AudioLabel = Type.Union([
  Type.Literal('engine'),
  Type.Literal('cutting'),
  Type.Literal('alarm'),
  Type.Literal('voices'),
  Type.Literal('impact'),
]);

/**
 * The site's audio policy (site YAML `audio`, optional). Outside working hours every
 * recognised sound is an event; inside them only the labels not listed as normal are.
 * `workingHours` defaults to the hours outside the site's `night`, on the same clock.
 */
export const AudioSettings = Type.Object({
  workingHours: Type.Optional(Type.Object({ from: Clock, to: Clock })),
  normalInWorkingHours: Type.Array(AudioLabel, { default: ['engine', 'voices', 'impact'], maxItems: 5 }),
  /** Classifier confidence from which a label is believed; below it a far-from-baseline sound is `unknown`. */
  minConfidence: Type.Number({ minimum: 0.3, maximum: 0.99, default: 0.6 }),
  /** How far (in baseline spreads) a window must be from its hour's baseline to be unusual. */
  baselineDistance: Type.Number({ minimum: 1, maximum: 50, default: 4 }),
});

export type AudioLabel = Static<typeof AudioLabel>;
export type AudioSettings = Static<typeof AudioSettings>;
