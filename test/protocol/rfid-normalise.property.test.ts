import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEpc, normaliseRfidPayload, type RfidNormalised } from '../../protocol/index.ts';
import * as f from './fixtures.ts';

const AT = new Date('2024-06-01T12:00:00.000Z');

function normaliseChecked(payload: Uint8Array | string): RfidNormalised {
  let out: RfidNormalised | undefined;
  expect(() => {
    out = normaliseRfidPayload(payload, 'r1', AT);
  }).not.toThrow();
  if (out === undefined) throw new Error('no result');
  // Whatever came in, what comes out is safe to use downstream.
  for (const read of out.reads) {
    expect(decodeEpc(read.epc).hex).toBe(read.epc);
    expect(read.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Number.isFinite(read.rssi)).toBe(true);
    expect(Number.isInteger(read.antenna)).toBe(true);
    expect(read.readerId).toBe('r1');
  }
  for (const error of out.errors) expect(typeof error).toBe('string');
  return out;
}

const samples = [
  f.impinjTagInventory,
  f.impinjBase64Only,
  f.impinjHexOnlyNoEventType,
  f.impinjAntennaConnected,
  f.impinjOverflow,
  f.zebraSimple,
  f.zebraPortal,
  f.compactRead,
];

/** A real sample with one member, top-level or nested, replaced by arbitrary JSON. */
const mutatedSample = fc
  .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.jsonValue(), fc.boolean())
  .map(([sample, i, j, replacement, nested]) => {
    const copy = structuredClone(sample) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys[i % keys.length] ?? 'x';
    const inner = copy[key];
    if (nested && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      const innerKeys = Object.keys(inner);
      (inner as Record<string, unknown>)[innerKeys[j % innerKeys.length] ?? 'y'] = replacement;
    } else copy[key] = replacement;
    return copy;
  });

describe('normaliseRfidPayload never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void normaliseChecked(bytes)), { numRuns: 1000 });
  });

  it('on arbitrary strings, including braces, quotes and lone surrogates', () => {
    const unit = fc.oneof(fc.constantFrom('{', '}', '[', ']', '"', '\\', '\n', ',', ':', ' '), fc.string({ unit: 'binary', maxLength: 3 }));
    fc.assert(fc.property(fc.array(unit, { maxLength: 200 }).map((parts) => parts.join('')), (text) => void normaliseChecked(text)), {
      numRuns: 1000,
    });
  });

  it('on arbitrary JSON values, alone, in arrays, as NDJSON and concatenated', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '', ' '), (values, sep) => {
        normaliseChecked(JSON.stringify(values));
        normaliseChecked(values.map((v) => JSON.stringify(v)).join(sep));
      }),
      { numRuns: 500 },
    );
  });

  it('on real samples with arbitrary fields replaced, and keeps the untouched neighbours', () => {
    fc.assert(
      fc.property(mutatedSample, (mutated) => {
        const out = normaliseChecked([JSON.stringify(f.compactRead), JSON.stringify(mutated), JSON.stringify(f.zebraSimple)].join('\n'));
        expect(out.reads[0]?.epc).toBe('3074257BF7194E4000001A85');
        expect(out.reads.at(-1)?.epc).toBe('E2801190A5021F80055817CA');
        expect(out.reads.length + out.health.length + out.errors.length).toBe(3);
      }),
      { numRuns: 1000 },
    );
  });

  it('on pathological nesting', () => {
    normaliseChecked('['.repeat(100_000));
    normaliseChecked(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    normaliseChecked(`{"tagInventoryEvent":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`);
  });
});
