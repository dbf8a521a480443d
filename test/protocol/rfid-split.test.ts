import { describe, expect, it } from 'vitest';
import { splitJsonElements } from '../../protocol/rfid/split-json-elements.ts';

describe('splitJsonElements on NDJSON and concatenated values', () => {
  it('gives NDJSON and concatenated values exactly as parsing them one by one would', () => {
    expect(splitJsonElements('{"a":1}\n{"b":[2]}\n[{"c":3},{"d":4}]{"e":"}{"}')).toEqual(
      [{ a: 1 }, { b: [2] }, { c: 3 }, { d: 4 }, { e: '}{' }].map((value) => ({ ok: true, value })),
    );
  });

  it('leaves stray text between values an error, not array members', () => {
    const entries = splitJsonElements('{"a":1}\n2,3\n{"b":2}');
    expect(entries[0]).toEqual({ ok: true, value: { a: 1 } });
    expect(entries[1]?.ok).toBe(false);
    expect(entries[2]).toEqual({ ok: true, value: { b: 2 } });
  });
});
