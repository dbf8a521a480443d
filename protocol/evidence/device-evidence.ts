import { Type, type Static } from 'typebox';
import { DeviceRef, Timestamp, ZoneNames } from './evidence-fields.ts';

/**
 * Why a device (or one RFID antenna) went dark or came back, as the stages that watch
 * devices say it: presence (status, activity, silence), an RFID reader about itself and
 * its antennas, a camera stream, a microphone.
 */
export const DEVICE_HEALTH_REASONS = [
  // gateway/devices presence
  'status',
  'activity',
  'silence',
  // RFID readers and antennas
  'antennaDisconnected',
  'antennaConnected',
  'overflow',
  'overflow-ended',
  'reader-error',
  'reader-error-cleared',
  'antenna-silent',
  'antenna-reporting',
  'inventory-stopped',
  'inventory-running',
  // camera streams
  'black-stream',
  'stuck-stream',
  'wrong-resolution',
  'stream-restored',
  // microphones
  'audio-silent',
  'audio-clipping',
  'audio-restored',
] as const;
export type DeviceHealthReason = (typeof DEVICE_HEALTH_REASONS)[number];

const NullableText = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const NullableCount = Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()]);

/** `device.offline` and `device.online`: one shape for both, so a return reads like the loss it ends. */
export const DevicePresenceEvidence = Type.Object(
  {
    device: DeviceRef,
    reason: Type.Enum([...DEVICE_HEALTH_REASONS]),
    /** Zones the device covers (the site file's). */
    zones: Type.Optional(ZoneNames),
    /** RFID: the antenna port, when the change is about one antenna. */
    antenna: Type.Optional(Type.Integer({ minimum: 0, maximum: 64 })),
    /** Presence: when the device was last heard, null when never. */
    lastSeen: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    /** Presence: whether the site file names the device. */
    configured: Type.Optional(Type.Boolean()),
    /** RFID overflow: what the reader says it purged and kept. */
    eventsPurged: Type.Optional(NullableCount),
    eventsRemaining: Type.Optional(NullableCount),
    firstEventTimestamp: Type.Optional(NullableText),
    lastEventTimestamp: Type.Optional(NullableText),
    /** RFID inventory status as the reader wrote it (lower case). */
    status: Type.Optional(Type.String({ maxLength: 64 })),
    /** RFID reader error as the reader wrote it. */
    message: Type.Optional(NullableText),
  },
  { additionalProperties: false },
);
export type DevicePresenceEvidence = Static<typeof DevicePresenceEvidence>;
