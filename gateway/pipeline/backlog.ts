/**
 * Flow control between the MQTT session and the stages. A stage that queues raw payloads
 * (RFID) reports when its queue is past its mark; the session then withholds the
 * acknowledgement of the message it just handed over and stops reading its socket, so
 * the broker holds what follows (TCP and MQTT flow control) instead of the gateway
 * receiving messages it would have to drop. Reading resumes once the stage has caught up.
 */
export interface Backlog {
  /** True while the queue is past its mark: take no more input. */
  full(): boolean;
  /** Calls `resume` once, when the backlog is no longer full (at once if it is not). */
  whenEased(resume: () => void): void;
}

/** What the owner of the queue calls besides. */
export interface ByteBacklog extends Backlog {
  /** After taking from the queue: resumes the waiters once it is below half the mark. */
  drained(): void;
  /** Lets every waiter go (stop): a closed stage must not hold the session. */
  release(): void;
}

/**
 * A queue's backlog by bytes: full from `pauseBytes`, eased below half of it, so reading
 * resumes with room for a burst rather than flipping on every message.
 */
export function createByteBacklog(queuedBytes: () => number, pauseBytes: number): ByteBacklog {
  let waiting: (() => void)[] = [];
  const release = () => {
    const resume = waiting;
    waiting = [];
    for (const r of resume) r();
  };
  return {
    full: () => queuedBytes() >= pauseBytes,
    whenEased(resume) {
      if (queuedBytes() < pauseBytes) resume();
      else waiting.push(resume);
    },
    drained() {
      if (waiting.length > 0 && queuedBytes() < pauseBytes / 2) release();
    },
    release,
  };
}

/** The pipeline's backlog: full while any stage's is; eased when all are. */
export function combinedBacklog(backlogs: readonly Backlog[]): Backlog {
  const fullOne = () => backlogs.find((b) => b.full());
  const whenEased = (resume: () => void): void => {
    const blocking = fullOne();
    if (blocking === undefined) resume();
    else blocking.whenEased(() => whenEased(resume));
  };
  return { full: () => fullOne() !== undefined, whenEased };
}
