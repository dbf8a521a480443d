const RESYNC_MS = 3_600_000;

/**
 * A camera's capture clock. Frames are judged on the time the camera stamped them (the
 * warehouse's clock, whatever the transport delay), but a camera that resends its buffer
 * also resends its stamp: then time moves on by the camera's usual frame interval and the
 * frame is marked stale (a stuck stream). Without any stamp, the arrival time is used.
 */
export function createFrameClock() {
  let lastAt: number | undefined;
  let lastArrival: number | undefined;
  let interval: number | undefined;
  return {
    next(stamped: number | undefined, arrivalMs: number): { atMs: number; stale: boolean } {
      const arrivalGap = lastArrival === undefined ? 0 : Math.max(0, arrivalMs - lastArrival);
      lastArrival = arrivalMs;
      if (stamped === undefined) {
        const atMs = lastAt === undefined ? arrivalMs : Math.max(lastAt + 1, arrivalMs);
        lastAt = atMs;
        return { atMs, stale: false };
      }
      if (lastAt === undefined || stamped > lastAt || stamped < lastAt - RESYNC_MS) {
        if (lastAt !== undefined && stamped > lastAt) interval = interval === undefined ? stamped - lastAt : interval + 0.2 * (stamped - lastAt - interval);
        lastAt = stamped;
        return { atMs: stamped, stale: false };
      }
      lastAt += Math.max(1, Math.round(interval ?? arrivalGap));
      return { atMs: lastAt, stale: true };
    },
  };
}
