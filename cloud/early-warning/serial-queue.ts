/**
 * Runs tasks one after another in arrival order: evaluations compare a finding with the
 * stored state and then write it, so two of them interleaving on one subject could both
 * see the old level and open the same case twice. A failed task is reported and the queue
 * goes on.
 */
export function createSerialQueue(onError: (error: unknown) => void) {
  let tail: Promise<void> = Promise.resolve();
  return function run(task: () => Promise<unknown>): Promise<void> {
    const next = tail.then(task).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
    tail = next;
    return next;
  };
}
