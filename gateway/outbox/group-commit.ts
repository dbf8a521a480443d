// Group commit: requests that arrive while a commit is in flight are handed to the
// next commit together, so N concurrent appends cost one write and one fsync
// instead of N. The first commit starts on a microtask, so requests issued in the
// same tick already share it.

export interface PendingRequest<T> {
  readonly value: T;
  resolve(): void;
  reject(error: unknown): void;
}

export type CommitGroup<T> = (requests: readonly PendingRequest<T>[]) => Promise<void>;

export class GroupCommitter<T> {
  private queue: PendingRequest<T>[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly commitGroup: CommitGroup<T>) {}

  submit(value: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ value, resolve, reject });
      this.running ??= this.runLoop();
    });
  }

  /** Resolves when nothing is queued or committing. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async runLoop(): Promise<void> {
    await Promise.resolve();
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      try {
        await this.commitGroup(group);
      } catch (error) {
        // The commit function settles each request itself; this only catches a bug
        // in it, and must still never leave a caller waiting forever.
        for (const request of group) request.reject(error);
      }
    }
    this.running = null;
  }
}
