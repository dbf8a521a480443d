export type StreamFault = 'black-stream' | 'stuck-stream' | 'wrong-resolution';

export interface HealthChange {
  state: 'offline' | 'online';
  /** The fault (offline), or `stream-restored` (online). */
  reason: StreamFault | 'stream-restored';
  atMs: number;
  detail: Record<string, number | string>;
}

export interface StreamSample {
  atMs: number;
  blackFraction: number;
  sameBytes: boolean;
  /** The camera's own capture time did not advance (it resends its buffer). */
  staleTimestamp: boolean;
  width: number;
  height: number;
}

const BLACK_SHARE = 0.98;

/**
 * Device health read from the frames themselves, beside presence (which only knows that
 * frames arrive): a stream of black frames (no sensor signal), a stuck stream (the same
 * bytes or the same capture time over and over: a hung encoder), or frames of another
 * size than the camera's (a swapped or reconfigured camera; the ROIs no longer fit).
 * A fault lasting `afterMs` makes the camera offline; once no fault remains, online.
 */
export function createCameraHealth(afterMs: number, expected: { width: number; height: number } | undefined) {
  let size = expected;
  const since = new Map<StreamFault, number>();
  let down: StreamFault | undefined;

  return {
    observe(s: StreamSample): HealthChange[] {
      size ??= { width: s.width, height: s.height };
      const faults: [StreamFault, boolean][] = [
        ['wrong-resolution', s.width !== size.width || s.height !== size.height],
        ['black-stream', s.blackFraction >= BLACK_SHARE],
        ['stuck-stream', s.sameBytes || s.staleTimestamp],
      ];
      for (const [fault, present] of faults) {
        if (!present) since.delete(fault);
        else if (!since.has(fault)) since.set(fault, s.atMs);
      }
      if (down !== undefined) {
        if (since.size > 0) return [];
        const change: HealthChange = { state: 'online', reason: 'stream-restored', atMs: s.atMs, detail: { was: down } };
        down = undefined;
        return [change];
      }
      for (const [fault] of faults) {
        const from = since.get(fault);
        if (from !== undefined && s.atMs - from >= afterMs) {
          down = fault;
          const detail: Record<string, number | string> = { since: new Date(from).toISOString(), width: s.width, height: s.height };
          if (fault === 'wrong-resolution' && size) detail.expected = `${size.width}x${size.height}`;
          return [{ state: 'offline', reason: fault, atMs: s.atMs, detail }];
        }
      }
      return [];
    },
    fault: () => down,
  };
}
