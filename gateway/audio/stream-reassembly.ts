import { MODEL_RATE, type PcmChunk } from './pcm-chunk.ts';

/** What happened to a microphone's stream so far; each a counter for metrics. */
export interface StreamCounters {
  chunks: number;
  /** Discontinuities: chunks that never came, a device restart, a jump in time. */
  gaps: number;
  /** Chunks that never came (by `seq`). */
  missingChunks: number;
  duplicates: number;
  /** Chunks that came after a later one and were put back in order. */
  reordered: number;
  /** Chunks that came after their place was given up (a gap was declared). */
  late: number;
  /** `seq` fell back while time went on: the device restarted. */
  restarts: number;
  /** Chunks without `seq`, placed by time (theirs or arrival). */
  unsequenced: number;
  /** Chunks without a usable `ts`: timed by arrival. */
  arrivalTimed: number;
}

/** A run of samples; `continues` is false when something is missing before it (features restart). */
export interface Segment {
  startMs: number;
  samples: Float32Array;
  continues: boolean;
}

export interface ReassemblyOptions {
  /** Chunks held while waiting for a missing one before it is given up; 4 by default. */
  reorderWindow?: number;
}

const RECENT_SEQS = 64;
// Arrival times jitter with the network; only a long silence of the device is a gap then.
const ARRIVAL_GAP_MS = 1_500;

function durationMs(samples: Float32Array): number {
  return (samples.length * 1000) / MODEL_RATE;
}

/**
 * One microphone's continuous stream from chunks that may come twice, late, out of
 * order or not at all (QoS 0, reconnects). With `seq` (the simulator and MQTT 5
 * devices): a small reorder window, gaps counted in chunks. Without `seq` but with `ts`:
 * ordered by time, a chunk starting before the stream's end is a duplicate. Without
 * either (an MQTT 3.1.1 broker drops user properties): arrival order is assumed to be
 * the device's order, each such chunk is counted, and only a pause longer than
 * ARRIVAL_GAP_MS is a gap. Pure; `push` returns what is ready, in order.
 */
export function createStreamReassembler(options: ReassemblyOptions = {}) {
  const window = options.reorderWindow ?? 4;
  const counters: StreamCounters = { chunks: 0, gaps: 0, missingChunks: 0, duplicates: 0, reordered: 0, late: 0, restarts: 0, unsequenced: 0, arrivalTimed: 0 };
  const held = new Map<number, PcmChunk>();
  const recent: number[] = [];
  let expected: number | undefined;
  let endMs: number | undefined;
  let brokenBefore = true;

  const emitOne = (chunk: PcmChunk, out: Segment[], heldBack = false): void => {
    // A continuing stream keeps its own sample clock: devices' stamps and arrival jitter.
    const startMs = brokenBefore || endMs === undefined ? chunk.startMs : endMs;
    out.push({ startMs, samples: chunk.samples, continues: !brokenBefore });
    if (heldBack) counters.reordered += 1;
    brokenBefore = false;
    endMs = startMs + durationMs(chunk.samples);
    if (chunk.seq !== undefined) {
      expected = chunk.seq + 1;
      recent.push(chunk.seq);
      if (recent.length > RECENT_SEQS) recent.shift();
    }
  };

  const drainHeld = (out: Segment[]): void => {
    for (let next = expected === undefined ? undefined : held.get(expected); next !== undefined; next = expected === undefined ? undefined : held.get(expected)) {
      held.delete(next.seq as number);
      emitOne(next, out, true);
    }
  };

  const giveUpMissing = (out: Segment[]): void => {
    const first = Math.min(...held.keys());
    counters.gaps += 1;
    counters.missingChunks += first - (expected ?? first);
    brokenBefore = true;
    expected = first;
    drainHeld(out);
  };

  const pushSequenced = (chunk: PcmChunk, seq: number, out: Segment[]): void => {
    if (expected === undefined || seq === expected) {
      emitOne(chunk, out);
      drainHeld(out);
      return;
    }
    if (seq > expected) {
      if (held.has(seq)) {
        counters.duplicates += 1;
        return;
      }
      held.set(seq, chunk);
      if (held.size > window) giveUpMissing(out);
      return;
    }
    if (endMs !== undefined && !chunk.assumedTime && chunk.startMs >= endMs + durationMs(chunk.samples)) {
      // seq went back while the device's clock went on: it restarted and counts from 1 again.
      counters.restarts += 1;
      counters.gaps += 1;
      held.clear();
      brokenBefore = true;
      emitOne(chunk, out);
      return;
    }
    if (recent.includes(seq)) counters.duplicates += 1;
    else counters.late += 1;
  };

  const pushByTime = (chunk: PcmChunk, out: Segment[]): void => {
    counters.unsequenced += 1;
    if (endMs !== undefined) {
      const tolerance = chunk.assumedTime ? ARRIVAL_GAP_MS : durationMs(chunk.samples) / 2;
      if (!chunk.assumedTime && chunk.startMs < endMs - tolerance) {
        counters.duplicates += 1;
        return;
      }
      if (chunk.startMs > endMs + tolerance) {
        counters.gaps += 1;
        brokenBefore = true;
      }
    }
    emitOne(chunk, out);
  };

  return {
    counters,
    push(chunk: PcmChunk): Segment[] {
      counters.chunks += 1;
      if (chunk.assumedTime) counters.arrivalTimed += 1;
      const out: Segment[] = [];
      if (chunk.seq === undefined) pushByTime(chunk, out);
      else pushSequenced(chunk, chunk.seq, out);
      return out;
    },
    /** Gives up whatever is still missing and returns what was held (the device went quiet). */
    flush(): Segment[] {
      const out: Segment[] = [];
      while (held.size > 0) giveUpMissing(out);
      return out;
    },
  };
}

export type StreamReassembler = ReturnType<typeof createStreamReassembler>;
