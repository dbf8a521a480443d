import { Type, type Static } from 'typebox';
import { DeviceTimestamp, HexString } from './common.ts';

/**
 * The contract's own compact read (PROTOCOL.md "RFID payloads" 3). `ts` may be left out,
 * in which case the gateway uses the arrival time, as for the vendor formats.
 */
export const CompactRead = Type.Object(
  {
    epc: HexString,
    antenna: Type.Integer({ minimum: 0 }),
    rssi: Type.Number(),
    ts: Type.Optional(DeviceTimestamp),
  },
  { additionalProperties: true },
);
export type CompactRead = Static<typeof CompactRead>;
