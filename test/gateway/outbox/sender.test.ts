import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '../../../gateway/outbox/memory-outbox-store.ts';
import type { OutboxStore } from '../../../gateway/outbox/outbox-store.ts';
import { SenderStoppedError, createSender } from '../../../gateway/outbox/sender.ts';
import type { Sender, SenderHooks, SenderOptions } from '../../../gateway/outbox/sender-types.ts';
import type { TestEvent } from './support/events.ts';
import { TEST_EVENT_BYTES, makeEvent, makeEvents } from './support/events.ts';
import { FakeCloud, seededRandom } from './support/fake-cloud.ts';
import { openFileStore, range } from './support/file-store.ts';
import { ManualTimers } from './support/manual-timers.ts';
import { makeTempDir } from './support/temp-dir.ts';

const backoff = { initialMs: 500, maxMs: 60_000 };

describe('sender', () => {
  let store: OutboxStore<TestEvent>;
  let cloud: FakeCloud;
  let timers: ManualTimers;
  let sender: Sender | null;

  beforeEach(async () => {
    store = new MemoryOutboxStore<TestEvent>();
    await store.open();
    cloud = new FakeCloud();
    timers = new ManualTimers(1_000_000);
    sender = null;
  });

  afterEach(async () => {
    await sender?.stop();
    await store.close();
  });

  function startSender(overrides: Partial<SenderOptions<TestEvent>> = {}): Sender {
    sender = createSender<TestEvent>({
      store,
      deliver: cloud.deliver,
      batchSize: 10,
      maxBatchBytes: 1_000_000,
      backoff,
      timers,
      clock: timers,
      random: seededRandom(7),
      ...overrides,
    });
    sender.start();
    return sender;
  }

  it('delivers every event once, in order, in batches of batchSize', async () => {
    await store.append(makeEvents(1, 25));
    await startSender().flush();
    expect(cloud.storedSeqs()).toEqual(range(1, 25));
    expect(cloud.batchSizes).toEqual([10, 10, 5]);
    expect(store.stats()).toMatchObject({ pending: 0, lastAckedSeq: 25 });
  });

  it('keeps batches under maxBatchBytes', async () => {
    await store.append(makeEvents(1, 7));
    await startSender({ maxBatchBytes: TEST_EVENT_BYTES * 2 + 10 }).flush();
    expect(cloud.batchSizes).toEqual([2, 2, 2, 1]);
    expect(cloud.storedSeqs()).toEqual(range(1, 7));
  });

  it('rides out a long outage and then delivers every event exactly once, in order', async () => {
    await store.append(makeEvents(1, 40));
    cloud.failuresLeft = 300;
    const retries: number[] = [];
    // Events keep arriving while the cloud is down.
    cloud.onCall = (call) => {
      if (call % 50 === 0) void store.append(makeEvents((store.stats().lastAppendedSeq ?? 0) + 1, 3));
    };
    const started = timers.now();
    const running = startSender({ hooks: [{ onRetry: ({ delayMs }) => retries.push(delayMs) }] });
    await timers.runUntil(running.flush());
    expect(retries).toHaveLength(300);
    expect(Math.max(...retries)).toBeLessThanOrEqual(backoff.maxMs);
    expect(timers.now() - started).toBeGreaterThan(60 * 60 * 1000);
    await running.flush();
    expect(cloud.storedSeqs()).toEqual(range(1, store.stats().lastAppendedSeq ?? 0));
    expect(cloud.storedSeqs()).toHaveLength(58);
  });

  it('treats a 409 duplicate as delivered', async () => {
    const duplicates: number[] = [];
    await store.append(makeEvents(1, 5));
    cloud.nextAnswer = (batch) => batch.slice(1, 3).map(({ id }) => ({ id, reason: 'duplicate' as const }));
    await startSender({ hooks: [{ onDuplicates: (count) => duplicates.push(count) }] }).flush();
    expect(cloud.calls).toBe(1);
    expect(duplicates).toEqual([2]);
    expect(store.stats()).toMatchObject({ pending: 0, lastAckedSeq: 5 });
  });

  it('dead-letters events refused as invalid and goes on', async () => {
    const deadLettered: number[] = [];
    const delivered: number[] = [];
    const hooks: SenderHooks = {
      onDeadLettered: ({ records }) => deadLettered.push(...records.map((record) => record.seq)),
      onDelivered: ({ count }) => delivered.push(count),
    };
    await store.append(makeEvents(1, 4));
    cloud.nextAnswer = (batch) => [{ id: batch[2]?.id ?? '', reason: 'invalid', message: 'bad signature' }];
    await startSender({ hooks: [hooks] }).flush();
    await store.append([makeEvent(5)]);
    await sender?.flush();
    expect(deadLettered).toEqual([3]);
    expect(delivered).toEqual([3, 1]);
    expect(cloud.storedSeqs()).toEqual([1, 2, 4, 5]);
  });

  it('wakes on append instead of polling', async () => {
    const running = startSender();
    await running.flush();
    expect(timers.pending).toBe(0);
    await store.append(makeEvents(1, 3));
    await running.flush();
    expect(cloud.storedSeqs()).toEqual([1, 2, 3]);
    expect(timers.pending).toBe(0);
  });

  it('retries when deliver throws, and waits at least retryAfterMs', async () => {
    let calls = 0;
    await store.append(makeEvents(1, 2));
    const running = startSender({
      deliver: async (batch) => {
        calls += 1;
        if (calls === 1) throw new Error('ECONNRESET');
        if (calls === 2) return { kind: 'retry', reason: '429', retryAfterMs: 45_000 };
        return cloud.deliver(batch);
      },
    });
    await timers.runUntil(running.flush());
    expect(calls).toBe(3);
    expect(timers.delays[1]).toBeGreaterThanOrEqual(45_000);
    expect(cloud.storedSeqs()).toEqual([1, 2]);
  });

  it('stops during a backoff and rejects a pending flush', async () => {
    await store.append(makeEvents(1, 2));
    cloud.failuresLeft = 1_000;
    const running = startSender();
    const flushed = running.flush();
    await timers.whenScheduled();
    await running.stop();
    await expect(flushed).rejects.toBeInstanceOf(SenderStoppedError);
    expect(timers.pending).toBe(0);
    await expect(running.flush()).rejects.toBeInstanceOf(SenderStoppedError);
    expect(store.stats().pending).toBe(2);
  });

  it('resumes from the file store after a restart in the middle of an outage', async () => {
    const temp = await makeTempDir();
    try {
      let fileStore = await openFileStore(temp.dir, { segmentBytes: 2048 });
      store = fileStore;
      await fileStore.append(makeEvents(1, 30));
      const first = startSender({ batchSize: 7 });
      await timers.runUntil(first.flush());
      cloud.failuresLeft = 50;
      await fileStore.append(makeEvents(31, 20));
      const halfway = new Promise<void>((resolve) => {
        cloud.onCall = () => {
          if (cloud.failuresLeft === 26) resolve();
        };
      });
      await timers.runUntil(halfway);
      await first.stop();
      await fileStore.close();

      fileStore = await openFileStore(temp.dir, { segmentBytes: 2048 });
      store = fileStore;
      expect(fileStore.stats()).toMatchObject({ lastAckedSeq: 30, pending: 20 });
      const second = startSender({ batchSize: 7 });
      await timers.runUntil(second.flush());
      expect(cloud.storedSeqs()).toEqual(range(1, 50));
    } finally {
      await sender?.stop();
      await store.close();
      await temp.remove();
    }
  });
});
