/**
 * Retry schedule of a failed delivery: 30 s, 1 min, 2 min, … doubling up to an hour, with
 * up to a tenth of the delay added at random (jitter) so a receiver that comes back is not
 * hit by every queued message in the same second. After MAX_ATTEMPTS it is a dead letter.
 */
export const MAX_ATTEMPTS = 8;
const BASE_MS = 30_000;
const CAP_MS = 3_600_000;

export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay + delay * 0.1 * random());
}

export function isDead(attempts: number): boolean {
  return attempts >= MAX_ATTEMPTS;
}
