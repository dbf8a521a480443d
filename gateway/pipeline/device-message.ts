import type { DeviceChannel } from '../../protocol/index.ts';

/** One MQTT message from a device, after its topic was checked against the wire contract. */
export interface DeviceMessage {
  channel: DeviceChannel;
  site: string;
  deviceId: string;
  payload: Buffer;
  /** MQTT 5 user properties (`ts`, `seq`, `rate`); empty for MQTT 3.1.1 devices. */
  userProperties: Readonly<Record<string, string>>;
  receivedAt: Date;
  retained: boolean;
}
