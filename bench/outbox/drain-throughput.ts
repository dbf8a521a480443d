// Drain after a long outage: a large backlog appended while the cloud was away,
// then delivered through the sender to a deliver that accepts everything.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileOutboxStore } from '../../gateway/outbox/file-outbox-store.ts';
import { createSender } from '../../gateway/outbox/sender.ts';
import type { BenchEvent } from './bench-events.ts';
import { makeBenchBatch } from './bench-events.ts';

export interface DrainResult {
  readonly events: number;
  readonly appendEventsPerSec: number;
  readonly drainEventsPerSec: number;
  readonly reopenMs: number;
  readonly diskBytes: number;
  readonly rssMiB: number;
}

export async function measureDrain(options: { root: string; events: number; appendBatch: number; sendBatch: number }): Promise<DrainResult> {
  const { events, appendBatch, sendBatch } = options;
  const dir = await mkdtemp(join(options.root, 'drain-'));
  try {
    let store = new FileOutboxStore<BenchEvent>({ dir, maxBytes: Number.MAX_SAFE_INTEGER });
    await store.open();
    const appendStarted = performance.now();
    for (let seq = 0; seq < events; seq += appendBatch) {
      await store.append(makeBenchBatch(seq, Math.min(appendBatch, events - seq)));
    }
    const appendMs = performance.now() - appendStarted;
    const { diskBytes } = store.stats();
    await store.close();

    // The outage usually spans a restart: drain from a freshly recovered store.
    const reopenStarted = performance.now();
    store = new FileOutboxStore<BenchEvent>({ dir, maxBytes: Number.MAX_SAFE_INTEGER });
    await store.open();
    const reopenMs = performance.now() - reopenStarted;

    let delivered = 0;
    const sender = createSender<BenchEvent>({
      store,
      deliver: async (batch) => {
        delivered += batch.length;
        return { kind: 'ok' };
      },
      batchSize: sendBatch,
      maxBatchBytes: 4 * 1024 * 1024,
      backoff: { initialMs: 100, maxMs: 10_000 },
    });
    const drainStarted = performance.now();
    sender.start();
    await sender.flush();
    const drainMs = performance.now() - drainStarted;
    await sender.stop();
    const rssMiB = process.memoryUsage().rss / 1024 / 1024;
    await store.close();
    if (delivered !== events) throw new Error(`delivered ${delivered} of ${events}`);
    return {
      events,
      appendEventsPerSec: events / (appendMs / 1000),
      drainEventsPerSec: events / (drainMs / 1000),
      reopenMs,
      diskBytes,
      rssMiB,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
