import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseTimestamp } from '../../../protocol/index.ts';
import { BASE64_CACHE_LIMIT, EPC_CACHE_LIMIT, createFieldCaches } from '../../../gateway/rfid/decode/field-caches.ts';
import { createTimestampCache } from '../../../gateway/rfid/decode/timestamp-cache.ts';

describe('timestamp cache', () => {
  it('gives what normaliseTimestamp gives for stamps of a remembered minute', () => {
    const cache = createTimestampCache();
    const stamps = [
      '2024-03-12T11:00:00.002000Z',
      '2024-03-12T11:00:00.014+0000',
      '2024-03-12T11:00:07.5Z',
      '2024-03-12T11:00:07,25Z',
      '2024-03-12T11:00:59Z',
      '2024-03-12T11:00:59.999999Z',
      '2024-01-01T00:30:12.345+01:00',
      '2024-01-01T00:30:40+01:00',
      '2024-03-12T11:00:60Z',
      '2024-03-12T11:00:6xZ',
      '2024-03-12T11:00:00.Z',
      '2024-03-12T11:00:00.123',
      '2024-03-12T11:00:00.123+0000x',
      '2023-02-29T10:00:00.000Z',
      '2023-02-29T10:00:01.000Z',
    ];
    for (let pass = 0; pass < 2; pass++) for (const s of stamps) expect(cache.normalise(s), s).toBe(normaliseTimestamp(s));
  });

  it('returns a stamp already in normal form as it is, and still checks its seconds', () => {
    const cache = createTimestampCache();
    const first = '2024-03-12T11:00:00.028Z';
    expect(cache.normalise(first)).toBe(first);
    expect(cache.size()).toBe(1);
    const same = '2024-03-12T11:00:41.030Z';
    expect(cache.normalise(same)).toBe(same);
    expect(cache.size()).toBe(1);
    expect(cache.normalise('2024-03-12T11:00:61.030Z')).toBeUndefined();
  });

  it('remembers at most its slots, and never an invalid minute', () => {
    const cache = createTimestampCache(4);
    for (let minute = 0; minute < 20; minute++) cache.normalise(`2024-03-12T11:${String(minute).padStart(2, '0')}:00.000Z`);
    expect(cache.size()).toBe(4);
    const fresh = createTimestampCache(4);
    fresh.normalise('2023-02-29T10:00:00.000Z');
    fresh.normalise('2024-03-12T11:00:00');
    expect(fresh.size()).toBe(0);
  });

  it('agrees with normaliseTimestamp on generated stamps', () => {
    const cache = createTimestampCache(2);
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(fc.constantFrom('2024-02-29', '2023-02-29', '2024-12-31', '9999-12-31'), two(25), two(60), two(61), fc.constantFrom('', '.1', ',12', '.123', '.123456'), fc.constantFrom('Z', '+0000', '-05:30', '+14', '+2400', ''))
      .map(([d, h, m, s, f, z]) => `${d}T${h}:${m}:${s}${f}${z}`);
    fc.assert(
      fc.property(stamp, (s) => {
        expect(cache.normalise(s)).toBe(normaliseTimestamp(s));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('EPC and base64 caches', () => {
  it('stay within their bounds and keep answering the same', () => {
    const { base64Epc: checkedBase64Epc, epc: checkedEpc, sizes } = createFieldCaches();
    const hexOf = (i: number) => `3074257BF7194E4000${i.toString(16).toUpperCase().padStart(6, '0')}`;
    const n = Math.max(BASE64_CACHE_LIMIT, EPC_CACHE_LIMIT) + 500;
    for (let i = 0; i < n; i++) {
      const hex = hexOf(i);
      expect(checkedBase64Epc(Buffer.from(hex, 'hex').toString('base64'))).toEqual({ ok: true, value: hex });
      expect(checkedEpc(hex.toLowerCase())).toEqual({ ok: true, value: hex });
    }
    expect(sizes().base64).toBe(BASE64_CACHE_LIMIT);
    expect(sizes().epc).toBe(EPC_CACHE_LIMIT);
    expect(checkedEpc(hexOf(0))).toEqual({ ok: true, value: hexOf(0) });
    expect(checkedEpc('30X4')).toMatchObject({ ok: false });
  });
});
