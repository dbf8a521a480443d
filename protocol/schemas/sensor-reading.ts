import { Type, type Static } from 'typebox';
import { DeviceTimestamp } from './common.ts';

/**
 * `wh/{site}/sensor/{id}/reading`. `kind` is open ("weight", "temperature", "humidity", …)
 * so new probes need no contract change; extra fields from real devices are kept.
 */
export const SensorReading = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 64 }),
    value: Type.Number(),
    unit: Type.String({ maxLength: 32 }),
    ts: Type.Optional(DeviceTimestamp),
  },
  { additionalProperties: true },
);
export type SensorReading = Static<typeof SensorReading>;
