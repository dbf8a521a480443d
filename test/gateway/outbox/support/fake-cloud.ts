// A cloud endpoint double: it stores batches, dedupes on id like the real one, and
// can be told to be down for a number of calls.
import type { DeliverResult, EventRejection } from '../../../../gateway/outbox/sender-types.ts';
import type { TestEvent } from './events.ts';

export class FakeCloud {
  /** Each event the cloud stored, in arrival order. */
  readonly stored: TestEvent[] = [];
  readonly batchSizes: number[] = [];
  calls = 0;
  failuresLeft = 0;
  /** Answer for the next successful call, then back to plain ok. */
  nextAnswer: ((batch: readonly TestEvent[]) => readonly EventRejection[]) | null = null;
  onCall: ((call: number) => void) | null = null;
  private readonly ids = new Set<string>();

  readonly deliver = async (batch: readonly TestEvent[]): Promise<DeliverResult> => {
    this.calls += 1;
    this.onCall?.(this.calls);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return { kind: 'retry', reason: '503 Service Unavailable' };
    }
    this.batchSizes.push(batch.length);
    const rejections = this.nextAnswer?.(batch) ?? [];
    this.nextAnswer = null;
    const refused = new Set(rejections.filter((rejection) => rejection.reason === 'invalid').map((rejection) => rejection.id));
    for (const event of batch) {
      if (refused.has(event.id) || this.ids.has(event.id)) continue;
      this.ids.add(event.id);
      this.stored.push(event);
    }
    return rejections.length > 0 ? { kind: 'rejected', rejections } : { kind: 'ok' };
  };

  storedSeqs(): number[] {
    return this.stored.map((event) => event.seq);
  }
}

/** Deterministic [0, 1) draws (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
