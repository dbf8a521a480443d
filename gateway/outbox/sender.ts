// The delivery loop: peek the oldest batch, deliver it, ack it, repeat; back off
// with full jitter while the cloud is unreachable; sleep on the store's append
// notification when the outbox is empty (no polling). Delivery is at least once:
// after a crash between deliver and ack the batch is sent again, and the cloud
// dedupes on event id.
import { fullJitterDelayMs, validateBackoff } from './backoff.ts';
import { OutboxError } from './errors.ts';
import { silentLogger } from './logger.ts';
import type { DeliverResult, EventRejection, Sender, SenderHooks, SenderOptions } from './sender-types.ts';
import { realTimers, systemClock } from './sender-types.ts';
import type { OutboxRecord, StoredRecord } from './types.ts';

export class SenderStoppedError extends OutboxError {
  constructor() {
    super('OUTBOX_SENDER_STOPPED', 'the sender was stopped');
  }
}

interface FlushWaiter {
  readonly target: number;
  resolve(): void;
  reject(error: unknown): void;
}

export function createSender<R extends OutboxRecord>(options: SenderOptions<R>): Sender {
  const { store, deliver, batchSize, maxBatchBytes, backoff } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  if (!(maxBatchBytes > 0)) throw new RangeError('maxBatchBytes must be positive');
  validateBackoff(backoff);
  const timers = options.timers ?? realTimers;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const hooks = options.hooks ?? [];

  let running = false;
  let loop: Promise<void> | null = null;
  let abort = new AbortController();
  let unsubscribe: (() => void) | null = null;
  let appendGeneration = 0;
  let wakeIdle: (() => void) | null = null;
  let cancelSleep: (() => void) | null = null;
  let flushWaiters: FlushWaiter[] = [];

  const emit = (call: (hook: SenderHooks) => void): void => {
    for (const hook of hooks) {
      try {
        call(hook);
      } catch (error) {
        logger.error({ err: error }, 'outbox sender: hook threw');
      }
    }
  };

  const waitForAppend = (generation: number): Promise<void> => {
    // An append that landed while peek was running must not be slept through.
    if (!running || appendGeneration !== generation) return Promise.resolve();
    return new Promise((resolve) => {
      wakeIdle = resolve;
    });
  };

  const sleep = (ms: number): Promise<void> => {
    if (!running) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = timers.setTimeout(() => {
        cancelSleep = null;
        resolve();
      }, ms);
      cancelSleep = () => {
        timers.clearTimeout(handle);
        resolve();
      };
    });
  };

  const settleFlushes = (): void => {
    if (flushWaiters.length === 0) return;
    const stats = store.stats();
    const acked = stats.lastAckedSeq ?? -1;
    flushWaiters = flushWaiters.filter((waiter) => {
      if (stats.pending > 0 && acked < waiter.target) return true;
      waiter.resolve();
      return false;
    });
  };

  const deliverOnce = async (batch: readonly StoredRecord<R>[], attempt: number): Promise<DeliverResult> => {
    try {
      return await deliver(
        batch.map(({ record }) => record),
        { signal: abort.signal, attempt },
      );
    } catch (error) {
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  };

  /** Returns how many events of the batch count as delivered. */
  const handleRejections = (batch: readonly StoredRecord<R>[], rejections: readonly EventRejection[]): number => {
    const ids = new Set(batch.map(({ record }) => record.id));
    const duplicates = rejections.filter((rejection) => rejection.reason === 'duplicate' && ids.has(rejection.id));
    const invalid = rejections.filter((rejection) => rejection.reason === 'invalid' && ids.has(rejection.id));
    const unknown = rejections.length - duplicates.length - invalid.length;
    if (unknown > 0) logger.warn({ count: unknown }, 'outbox sender: the cloud rejected ids not in the batch');
    if (duplicates.length > 0) emit((hook) => hook.onDuplicates?.(duplicates.length));
    if (invalid.length > 0) {
      const invalidIds = new Set(invalid.map((rejection) => rejection.id));
      const records = batch.map(({ record }) => record).filter((record) => invalidIds.has(record.id));
      // Retrying a permanent refusal would block every later event forever.
      logger.error({ ids: [...invalidIds], rejections: invalid }, 'outbox sender: events refused by the cloud, dead-lettered');
      emit((hook) => hook.onDeadLettered?.({ records, rejections: invalid }));
    }
    return batch.length - invalid.length;
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    const retryLater = async (reason: string, retryAfterMs?: number): Promise<void> => {
      failures += 1;
      const delayMs = Math.max(fullJitterDelayMs(failures, backoff, random), retryAfterMs ?? 0);
      if (failures === 1) logger.warn({ reason, delayMs }, 'outbox sender: delivery failed, backing off');
      else logger.debug({ reason, delayMs, attempt: failures }, 'outbox sender: still failing');
      emit((hook) => hook.onRetry?.({ attempt: failures, delayMs, reason }));
      await sleep(delayMs);
    };

    while (running) {
      const generation = appendGeneration;
      let batch: StoredRecord<R>[];
      try {
        batch = await store.peek(batchSize, maxBatchBytes);
      } catch (error) {
        await retryLater(`peek failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const last = batch.at(-1);
      if (last === undefined) {
        settleFlushes();
        await waitForAppend(generation);
        continue;
      }
      const started = clock.now();
      const result = await deliverOnce(batch, failures);
      if (result.kind === 'retry') {
        await retryLater(result.reason, result.retryAfterMs);
        continue;
      }
      const delivered = result.kind === 'rejected' ? handleRejections(batch, result.rejections) : batch.length;
      try {
        await store.ack(last.record.seq);
      } catch (error) {
        // Delivered but not marked: the batch goes again and the cloud dedupes it.
        await retryLater(`ack failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (failures > 0) logger.info({ attempts: failures + 1 }, 'outbox sender: delivering again');
      failures = 0;
      const bytes = batch.reduce((sum, stored) => sum + stored.bytes, 0);
      emit((hook) => hook.onDelivered?.({ count: delivered, bytes, latencyMs: clock.now() - started, lastSeq: last.record.seq }));
      settleFlushes();
    }
  };

  return {
    start() {
      if (running || loop !== null) throw new Error('sender already started');
      running = true;
      abort = new AbortController();
      unsubscribe = store.onAppended(() => {
        appendGeneration += 1;
        const wake = wakeIdle;
        wakeIdle = null;
        wake?.();
      });
      loop = run().catch((error: unknown) => {
        // Only a bug gets here (every awaited failure is handled in the loop); fail
        // loudly rather than leave flush() callers waiting forever.
        running = false;
        logger.error({ err: error }, 'outbox sender: loop crashed');
        const waiters = flushWaiters;
        flushWaiters = [];
        for (const waiter of waiters) waiter.reject(error);
      });
    },

    async stop() {
      if (loop === null) return;
      running = false;
      unsubscribe?.();
      unsubscribe = null;
      abort.abort();
      wakeIdle?.();
      wakeIdle = null;
      cancelSleep?.();
      cancelSleep = null;
      await loop;
      loop = null;
      const waiters = flushWaiters;
      flushWaiters = [];
      for (const waiter of waiters) waiter.reject(new SenderStoppedError());
    },

    flush() {
      if (!running) return Promise.reject(new SenderStoppedError());
      const target = store.stats().lastAppendedSeq;
      if (target === null) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        flushWaiters.push({ target, resolve, reject });
        settleFlushes();
      });
    },
  };
}
