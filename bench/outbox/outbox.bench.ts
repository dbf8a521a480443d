// Outbox benchmark: `npx tsx bench/outbox/outbox.bench.ts`. BENCH_SCALE (default 1)
// scales the event counts, e.g. BENCH_SCALE=0.01 for a quick CI run. The last line
// printed is a JSON summary; run() returns the same object for a bench runner.
import { benchScale } from '../bench-scale.ts';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { AppendComparison, GroupCommitResult } from './append-throughput.ts';
import { compareAppend, measureGroupCommit } from './append-throughput.ts';
import type { DrainResult } from './drain-throughput.ts';
import { measureDrain } from './drain-throughput.ts';

export interface OutboxBenchOptions {
  /** Multiplies every count; default BENCH_SCALE or 1. */
  readonly scale?: number;
  /** Backlog size for the drain; default 1,000,000 × scale. */
  readonly drainEvents?: number;
  /** Events per append for the headline comparison; default 100. */
  readonly batchSize?: number;
  /** Where temp directories go; default the OS temp dir. */
  readonly dir?: string;
  readonly log?: (line: string) => void;
}

export interface OutboxBenchSummary {
  readonly bench: 'outbox';
  readonly scale: number;
  /** Outbox / appendFile+fsync throughput of the same bytes at `batchSize`; the target is >= 0.5. */
  readonly appendRatio: number;
  /** The lowest ratio over every batch size measured. */
  readonly appendRatioMin: number;
  readonly appendRatioTarget: 0.5;
  /** Met at every batch size, not only the headline one. */
  readonly appendRatioMet: boolean;
  readonly append: AppendComparison;
  /** The same comparison at other batch sizes, for context. */
  readonly appendBySize: readonly AppendComparison[];
  readonly groupCommit: GroupCommitResult;
  readonly drain: DrainResult;
}

const RATIO_TARGET = 0.5;
/** Batches per comparison at scale 1, per batch size: about a second of fsyncs each. */
const SIZES: readonly (readonly [number, number])[] = [
  [1, 2_000],
  [10, 1_000],
  [100, 400],
  [1_000, 60],
];


const int = (value: number): string => Math.round(value).toLocaleString('en-US');

export async function run(options: OutboxBenchOptions = {}): Promise<OutboxBenchSummary> {
  const scale = options.scale ?? benchScale();
  const log = options.log ?? ((line: string) => console.log(line));
  const root = options.dir ?? tmpdir();
  const batchSize = options.batchSize ?? 100;
  const batchesFor = (size: number): number => Math.round((SIZES.find(([known]) => known === size)?.[1] ?? 200) * Math.min(scale, 1));

  // Untimed: lets the JIT compile the append path before anything is measured.
  await compareAppend({ root, batchSize, batches: 100 });
  const append = await compareAppend({ root, batchSize, batches: batchesFor(batchSize) });
  const appendBySize: AppendComparison[] = [];
  for (const [size] of SIZES) {
    if (size === batchSize) continue;
    appendBySize.push(await compareAppend({ root, batchSize: size, batches: batchesFor(size) }));
  }
  for (const row of [append, ...appendBySize].sort((a, b) => a.batchSize - b.batchSize)) {
    log(
      `append+fsync, batches of ${row.batchSize}: outbox handed JSON ${int(row.outboxEventsPerSec)} ev/s, appendFile+fsync of the same frames ${int(row.baselineEventsPerSec)} ev/s, ratio ${row.ratio.toFixed(2)}${row.batchSize === batchSize ? ` (headline, target >= ${RATIO_TARGET})` : ''}; outbox serialising itself ${int(row.serialisingOutboxEventsPerSec)} ev/s, ratio ${row.ratioSerialisingOutbox.toFixed(2)}; vs stringify+appendFile+fsync ${int(row.serialisingBaselineEventsPerSec)} ev/s, ratio ${row.ratioBothSerialising.toFixed(2)}`,
    );
  }
  const appendRatioMin = Math.min(...[append, ...appendBySize].map(({ ratio }) => ratio));
  log(`append ratio, lowest over the batch sizes: ${appendRatioMin.toFixed(2)} (target >= ${RATIO_TARGET})`);

  const groupCommit = await measureGroupCommit({ root, events: Math.max(200, Math.round(4_000 * Math.min(scale, 1))), producers: 64 });
  log(`group commit, ${groupCommit.producers} producers of single events: ${int(groupCommit.eventsPerSec)} ev/s in ${groupCommit.commits} commits for ${groupCommit.events} events, vs ${int(groupCommit.sequentialEventsPerSec)} ev/s fsyncing each alone`);

  const drainEvents = options.drainEvents ?? Math.max(1_000, Math.round(1_000_000 * scale));
  const drain = await measureDrain({ root, events: drainEvents, appendBatch: 1_000, sendBatch: 1_000 });
  log(`drain after an outage, ${int(drain.events)} events (${(drain.diskBytes / 1024 / 1024).toFixed(0)} MiB on disk): appended at ${int(drain.appendEventsPerSec)} ev/s, reopened in ${int(drain.reopenMs)} ms, delivered through the sender at ${int(drain.drainEventsPerSec)} ev/s, rss ${int(drain.rssMiB)} MiB`);

  const summary: OutboxBenchSummary = {
    bench: 'outbox',
    scale,
    appendRatio: append.ratio,
    appendRatioMin,
    appendRatioTarget: RATIO_TARGET,
    appendRatioMet: appendRatioMin >= RATIO_TARGET,
    append,
    appendBySize,
    groupCommit,
    drain,
  };
  log(JSON.stringify(summary));
  return summary;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
