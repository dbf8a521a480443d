import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { benchSiteConfig, createSimulation, deliveredMessages } from '../../../firmware-sim/index.ts';
import { normaliseRfidPayload, type RfidNormalised } from '../../../protocol/index.ts';
import { MAX_READ_LAYOUTS } from '../../../gateway/rfid/decode/read-layouts.ts';
import { createRfidDecoder, type RfidDecoder } from '../../../gateway/rfid/decode/rfid-decoder.ts';
import { literalMutation, READ_SAMPLES } from '../../protocol/element-mutation.ts';
import * as f from '../../protocol/fixtures.ts';

const AT = new Date('2024-06-01T12:00:00.000Z');

/** A fresh decoder per test: what it learns is its own (the RFID stage owns one). */
let decoder: RfidDecoder;
const readLayoutStats = () => decoder.stats();

/**
 * Both paths on the same payload: the decoder's layouts and caches must say exactly what
 * protocol's plain normaliser (full parse, no caches) says.
 */
function bothWays(payload: string | Uint8Array): { full: RfidNormalised; fast: RfidNormalised } {
  const full = normaliseRfidPayload(payload, 'r1', AT);
  const fast = decoder.decode(payload, 'r1', AT);
  expect(fast).toEqual(full);
  return { full, fast };
}

/** Number literals as a reader might write them, valid JSON or not. */
const NUMBER_TEXTS = ['0', '-0', '1', '1.0', '1e3', '1E-2', '-58.5', '01', '1.', '+1', '99999999999999999999', '0x1F', 'NaN', '2.5e400'];
/** String contents with escapes, control characters and odd but valid text. */
const STRING_TEXTS = ['', 'a\\"b', 'a\\\\b', '\\u0041BC', 'x\ty', 'é', '3074257bf7194e4000001a85', 'ZZZZ', '2024-02-03T04:05:06Z', '2024-13-03T04:05:06Z'];

/** A sample's text with its n-th number or string literal (after a key) replaced. */
const textMutation = literalMutation(NUMBER_TEXTS, STRING_TEXTS).map(({ text }) => text);

/** A sample with one member, top-level or nested, replaced by arbitrary JSON, added or removed. */
const valueMutation = fc
  .tuple(fc.constantFrom(...READ_SAMPLES), fc.nat(), fc.nat(), fc.jsonValue(), fc.constantFrom('replace', 'add', 'remove'), fc.boolean())
  .map(([sample, i, j, replacement, how, nested]) => {
    const copy = structuredClone(sample) as Record<string, unknown>;
    let target = copy;
    const keys = Object.keys(copy);
    const key = keys[i % keys.length] ?? 'x';
    const inner = copy[key];
    if (nested && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) target = inner as Record<string, unknown>;
    const targetKeys = Object.keys(target);
    const member = how === 'add' ? `extra${j % 3}` : (targetKeys[j % targetKeys.length] ?? 'y');
    if (how === 'remove') delete target[member];
    else target[member] = replacement;
    return JSON.stringify(copy);
  });

describe('reads by learned layouts', () => {
  beforeEach(() => {
    decoder = createRfidDecoder();
  });

  it('give what the full parse gives for a simulated site in all three formats, and take most reads', async () => {
    const site = benchSiteConfig({ readers: 6, cameras: 0, microphones: 0 });
    const sim = createSimulation({
      siteConfig: site,
      scenario: 'quiet-day',
      seed: 7,
      population: { totalTags: 600 },
      startMs: Date.UTC(2024, 2, 12, 11),
      devices: { camera: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false } },
    });
    let reads = 0;
    for (let s = 0; s < 5; s++) {
      for (const m of deliveredMessages(await sim.advanceBy(1_000))) {
        if (m.channel !== 'rfid') continue;
        reads += bothWays(m.payload).fast.reads.length;
      }
    }
    const stats = readLayoutStats();
    expect(reads).toBeGreaterThan(1_000);
    // The stream is checked twice per payload (bothWays); the fast path saw each read once.
    expect(stats.matched / reads).toBeGreaterThan(0.95);
    expect(stats.layouts).toBeGreaterThan(0);
    expect(stats.layouts).toBeLessThanOrEqual(MAX_READ_LAYOUTS);
  });

  it('give what the full parse gives for every element a learned layout nearly fits', () => {
    for (const sample of READ_SAMPLES) bothWays(JSON.stringify([sample, sample]));
    const learned = readLayoutStats().layouts;
    expect(learned).toBeGreaterThanOrEqual(READ_SAMPLES.length - 1);
    const good = JSON.stringify(f.compactRead);
    fc.assert(
      fc.property(fc.oneof(textMutation, valueMutation), fc.constantFrom('array', 'ndjson', 'alone'), (mutated, form) => {
        const payload = form === 'array' ? `[${good},${mutated},${good}]` : form === 'ndjson' ? `${good}\n${mutated}\n${good}` : mutated;
        bothWays(payload);
      }),
      { numRuns: 2_000 },
    );
  });

  it('give what the full parse gives around broken payloads', () => {
    bothWays(JSON.stringify([f.compactRead]));
    const good = JSON.stringify(f.compactRead);
    for (const payload of [
      `[${good},${good}`,
      `[${good},,${good}]`,
      `[${good}]x`,
      `[${good}] `,
      ` ${good}\r\n${good} `,
      `${good}${good}`,
      `${good},${good}`,
      `[${good},[${good}]]`,
      `[${good},5]`,
      `${good}\n{"epc":`,
      `[${good.slice(0, -1)}, "x": 1}]`,
      `\u00a0${good}`,
      `[${good}]\n[${good}]`,
      '[]',
      `[${good.replace('"antenna"', '"__proto__"')}]`,
    ]) {
      bothWays(payload);
    }
  });

  it('are not learned from what a layout cannot say exactly, and stay bounded', () => {
    const pretty = JSON.stringify(f.compactRead, null, 2);
    bothWays(pretty);
    bothWays(JSON.stringify({ ...f.compactRead, note: 'a "quoted" word' }));
    bothWays(JSON.stringify({ ...f.compactRead, list: [1, 2] }));
    // JSON.parse puts index-like keys first, so the parsed order is not the written one.
    bothWays(`${JSON.stringify(f.compactRead).slice(0, -1)},"1":"index-like key"}`);
    expect(readLayoutStats().layouts).toBe(0);
    for (let i = 0; i < MAX_READ_LAYOUTS * 3; i++) bothWays(JSON.stringify({ ...f.compactRead, [`k${i}`]: i }));
    expect(readLayoutStats().layouts).toBe(MAX_READ_LAYOUTS);
  });

  it('belong to the decoder that learned them: another starts with none and nothing cached', () => {
    bothWays(JSON.stringify([f.compactRead, f.compactRead]));
    expect(readLayoutStats()).toMatchObject({ layouts: 1, cached: { epc: 1 } });
    const other = createRfidDecoder();
    expect(other.stats()).toEqual({ layouts: 0, matched: 0, parsed: 0, learned: 0, cached: { epc: 0, base64: 0 } });
    expect(other.decode(JSON.stringify([f.compactRead]), 'r1', AT)).toEqual(normaliseRfidPayload(JSON.stringify([f.compactRead]), 'r1', AT));
    expect(other.stats()).toMatchObject({ layouts: 1, parsed: 1 });
  });
});
