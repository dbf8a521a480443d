import { Type, type Static } from 'typebox';
import { DeviceTimestamp } from './common.ts';

/** `wh/{site}/device/{id}/status`, retained and used as the device's MQTT last will. */
export const DeviceStatus = Type.Object(
  {
    state: Type.Enum(['online', 'offline']),
    ts: Type.Optional(DeviceTimestamp),
  },
  { additionalProperties: true },
);
export type DeviceStatus = Static<typeof DeviceStatus>;
