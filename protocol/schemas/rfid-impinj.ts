import { Type, type Static, type TProperties } from 'typebox';
import { DeviceTimestamp, HexString } from './common.ts';

/**
 * Impinj IoT device interface (R700 and later) event stream, as documented in Impinj's
 * reader REST API (ReaderEvent, TagInventoryEvent, AntennaConnectedEvent, …). Each event
 * carries exactly one `<name>Event` member and `eventType: "<name>"`, which some firmware
 * leaves out, so the member decides. Unknown members are kept (newer firmware adds some).
 */

/** RFC 4648 §4 base64, padding optional since the interface's JSON is not normative about it. */
const Base64 = Type.String({
  pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$',
  description: 'base64 (RFC 4648 §4)',
});

const AntennaPort = Type.Integer({ minimum: 1 });

function envelope<K extends string, T extends TProperties>(eventType: K, body: T) {
  return {
    timestamp: Type.Optional(DeviceTimestamp),
    hostname: Type.Optional(Type.String()),
    eventType: Type.Optional(Type.Literal(eventType)),
    ...body,
  };
}

export const ImpinjTagInventoryEvent = Type.Object(
  {
    epc: Type.Optional(Base64),
    epcHex: Type.Optional(HexString),
    tidHex: Type.Optional(HexString),
    antennaPort: AntennaPort,
    antennaName: Type.Optional(Type.String()),
    /** centi-dBm: -5800 is -58 dBm. */
    peakRssiCdbm: Type.Integer(),
    /** kHz. */
    frequency: Type.Optional(Type.Integer()),
    transmitPowerCdbm: Type.Optional(Type.Integer()),
    lastSeenTime: Type.Optional(DeviceTimestamp),
    phaseAngle: Type.Optional(Type.Number()),
  },
  { additionalProperties: true },
);
export type ImpinjTagInventoryEvent = Static<typeof ImpinjTagInventoryEvent>;

export const ImpinjTagInventory = Type.Object(envelope('tagInventory', { tagInventoryEvent: ImpinjTagInventoryEvent }), {
  additionalProperties: true,
});
export type ImpinjTagInventory = Static<typeof ImpinjTagInventory>;

const AntennaChange = Type.Object({ antennaPort: AntennaPort }, { additionalProperties: true });

export const ImpinjAntennaConnected = Type.Object(envelope('antennaConnected', { antennaConnectedEvent: AntennaChange }), {
  additionalProperties: true,
});
export type ImpinjAntennaConnected = Static<typeof ImpinjAntennaConnected>;

export const ImpinjAntennaDisconnected = Type.Object(
  envelope('antennaDisconnected', { antennaDisconnectedEvent: AntennaChange }),
  { additionalProperties: true },
);
export type ImpinjAntennaDisconnected = Static<typeof ImpinjAntennaDisconnected>;

export const ImpinjInventoryStatus = Type.Object(
  envelope('inventoryStatus', {
    inventoryStatusEvent: Type.Object({ status: Type.Optional(Type.String()) }, { additionalProperties: true }),
  }),
  { additionalProperties: true },
);
export type ImpinjInventoryStatus = Static<typeof ImpinjInventoryStatus>;

export const ImpinjOverflow = Type.Object(
  envelope('overflow', {
    overflowEvent: Type.Object(
      {
        firstEventTimestamp: Type.Optional(DeviceTimestamp),
        lastEventTimestamp: Type.Optional(DeviceTimestamp),
        eventsPurged: Type.Optional(Type.Integer({ minimum: 0 })),
        eventsRemaining: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      { additionalProperties: true },
    ),
  }),
  { additionalProperties: true },
);
export type ImpinjOverflow = Static<typeof ImpinjOverflow>;

export const ImpinjEvent = Type.Union([
  ImpinjTagInventory,
  ImpinjAntennaConnected,
  ImpinjAntennaDisconnected,
  ImpinjInventoryStatus,
  ImpinjOverflow,
]);
export type ImpinjEvent = Static<typeof ImpinjEvent>;
