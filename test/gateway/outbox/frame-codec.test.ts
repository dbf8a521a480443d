import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_OVERHEAD, decodeFrame, encodeFrame, scanFrames } from '../../../gateway/outbox/frame-codec.ts';
import type { Severity } from '../../../gateway/outbox/types.ts';

const MAX_PAYLOAD = 1 << 20;

function frame(seq: number, severity: Severity = 'info', text = `{"seq":${seq}}`): Buffer {
  return encodeFrame(text, { seq, severity, appendedAt: 1_700_000_000_000 + seq });
}

function frames(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => frame(index + 1, index % 3 === 0 ? 'critical' : 'info', JSON.stringify({ seq: index + 1, pad: 'p'.repeat(index * 7) })));
}

describe('frame codec', () => {
  it('round-trips a frame', () => {
    const encoded = frame(42, 'warning', '{"id":"a","seq":42}');
    expect(encoded.length).toBe(FRAME_OVERHEAD + 19);
    const decoded = decodeFrame(encoded, MAX_PAYLOAD);
    expect(decoded?.meta).toEqual({ seq: 42, severity: 'warning', appendedAt: 1_700_000_000_042 });
    expect(decoded?.json.toString()).toBe('{"id":"a","seq":42}');
  });

  it('scans back every frame it wrote', () => {
    const all = frames(20);
    const scan = scanFrames(Buffer.concat(all), MAX_PAYLOAD, -1);
    expect(scan.frames.map((found) => found.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(scan.corrupt).toEqual([]);
    expect(scan.validEnd).toBe(Buffer.concat(all).length);
  });

  it('sees any truncation as a torn tail, never as corruption', () => {
    const all = frames(12);
    const joined = Buffer.concat(all);
    const ends = all.reduce<number[]>((acc, part) => [...acc, (acc.at(-1) ?? 0) + part.length], []);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: joined.length }), (cut) => {
        const scan = scanFrames(joined.subarray(0, cut), MAX_PAYLOAD, -1);
        const whole = ends.filter((end) => end <= cut);
        expect(scan.corrupt).toEqual([]);
        expect(scan.frames).toHaveLength(whole.length);
        expect(scan.validEnd).toBe(whole.at(-1) ?? 0);
      }),
    );
  });

  it('skips exactly the damaged frame when one byte in the middle changes', () => {
    const all = frames(12);
    const joined = Buffer.concat(all);
    const starts: number[] = [];
    let offset = 0;
    for (const part of all) {
      starts.push(offset);
      offset += part.length;
    }
    const lastStart = starts.at(-1) ?? 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lastStart - 1 }), fc.integer({ min: 1, max: 255 }), (position, xor) => {
        const damaged = Buffer.from(joined);
        damaged.writeUInt8(damaged.readUInt8(position) ^ xor, position);
        const hit = starts.findLastIndex((start) => start <= position);
        const scan = scanFrames(damaged, MAX_PAYLOAD, -1);
        expect(scan.frames.map((found) => found.seq)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1).filter((seq) => seq !== hit + 1));
        expect(scan.corrupt).toHaveLength(1);
        expect(scan.corrupt[0]?.offset).toBe(starts[hit]);
        expect(scan.validEnd).toBe(joined.length);
      }),
    );
  });

  it('refuses frames whose seq does not rise', () => {
    const scan = scanFrames(Buffer.concat([frame(5), frame(3), frame(6)]), MAX_PAYLOAD, -1);
    expect(scan.frames.map((found) => found.seq)).toEqual([5, 6]);
    expect(scan.corrupt).toMatchObject([{ reason: 'order' }]);
  });
});
