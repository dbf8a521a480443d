import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { compileSchema, MAX_PAYLOAD_BYTES, parseJsonPayload } from '../../protocol/index.ts';

const Schema = Type.Object({ a: Type.Integer(), b: Type.Optional(Type.Object({ c: Type.String() })) });

describe('compileSchema', () => {
  it('returns the value when it matches', () => {
    expect(compileSchema(Schema)({ a: 1 })).toEqual({ ok: true, value: { a: 1 } });
  });

  it('names the first failing path', () => {
    expect(compileSchema(Schema)({ a: 1, b: { c: 2 } })).toEqual({ ok: false, error: '/b/c: must be string' });
    const missing = compileSchema(Schema)({});
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatch(/^\(root\): must have required properties a/);
  });
});

describe('parseJsonPayload', () => {
  it('parses bytes and strings', () => {
    expect(parseJsonPayload(Schema, new TextEncoder().encode('{"a":5}'))).toEqual({ ok: true, value: { a: 5 } });
    expect(parseJsonPayload(Schema, '\uFEFF{"a":5}')).toEqual({ ok: true, value: { a: 5 } });
    expect(parseJsonPayload(Schema, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":6}')]))).toEqual({ ok: true, value: { a: 6 } });
  });

  it('reports invalid JSON, invalid UTF-8, oversize and schema errors without throwing', () => {
    const bad = [
      parseJsonPayload(Schema, '{"a":'),
      parseJsonPayload(Schema, new Uint8Array([0x7b, 0xff, 0x7d])),
      parseJsonPayload(Schema, new Uint8Array(MAX_PAYLOAD_BYTES + 1)),
      parseJsonPayload(Schema, '{"a":"1"}'),
    ];
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.split(':')[0]))).toEqual([
      'invalid JSON',
      'payload is not valid UTF-8',
      `payload of ${MAX_PAYLOAD_BYTES + 1} bytes exceeds ${MAX_PAYLOAD_BYTES}`,
      '/a',
    ]);
  });
});
