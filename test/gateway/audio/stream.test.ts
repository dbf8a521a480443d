import { describe, expect, it } from 'vitest';
import { decodePcmChunk, type PcmChunk } from '../../../gateway/audio/pcm-chunk.ts';
import { createStreamReassembler } from '../../../gateway/audio/stream-reassembly.ts';
import { audioMessage } from './support/sim-audio.ts';

const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const CHUNK = 8_000; // 0.5 s at 16 kHz

/** A chunk whose samples all carry its sequence number, so the output order can be read back. */
function chunk(seq: number | undefined, startMs = T0 + ((seq ?? 0) - 1) * 500, assumedTime = false): PcmChunk {
  return { deviceId: 'mic-1', samples: new Float32Array(CHUNK).fill((seq ?? 0) / 1000), startMs, seq, assumedTime };
}

function order(segments: { samples: Float32Array }[]): number[] {
  return segments.map((s) => Math.round((s.samples[0] as number) * 1000));
}

describe('decodePcmChunk', () => {
  const pcm = (n: number) => Buffer.alloc(n, 0);
  it('reads rate, ts and seq from MQTT 5 user properties', () => {
    const r = decodePcmChunk(audioMessage('mic-1', pcm(16_000), { rate: '16000', ts: '2026-03-02T01:00:00.000Z', seq: '7' }, new Date(T0 + 900)));
    expect(r).toMatchObject({ ok: true, oddByte: false, chunk: { seq: 7, startMs: T0, assumedTime: false } });
    if (r.ok) expect(r.chunk.samples.length).toBe(8_000);
  });

  it('without user properties (MQTT 3.1.1): 16 kHz, timed by arrival minus its length, no seq', () => {
    const r = decodePcmChunk(audioMessage('mic-1', pcm(16_000), {}, new Date(T0 + 500)));
    expect(r).toMatchObject({ ok: true, chunk: { seq: undefined, startMs: T0, assumedTime: true } });
  });

  it('keeps the whole samples of an odd-length (truncated) chunk and says so', () => {
    const r = decodePcmChunk(audioMessage('mic-1', Buffer.from([0x00, 0x40, 0x00, 0xc0, 0x12]), {}, new Date(T0)));
    expect(r.ok && r.oddByte).toBe(true);
    if (r.ok) expect([...r.chunk.samples]).toEqual([0.5, -0.5]);
  });

  it.each([
    [{ rate: '44100' }, 'wrong_rate'],
    [{ rate: '16k' }, 'bad_rate'],
    [{ rate: '0' }, 'bad_rate'],
    [{ seq: '-1' }, 'bad_seq'],
    [{ seq: '1.5' }, 'bad_seq'],
  ])('refuses %j as %s', (props, reason) => {
    expect(decodePcmChunk(audioMessage('mic-1', pcm(100), props, new Date(T0)))).toMatchObject({ ok: false, reason });
  });

  it('refuses an empty or one-byte chunk', () => {
    expect(decodePcmChunk(audioMessage('mic-1', pcm(1), {}, new Date(T0)))).toMatchObject({ ok: false, reason: 'empty' });
  });
});

describe('stream reassembly', () => {
  it('puts out-of-order chunks back in order and counts them', () => {
    const r = createStreamReassembler();
    const out = [1, 3, 2, 4].flatMap((s) => r.push(chunk(s)));
    expect(order(out)).toEqual([1, 2, 3, 4]);
    expect(out.map((s) => s.continues)).toEqual([false, true, true, true]);
    expect(out.map((s) => s.startMs)).toEqual([T0, T0 + 500, T0 + 1000, T0 + 1500]);
    expect(r.counters).toMatchObject({ chunks: 4, reordered: 1, gaps: 0, duplicates: 0 });
  });

  it('drops duplicates, both of emitted and of held chunks', () => {
    const r = createStreamReassembler();
    const out = [1, 2, 2, 4, 4, 3, 1].flatMap((s) => r.push(chunk(s)));
    expect(order(out)).toEqual([1, 2, 3, 4]);
    expect(r.counters.duplicates).toBe(3);
  });

  it('gives up a missing chunk once the reorder window is full: a gap, counted in chunks, and a late arrival dropped', () => {
    const r = createStreamReassembler({ reorderWindow: 2 });
    const out = [1, 2, 5, 6, 7].flatMap((s) => r.push(chunk(s)));
    expect(order(out)).toEqual([1, 2, 5, 6, 7]);
    expect(out.map((s) => s.continues)).toEqual([false, true, false, true, true]);
    expect(out[2]?.startMs).toBe(T0 + 2_000);
    expect(r.counters).toMatchObject({ gaps: 1, missingChunks: 2 });
    expect(r.push(chunk(3))).toEqual([]);
    expect(r.counters.late).toBe(1);
  });

  it('treats seq falling back while time goes on as a device restart', () => {
    const r = createStreamReassembler();
    [1, 2, 3].forEach((s) => r.push(chunk(s)));
    const out = r.push(chunk(1, T0 + 60_000));
    expect(out).toMatchObject([{ continues: false, startMs: T0 + 60_000 }]);
    expect(r.counters).toMatchObject({ restarts: 1, gaps: 1 });
    expect(order(r.push(chunk(2, T0 + 60_500)))).toEqual([2]);
  });

  it('flush gives up what is still missing and returns what was held', () => {
    const r = createStreamReassembler();
    r.push(chunk(1));
    r.push(chunk(3));
    expect(order(r.flush())).toEqual([3]);
    expect(r.counters.missingChunks).toBe(1);
  });

  it('without seq orders by ts: an overlapping chunk is a duplicate, a jump is a gap', () => {
    const r = createStreamReassembler();
    const out = [
      chunk(undefined, T0),
      chunk(undefined, T0 + 500),
      chunk(undefined, T0 + 500),
      chunk(undefined, T0 + 5_000),
    ].flatMap((c) => r.push(c));
    expect(out.map((s) => [s.startMs, s.continues])).toEqual([
      [T0, false],
      [T0 + 500, true],
      [T0 + 5_000, false],
    ]);
    expect(r.counters).toMatchObject({ unsequenced: 4, duplicates: 1, gaps: 1 });
  });

  it('without seq or ts (MQTT 3.1.1 broker): arrival order, jitter tolerated, a long pause is a gap, all counted', () => {
    const r = createStreamReassembler();
    // Arrival times jitter by a few hundred ms around the 0.5 s cadence.
    const arrivals = [T0, T0 + 700, T0 + 900, T0 + 1_600, T0 + 9_000];
    const out = arrivals.flatMap((at) => r.push(chunk(undefined, at, true)));
    expect(out.map((s) => s.continues)).toEqual([false, true, true, true, false]);
    // A continuing stream keeps its own sample clock rather than the jittery arrival times.
    expect(out.slice(0, 4).map((s) => s.startMs)).toEqual([T0, T0 + 500, T0 + 1_000, T0 + 1_500]);
    expect(r.counters).toMatchObject({ chunks: 5, arrivalTimed: 5, unsequenced: 5, gaps: 1, duplicates: 0 });
  });
});
