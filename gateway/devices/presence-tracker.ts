import type { DeviceKind } from '../../protocol/index.ts';

export type PresenceState = 'online' | 'offline';
export type PresenceReason = 'status' | 'activity' | 'silence';

export interface PresenceChange {
  deviceId: string;
  kind: DeviceKind | undefined;
  state: PresenceState;
  reason: PresenceReason;
  at: Date;
  lastSeen: Date | undefined;
}

interface DeviceState {
  state: PresenceState | undefined;
  kind: DeviceKind | undefined;
  lastSeen: Date | undefined;
}

/**
 * Device liveness from two independent signals: what the device says (its retained
 * status, which the broker publishes as its last will when the connection drops) and
 * whether it still talks (silence longer than `silenceMs`). Returns a change only when
 * the state flips, so a chatty device produces one event, not one per message.
 *
 * Silence counts only for devices that stream continuously (cameras, microphones,
 * scales and probes). An RFID reader reports reads, and a door reader with no tag
 * passing has nothing to say for hours: its liveness is its status topic (its own word,
 * its last will) and the vendor health events the RFID stage judges, not tag silence.
 */
export const STREAMING_KINDS: readonly DeviceKind[] = ['camera', 'audio', 'sensor'];

export function createPresenceTracker(silenceMs: number, streaming: readonly DeviceKind[] = STREAMING_KINDS) {
  const devices = new Map<string, DeviceState>();
  const entry = (deviceId: string): DeviceState => {
    let state = devices.get(deviceId);
    if (!state) {
      state = { state: undefined, kind: undefined, lastSeen: undefined };
      devices.set(deviceId, state);
    }
    return state;
  };
  const change = (deviceId: string, d: DeviceState, state: PresenceState, reason: PresenceReason, at: Date) => {
    if (d.state === state) return undefined;
    d.state = state;
    return { deviceId, kind: d.kind, state, reason, at, lastSeen: d.lastSeen } satisfies PresenceChange;
  };

  return {
    /** Any data message from the device. */
    activity(deviceId: string, kind: DeviceKind, at: Date): PresenceChange | undefined {
      const d = entry(deviceId);
      d.kind = kind;
      d.lastSeen = at;
      return change(deviceId, d, 'online', 'activity', at);
    },
    /** The device's status topic: its own word, or its last will published by the broker. */
    status(deviceId: string, state: PresenceState, at: Date, kind?: DeviceKind): PresenceChange | undefined {
      const d = entry(deviceId);
      d.kind ??= kind;
      if (state === 'online') d.lastSeen = at;
      return change(deviceId, d, state, 'status', at);
    },
    /** Marks devices offline whose silence exceeded the limit. */
    tick(now: Date): PresenceChange[] {
      const changes: PresenceChange[] = [];
      for (const [deviceId, d] of devices) {
        if (d.kind === undefined || !streaming.includes(d.kind)) continue;
        if (d.state === 'online' && d.lastSeen && now.getTime() - d.lastSeen.getTime() > silenceMs) {
          const c = change(deviceId, d, 'offline', 'silence', now);
          if (c) changes.push(c);
        }
      }
      return changes;
    },
    snapshot(): { deviceId: string; kind: DeviceKind | undefined; state: PresenceState | undefined; lastSeen: string | null }[] {
      return [...devices].map(([deviceId, d]) => ({
        deviceId,
        kind: d.kind,
        state: d.state,
        lastSeen: d.lastSeen?.toISOString() ?? null,
      }));
    },
  };
}

export type PresenceTracker = ReturnType<typeof createPresenceTracker>;
