export interface PeriodicTask {
  /** Runs once now (or at `at`), after any run in progress; what tests call. */
  runOnce(at?: Date): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A timer around a job that takes the time as an argument: the job stays a plain
 * function of "now" (tests pass the time they want), this shell only decides when.
 * One run at a time; a slow run is not stacked on; failures are logged, not thrown.
 */
export function startPeriodicTask(input: {
  name: string;
  intervalMs: number;
  now: () => Date;
  run: (now: Date) => Promise<unknown>;
  log: { error(obj: unknown, msg: string): void };
}): PeriodicTask {
  let running: Promise<void> | undefined;
  const once = (at: Date): Promise<void> => {
    const previous = running ?? Promise.resolve();
    const next = previous
      .then(() => input.run(at))
      .then(
        () => undefined,
        (error: unknown) => input.log.error({ err: error, task: input.name }, 'periodic task failed'),
      )
      .finally(() => {
        if (running === next) running = undefined;
      });
    running = next;
    return next;
  };
  const timer =
    input.intervalMs > 0
      ? setInterval(() => {
          if (running === undefined) void once(input.now());
        }, input.intervalMs)
      : undefined;
  timer?.unref();
  return {
    runOnce: (at) => once(at ?? input.now()),
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await running;
    },
  };
}
