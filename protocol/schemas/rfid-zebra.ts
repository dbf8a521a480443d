import { Type, type Static } from 'typebox';
import { DeviceTimestamp, HexString } from './common.ts';

/**
 * Zebra IoT Connector tag data events (FX7500/FX9600/ATR7000/FXR90). Which `data` members
 * appear depends on the reader's tagMetaData setting; we require the ones a read needs
 * (idHex, antenna, peakRssi) and keep the rest optional, including `reads`.
 */
export const ZEBRA_DATA_EVENT_TYPES = ['SIMPLE', 'INVENTORY', 'PORTAL', 'CONVEYOR', 'CUSTOM', 'DIRECTIONALITY'] as const;

export const ZebraTagData = Type.Object(
  {
    idHex: HexString,
    antenna: Type.Integer({ minimum: 1 }),
    /** dBm. */
    peakRssi: Type.Number(),
    reads: Type.Optional(Type.Integer({ minimum: 0 })),
    eventNum: Type.Optional(Type.Integer()),
    format: Type.Optional(Type.String()),
    /** MHz. */
    channel: Type.Optional(Type.Number()),
    phase: Type.Optional(Type.Number()),
    PC: Type.Optional(Type.String()),
    CRC: Type.Optional(Type.String()),
    MAC: Type.Optional(Type.String()),
    tidHex: Type.Optional(HexString),
  },
  { additionalProperties: true },
);
export type ZebraTagData = Static<typeof ZebraTagData>;

export const ZebraEvent = Type.Object(
  {
    type: Type.Enum([...ZEBRA_DATA_EVENT_TYPES]),
    timestamp: Type.Optional(DeviceTimestamp),
    data: ZebraTagData,
  },
  { additionalProperties: true },
);
export type ZebraEvent = Static<typeof ZebraEvent>;
