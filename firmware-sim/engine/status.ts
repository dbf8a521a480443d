import { topics } from '../../protocol/index.ts';
import type { DeviceInfo, SimMessage } from './types.ts';

/** Retained `online` status, published on every (re)connect since the will overwrote it. */
export function onlineStatus(site: string, info: DeviceInfo, t: number): SimMessage {
  return {
    deviceId: info.id,
    channel: 'status',
    topic: topics.deviceStatus(site, info.id),
    payload: Buffer.from(
      JSON.stringify({
        state: 'online',
        ts: new Date(t).toISOString(),
        kind: info.kind,
        model: info.model,
        firmware: info.firmware,
        ...(info.format ? { format: info.format } : {}),
      }),
    ),
    qos: 1,
    retain: true,
    simTs: t,
  };
}

/**
 * The last will. It is handed to the broker at connect time, so it cannot know when the
 * connection will be lost: no `ts`, and the gateway stamps it on arrival.
 */
export function willPayload(info: Pick<DeviceInfo, 'kind'>): Buffer {
  return Buffer.from(JSON.stringify({ state: 'offline', reason: 'connection-lost', kind: info.kind }));
}

export function willMessage(info: DeviceInfo, t: number): SimMessage {
  return {
    deviceId: info.id,
    channel: 'status',
    topic: info.will.topic,
    payload: info.will.payload,
    qos: 1,
    retain: true,
    simTs: t,
  };
}

/** What a device publishes itself when it shuts down cleanly. */
export function shutdownStatus(site: string, info: DeviceInfo, t: number): SimMessage {
  return {
    deviceId: info.id,
    channel: 'status',
    topic: topics.deviceStatus(site, info.id),
    payload: Buffer.from(JSON.stringify({ state: 'offline', ts: new Date(t).toISOString(), reason: 'shutdown', kind: info.kind })),
    qos: 1,
    retain: true,
    simTs: t,
  };
}
