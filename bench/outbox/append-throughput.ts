// Durable append throughput: the file outbox versus the plainest durable baseline,
// fs.appendFile + fsync, batch for batch, of the same bytes: the baseline writes the
// very frames the outbox writes (length, CRC, header, JSON), built before the clock
// starts. The outbox is handed each record with its JSON, as the event log hands it
// over after sealing (gateway/event-log), so the headline compares writing the same
// bytes; the outbox still checks, frames and checksums them inside the timed loop.
// For context two more sides: the outbox serialising plain records itself, and a
// baseline that serialises inside the timed loop as an application writing events
// with appendFile would have to.
//
// Disks (and neighbours on a shared machine) drift, so the sides run in rotating
// blocks and each side's time is summed over all its blocks.
import { appendFile, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileOutboxStore } from '../../gateway/outbox/file-outbox-store.ts';
import { FRAME_OVERHEAD, encodeFrameInto } from '../../gateway/outbox/frame-codec.ts';
import type { SerialisedRecord } from '../../gateway/outbox/types.ts';
import type { BenchEvent } from './bench-events.ts';
import { makeBenchBatch } from './bench-events.ts';

export interface AppendComparison {
  readonly batchSize: number;
  readonly batches: number;
  /** Outbox handed records with their JSON (appendSerialised), as the event log does. */
  readonly outboxEventsPerSec: number;
  /** appendFile + fsync of the outbox's frames, ready-made. */
  readonly baselineEventsPerSec: number;
  /** outbox / baseline: the target, >= 0.5. */
  readonly ratio: number;
  /** Outbox handed plain records, serialising them itself (append). */
  readonly serialisingOutboxEventsPerSec: number;
  readonly ratioSerialisingOutbox: number;
  /** JSON.stringify + appendFile + fsync of JSON lines inside the timed loop. */
  readonly serialisingBaselineEventsPerSec: number;
  /** Serialising outbox / serialising baseline: both pay for JSON.stringify. */
  readonly ratioBothSerialising: number;
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

type Side = 'baseline' | 'outbox' | 'serialisingOutbox' | 'serialisingBaseline';
const SIDES: readonly Side[] = ['baseline', 'outbox', 'serialisingOutbox', 'serialisingBaseline'];

/** The frames the outbox writes for `batch`, but for appendedAt, which is the commit's time there. */
function framesOf(batch: readonly SerialisedRecord<BenchEvent>[], appendedAt: number): Buffer {
  const lengths = batch.map(({ json }) => Buffer.byteLength(json));
  const frames = Buffer.allocUnsafe(lengths.reduce((sum, bytes) => sum + bytes + FRAME_OVERHEAD, 0));
  let offset = 0;
  for (const [index, { record, json }] of batch.entries()) {
    offset = encodeFrameInto(frames, offset, json, lengths[index] ?? 0, { seq: record.seq, severity: record.severity, appendedAt });
  }
  return frames;
}

export async function compareAppend(options: { root: string; batchSize: number; batches: number }): Promise<AppendComparison> {
  const { batchSize } = options;
  const batches = Math.max(BLOCKS, Math.ceil(options.batches / BLOCKS) * BLOCKS);
  // An untimed first block per side: JIT warm-up, first segment and file creation.
  const warmup = Math.max(3, Math.round(batches / BLOCKS));
  const eventBatches = Array.from({ length: warmup + batches }, (_, index) => makeBenchBatch(index * batchSize, batchSize));
  const serialisedBatches = eventBatches.map((batch) => batch.map((record) => ({ record, json: JSON.stringify(record) })));
  const frames = serialisedBatches.map((batch) => framesOf(batch, Date.now()));
  const dir = await mkdtemp(join(options.root, 'append-'));
  const store = new FileOutboxStore<BenchEvent>({ dir: join(dir, 'outbox'), maxBytes: Number.MAX_SAFE_INTEGER });
  await store.open();
  const serialisingStore = new FileOutboxStore<BenchEvent>({ dir: join(dir, 'serialising-outbox'), maxBytes: Number.MAX_SAFE_INTEGER });
  await serialisingStore.open();
  const baseline = await open(join(dir, 'baseline.log'), 'a');
  const serialising = await open(join(dir, 'serialising.log'), 'a');
  const totalMs: Record<Side, number> = { baseline: 0, outbox: 0, serialisingOutbox: 0, serialisingBaseline: 0 };
  const writeBatch: Record<Side, (index: number) => Promise<void>> = {
    baseline: async (index) => {
      await appendFile(baseline, frames[index] ?? Buffer.alloc(0));
      await baseline.sync();
    },
    outbox: (index) => store.appendSerialised(serialisedBatches[index] ?? []),
    serialisingOutbox: (index) => serialisingStore.append(eventBatches[index] ?? []),
    serialisingBaseline: async (index) => {
      const batch = eventBatches[index] ?? [];
      await appendFile(serialising, batch.map((event) => `${JSON.stringify(event)}\n`).join(''));
      await serialising.sync();
    },
  };
  try {
    const perBlock = batches / BLOCKS;
    for (let block = -1; block < BLOCKS; block++) {
      const from = block < 0 ? 0 : warmup + block * perBlock;
      const count = block < 0 ? warmup : perBlock;
      for (let turn = 0; turn < SIDES.length; turn++) {
        const side = SIDES[(block + 1 + turn) % SIDES.length] ?? 'baseline';
        const started = performance.now();
        for (let index = from; index < from + count; index++) await writeBatch[side](index);
        if (block >= 0) totalMs[side] += performance.now() - started;
      }
    }
  } finally {
    await serialising.close();
    await baseline.close();
    await serialisingStore.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  const events = batches * batchSize;
  const perSec = (ms: number): number => events / (ms / 1000);
  return {
    batchSize,
    batches,
    outboxEventsPerSec: perSec(totalMs.outbox),
    baselineEventsPerSec: perSec(totalMs.baseline),
    ratio: totalMs.baseline / totalMs.outbox,
    serialisingOutboxEventsPerSec: perSec(totalMs.serialisingOutbox),
    ratioSerialisingOutbox: totalMs.baseline / totalMs.serialisingOutbox,
    serialisingBaselineEventsPerSec: perSec(totalMs.serialisingBaseline),
    ratioBothSerialising: totalMs.serialisingBaseline / totalMs.serialisingOutbox,
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
