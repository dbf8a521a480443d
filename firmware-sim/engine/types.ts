import type { DeviceKind } from '../../protocol/index.ts';

/** One MQTT publish as the broker would deliver it. */
export interface SimMessage {
  deviceId: string;
  /** `status` for `wh/{site}/device/{id}/status`, otherwise the device's kind. */
  channel: DeviceKind | 'status';
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
  /** MQTT 5 user properties (`ts`, `seq`, `rate`); lost on an MQTT 3.1.1 connection. */
  userProperties?: Record<string, string>;
  /** Simulated time the device produced it, epoch ms. */
  simTs: number;
}

/** A message whose payload may still be rendering (camera frames are encoded off-thread). */
export interface PendingMessage extends Omit<SimMessage, 'payload'> {
  payload: Buffer | Promise<Buffer>;
}

/**
 * What the simulation core asks of the network, in order. `connect` and `disconnect` are
 * link changes: the MQTT shell opens a session and publishes `online` (retained), or drops
 * the TCP connection without DISCONNECT so that the broker itself publishes `will`.
 * Stepped consumers can treat `online` and `will` as published messages.
 */
export type SimOutput =
  | { type: 'publish'; message: SimMessage }
  | { type: 'connect'; deviceId: string; simTs: number; online: SimMessage }
  | { type: 'disconnect'; deviceId: string; simTs: number; will: SimMessage };

export interface DeviceInfo {
  id: string;
  kind: DeviceKind;
  clientId: string;
  /** Broker login, when the broker authenticates devices. */
  credentials?: { username: string; password: string };
  /** 5 where user properties matter (cameras, microphones); 4 (3.1.1) as most readers ship. */
  protocolVersion: 4 | 5;
  model: string;
  firmware: string;
  /** RFID payload format, for readers. */
  format?: string;
  /** The retained last will, fixed at connect time. */
  will: { topic: string; payload: Buffer };
}

export interface TickContext {
  /** False while the device is powered but cannot reach the broker. */
  readonly linked: boolean;
  emit(message: PendingMessage): void;
}

/** The pure core of one device: told the time, it says what it publishes and when it next acts. */
export interface DeviceCore {
  readonly info: DeviceInfo;
  /** Runs the device's periodic work at `t`; returns when it next wants to run. */
  tick(t: number, ctx: TickContext): number;
  /** Link changes; readers flush what they buffered while offline. */
  onLink?(up: boolean, t: number, ctx: TickContext): void;
  /** Power cycle: forget volatile state. */
  onBoot?(t: number): void;
  /** Tag reads this device has published (readers only). */
  readonly readsPublished?: number;
}
