import { Type, type Static } from 'typebox';
import { Cleared, DeviceRef, DurationMs, LotIds, Measure, Timestamp, Word, ZoneName, ZoneNames } from './evidence-fields.ts';

/** `sensor.out_of_range`: a reading beyond the range of the lots it watches; `cleared` when back. */
export const SensorOutOfRangeEvidence = Type.Object(
  {
    device: DeviceRef,
    /** The reading's kind (`temperature`, `humidity`, …; open, as in sensor readings). */
    kind: Word,
    value: Measure,
    unit: Type.String({ maxLength: 16 }),
    min: Type.Optional(Measure),
    max: Type.Optional(Measure),
    since: Timestamp,
    durationMs: DurationMs,
    /** Furthest beyond the bound so far, in `unit`. */
    extent: Measure,
    /** The lots whose range was crossed. */
    lots: LotIds,
    zones: ZoneNames,
    cleared: Cleared,
  },
  { additionalProperties: false },
);
export type SensorOutOfRangeEvidence = Static<typeof SensorOutOfRangeEvidence>;

/** `weight.change`: a bay's weight against its lots' manifest weight. */
export const WeightChangeEvidence = Type.Object(
  {
    device: DeviceRef,
    zone: Type.Optional(ZoneName),
    unit: Type.Literal('kg'),
    before: Measure,
    after: Measure,
    delta: Measure,
    expected: Measure,
    tolerance: Measure,
    /** A change that held (true) or a slow drift (false). */
    step: Type.Boolean(),
    atNight: Type.Boolean(),
    lots: LotIds,
    since: Timestamp,
    cleared: Cleared,
  },
  { additionalProperties: false },
);
export type WeightChangeEvidence = Static<typeof WeightChangeEvidence>;

/** `lot.condition`: a lot's condition factor from its climate history, and why. */
export const LotConditionEvidence = Type.Object(
  {
    lots: LotIds,
    factor: Type.Number({ minimum: 0, maximum: 1 }),
    reasons: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 32 }),
    since: Timestamp,
  },
  { additionalProperties: false },
);
export type LotConditionEvidence = Static<typeof LotConditionEvidence>;
