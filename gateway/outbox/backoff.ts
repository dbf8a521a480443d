// Exponential backoff with "full jitter": the delay is drawn uniformly from
// [0, min(max, initial * multiplier^(attempt-1))]. Spreading retries over the whole
// window keeps a fleet of gateways that lost the cloud at the same moment from
// hammering it in lockstep when it returns.
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Default 2. */
  readonly multiplier?: number;
}

export function validateBackoff(options: BackoffOptions): void {
  if (!(Number.isFinite(options.initialMs) && options.initialMs > 0)) throw new RangeError('backoff.initialMs must be positive');
  if (!(Number.isFinite(options.maxMs) && options.maxMs >= options.initialMs)) throw new RangeError('backoff.maxMs must be >= initialMs');
  const multiplier = options.multiplier ?? 2;
  if (!(Number.isFinite(multiplier) && multiplier >= 1)) throw new RangeError('backoff.multiplier must be >= 1');
}

/** Upper bound of the delay before retry number `attempt` (1 for the first retry). */
export function backoffCeilingMs(attempt: number, options: BackoffOptions): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError('attempt must be a positive integer');
  const multiplier = options.multiplier ?? 2;
  // Past the cap the power only overflows; stop computing it there.
  const exponent = Math.min(attempt - 1, 1024);
  return Math.min(options.maxMs, options.initialMs * multiplier ** exponent);
}

/** `random` returns values in [0, 1), like Math.random. */
export function fullJitterDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = backoffCeilingMs(attempt, options);
  return Math.min(Math.floor(random() * (ceiling + 1)), Math.floor(ceiling));
}
