import { AppError } from '../errors.ts';

export interface WorkSlotsOptions {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs waiting for a slot; one more is refused with 503 rather than queued. */
  maxWaiting: number;
}

/**
 * A bounded queue in front of expensive work (password hashing: ~128 MiB and ~0.3 s per
 * scrypt): at most `concurrency` jobs run, at most `maxWaiting` wait, the rest are
 * refused at once. Memory stays bounded however many requests arrive together.
 */
export function createWorkSlots(options: WorkSlotsOptions) {
  let active = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  }

  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (active >= options.concurrency) {
        if (waiting.length >= options.maxWaiting) throw new AppError('unavailable', 'too many sign-ins at once: retry in a moment');
        // The slot is handed over by `release` without `active` dropping in between.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active += 1;
      }
      peak = Math.max(peak, active);
      try {
        return await job();
      } finally {
        release();
      }
    },
    /** Running and waiting jobs now, and the most that ever ran at once. */
    load: () => ({ active, waiting: waiting.length, peak }),
  };
}

export type WorkSlots = ReturnType<typeof createWorkSlots>;
