import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detached } from '../../../protocol/epc/epc-hex.ts';
import { normaliseTimestamp } from '../../../protocol/index.ts';
import { checkedEpc, plainFieldChecks } from '../../../protocol/rfid/element-fields.ts';
import { formatOf } from '../../../protocol/rfid/normalise-element.ts';
import type { JsonObject, NormaliseContext } from '../../../protocol/rfid/types.ts';
import { createFieldCaches } from '../../../gateway/rfid/decode/field-caches.ts';
import { learnReadLayout, type ReadLayout } from '../../../gateway/rfid/decode/read-layout.ts';
import { createTimestampCache } from '../../../gateway/rfid/decode/timestamp-cache.ts';
import { literalMutation, READ_SAMPLES } from '../../protocol/element-mutation.ts';
import * as f from '../../protocol/fixtures.ts';

/*
 * The shortcuts the layout path takes (readShape.read, the base64 EPC cache, the timestamp
 * cache's last stamp) run on both paths or only on the fast one, so comparing the two paths
 * cannot catch every mistake in them; these compare each with what it stands for.
 */

const CTX: NormaliseContext = { readerId: 'r1', receivedAt: '2024-06-01T12:00:00.000Z', fields: createFieldCaches() };

function layoutOf(sample: JsonObject): ReadLayout {
  const text = JSON.stringify(sample);
  const format = formatOf(sample);
  const layout = format && learnReadLayout(sample, text, format);
  if (layout === undefined) throw new Error(`no layout for ${text}`);
  return layout;
}

/** The layout's shortcut on `text`: a read only where normalise of the projection makes that very read. */
function shortcutAgrees(layout: ReadLayout, text: string): 'read' | 'deferred' | 'no match' {
  layout.regex.lastIndex = 0;
  const match = layout.regex.exec(text);
  if (match === null || layout.regex.lastIndex !== text.length) return 'no match';
  const read = layout.read(match, CTX);
  if (read === undefined) return 'deferred';
  expect(layout.format.normalise(layout.project(match), CTX)).toEqual({ kind: 'read', read });
  return 'read';
}

const NUMBER_TEXTS = ['0', '-0', '1', '1.0', '1.5', '-1', '1e3', '1E-2', '-58.5', '2.5e400', '-2.5e400', '4294967297'];
const STRING_TEXTS = [
  '',
  '3074257bf7194e4000001a85',
  '3074257BF7194E4000001A8',
  '3074257BF7194E4000001A8G',
  '3000',
  'MHQle/cZTkAAABqF',
  'MHQle_cZTkAAABqF',
  'MHQle/cZTkAAABq=',
  'ZZZZ',
  'SIMPLE',
  'ERROR',
  'tagInventory',
  'overflow',
  '2024-02-03T04:05:06Z',
  '2024-02-03T04:05:06.1234567+0130',
  '2024-13-03T04:05:06Z',
  '2024-02-30T04:05:06Z',
  '2024-02-03T04:05:06',
];

/** A sample's text with its n-th number or string value replaced by one of the texts above. */
const mutation = literalMutation(NUMBER_TEXTS, STRING_TEXTS);

describe('a layout read without the projection', () => {
  it('is taken for the samples and makes the read normalise makes', () => {
    for (const sample of READ_SAMPLES) expect(shortcutAgrees(layoutOf(sample), JSON.stringify(sample))).toBe('read');
  });

  it('gives a read only where normalise of the projection gives the same read', () => {
    const layouts = new Map(READ_SAMPLES.map((s) => [s, layoutOf(s)]));
    const seen = { read: 0, deferred: 0, 'no match': 0 };
    fc.assert(
      fc.property(mutation, ({ sample, text }) => {
        const layout = layouts.get(sample);
        if (layout !== undefined) seen[shortcutAgrees(layout, text)] += 1;
      }),
      { numRuns: 3_000 },
    );
    expect(seen.read).toBeGreaterThan(0);
    expect(seen.deferred).toBeGreaterThan(0);
  });
});

describe('detached', () => {
  it('gives the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), (text, cut) => {
        const part = text.slice(cut % (text.length + 1));
        expect(detached(part)).toBe(part);
      }),
    );
  });
});

describe('the cached base64 EPC check', () => {
  const caches = createFieldCaches();
  const checkedBase64Epc = caches.base64Epc;

  it('is checkedEpc of the hex the base64 spells, for any EPC bank, as the plain check says', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.boolean(), (bytes, padded) => {
        const b64 = Buffer.from(bytes).toString('base64');
        const spelling = padded ? b64 : b64.replace(/=+$/, '');
        const expected = checkedEpc(Buffer.from(spelling, 'base64').toString('hex').toUpperCase());
        expect(plainFieldChecks.base64Epc(spelling)).toEqual(expected);
        expect(checkedBase64Epc(spelling)).toEqual(expected);
        // Twice: the second answer comes from the cache.
        expect(checkedBase64Epc(spelling)).toEqual(expected);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses and forgets text the schema would not take as base64', () => {
    const before = caches.sizes().base64;
    for (const text of ['MHQle_cZTkAAABqF', 'MHQle-cZTkAAABqF', 'MHQle/cZTkAAABq', 'MHQle/cZTkAAAB==', 'MHQ=le/cZTkAAABq', ' MHQle/cZTkAAABqF']) {
      expect(checkedBase64Epc(text), text).toMatchObject({ ok: false });
    }
    expect(caches.sizes().base64).toBe(before);
    expect(checkedBase64Epc(f.TDS_EXAMPLE_BASE64)).toEqual({ ok: true, value: '3074257BF7194E4000001A85' });
  });
});

describe('timestamp cache', () => {
  it('agrees with normaliseTimestamp when stamps repeat, within and across minutes and zones', () => {
    const cache = createTimestampCache(2);
    const stamp = fc
      .tuple(
        fc.constantFrom('2024-03-12T11:00:', '2024-03-12T11:01:', '2024-03-12T23:59:', '2023-02-29T10:00:'),
        fc.constantFrom('00', '07', '59', '60'),
        fc.constantFrom('', '.000', '.002000', ',5', '.123'),
        fc.constantFrom('Z', '+0000', '-05:30', '+01'),
      )
      .map(([head, s, frac, zone]) => `${head}${s}${frac}${zone}`);
    fc.assert(
      fc.property(fc.array(stamp, { minLength: 1, maxLength: 20 }), (stamps) => {
        for (const s of stamps) expect(cache.normalise(s), s).toBe(normaliseTimestamp(s));
      }),
      { numRuns: 1_000 },
    );
  });
});
