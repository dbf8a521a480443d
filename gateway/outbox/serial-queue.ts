// Runs async operations one at a time, in call order. The file store mutates segment
// files from appends, acks, evictions and reads; serialising them is simpler and
// safer than reasoning about every interleaving, and costs little since each
// operation is short next to an fsync.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    // The chain must survive a failed operation; the caller sees the failure.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
