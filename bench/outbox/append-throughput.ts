// Durable append throughput: the file outbox versus the plainest durable baseline,
// fs.appendFile + fsync of the same JSON bytes, batch for batch. The outbox also
// serialises, frames and checksums; the headline baseline gets its bytes
// ready-made (strict), a second one serialises inside the timed loop as an
// application writing events with appendFile would have to.
//
// Disks (and neighbours on a shared machine) drift, so the sides run in rotating
// blocks and each side's time is summed over all its blocks.
import { appendFile, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileOutboxStore } from '../../gateway/outbox/file-outbox-store.ts';
import type { BenchEvent } from './bench-events.ts';
import { makeBenchBatch } from './bench-events.ts';

export interface AppendComparison {
  readonly batchSize: number;
  readonly batches: number;
  readonly outboxEventsPerSec: number;
  readonly baselineEventsPerSec: number;
  /** outbox / baseline. */
  readonly ratio: number;
  /** Baseline that serialises each batch inside the timed loop. */
  readonly serialisingBaselineEventsPerSec: number;
  readonly ratioVsSerialisingBaseline: number;
}

export interface GroupCommitResult {
  readonly producers: number;
  readonly events: number;
  /** Single-event appends from concurrent producers, merged by group commit. */
  readonly eventsPerSec: number;
  readonly commits: number;
  /** The same single events appended and fsync'd one at a time. */
  readonly sequentialEventsPerSec: number;
}

const BLOCKS = 10;

export async function compareAppend(options: { root: string; batchSize: number; batches: number }): Promise<AppendComparison> {
  const { batchSize } = options;
  const batches = Math.max(BLOCKS, Math.ceil(options.batches / BLOCKS) * BLOCKS);
  // An untimed first block per side: JIT warm-up, first segment and file creation.
  const warmup = Math.max(3, Math.round(batches / BLOCKS));
  const eventBatches = Array.from({ length: warmup + batches }, (_, index) => makeBenchBatch(index * batchSize, batchSize));
  const chunks = eventBatches.map((batch) => Buffer.from(batch.map((event) => `${JSON.stringify(event)}\n`).join('')));
  const dir = await mkdtemp(join(options.root, 'append-'));
  const store = new FileOutboxStore<BenchEvent>({ dir: join(dir, 'outbox'), maxBytes: Number.MAX_SAFE_INTEGER });
  await store.open();
  const baseline = await open(join(dir, 'baseline.log'), 'a');
  const serialising = await open(join(dir, 'serialising.log'), 'a');
  let outboxMs = 0;
  let baselineMs = 0;
  let serialisingMs = 0;
  try {
    const perBlock = batches / BLOCKS;
    for (let block = -1; block < BLOCKS; block++) {
      const from = block < 0 ? 0 : warmup + block * perBlock;
      const count = block < 0 ? warmup : perBlock;
      const runOutbox = async (): Promise<void> => {
        const started = performance.now();
        for (let index = from; index < from + count; index++) await store.append(eventBatches[index] ?? []);
        outboxMs += performance.now() - started;
      };
      const runBaseline = async (): Promise<void> => {
        const started = performance.now();
        for (let index = from; index < from + count; index++) {
          await appendFile(baseline, chunks[index] ?? Buffer.alloc(0));
          await baseline.sync();
        }
        baselineMs += performance.now() - started;
      };
      const runSerialising = async (): Promise<void> => {
        const started = performance.now();
        for (let index = from; index < from + count; index++) {
          const batch = eventBatches[index] ?? [];
          await appendFile(serialising, batch.map((event) => `${JSON.stringify(event)}\n`).join(''));
          await serialising.sync();
        }
        serialisingMs += performance.now() - started;
      };
      const sides = [runBaseline, runOutbox, runSerialising];
      for (let turn = 0; turn < sides.length; turn++) await sides[(block + 1 + turn) % sides.length]?.();
      if (block < 0) {
        outboxMs = 0;
        baselineMs = 0;
        serialisingMs = 0;
      }
    }
  } finally {
    await serialising.close();
    await baseline.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  const events = batches * batchSize;
  const perSec = (ms: number): number => events / (ms / 1000);
  return {
    batchSize,
    batches,
    outboxEventsPerSec: perSec(outboxMs),
    baselineEventsPerSec: perSec(baselineMs),
    ratio: baselineMs / outboxMs,
    serialisingBaselineEventsPerSec: perSec(serialisingMs),
    ratioVsSerialisingBaseline: serialisingMs / outboxMs,
  };
}

export async function measureGroupCommit(options: { root: string; events: number; producers: number }): Promise<GroupCommitResult> {
  const events = makeBenchBatch(0, options.events);
  const dir = await mkdtemp(join(options.root, 'group-'));
  try {
    const store = new FileOutboxStore<BenchEvent>({ dir: join(dir, 'outbox'), maxBytes: Number.MAX_SAFE_INTEGER });
    await store.open();
    let next = 0;
    // Each producer takes the next event synchronously, so seqs reach the store in order.
    const produce = async (): Promise<void> => {
      for (let event = events[next]; event !== undefined; event = events[next]) {
        next += 1;
        await store.append([event]);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.producers }, produce));
    const elapsed = performance.now() - started;
    const { commits } = store.stats();
    await store.close();

    const file = await open(join(dir, 'singles.log'), 'a');
    const sequentialStarted = performance.now();
    for (const event of events) {
      await appendFile(file, `${JSON.stringify(event)}\n`);
      await file.sync();
    }
    const sequentialMs = performance.now() - sequentialStarted;
    await file.close();
    return {
      producers: options.producers,
      events: events.length,
      eventsPerSec: events.length / (elapsed / 1000),
      commits,
      sequentialEventsPerSec: events.length / (sequentialMs / 1000),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
