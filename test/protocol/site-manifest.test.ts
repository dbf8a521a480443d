import { describe, expect, it } from 'vitest';
import { MAX_EPCS_PER_LOT, parseSiteManifest, type SiteManifest } from '../../protocol/index.ts';

const manifest: SiteManifest = {
  site: 's1',
  generatedAt: '2024-03-12T10:00:00.000Z',
  lots: [
    {
      lotId: 'LOT-1',
      receiptId: 'r-1',
      receiptNumber: 'EWR-2024-000001',
      zone: 'bay-a',
      commodity: 'coffee',
      quantity: { value: '4500', unit: 'kg' },
      epcs: ['3074257bf7194e4000001a85', 'E2801190A5021F80055817CA'],
      status: 'pledged',
    },
  ],
  releaseOrders: [
    {
      id: 'ro-1',
      reference: 'RO-2024-AB12',
      lotId: 'LOT-1',
      receiptId: 'r-1',
      epcs: ['3074257bf7194e4000001a85'],
      quantity: null,
      status: 'approved',
      validFrom: '2024-03-12T00:00:00.000Z',
      validUntil: '2024-03-13T00:00:00.000Z',
    },
  ],
};

describe('site manifest contract', () => {
  it('accepts EPCs in either case and gives them back uppercase, lots and release orders alike', () => {
    const parsed = parseSiteManifest(JSON.parse(JSON.stringify(manifest)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.lots[0]?.epcs).toEqual(['3074257BF7194E4000001A85', 'E2801190A5021F80055817CA']);
    expect(parsed.value.releaseOrders[0]?.epcs).toEqual(['3074257BF7194E4000001A85']);
  });

  it('is closed and bounded: extra fields, missing receipt numbers, bad ids and oversized lists are refused', () => {
    const lot = manifest.lots[0]!;
    const { receiptNumber: _n, ...noNumber } = lot;
    const refused: [unknown, RegExp][] = [
      [{ ...manifest, extra: 1 }, /additional properties \(extra\)/],
      [{ ...manifest, lots: [noNumber] }, /receiptNumber/],
      [{ ...manifest, lots: [{ ...lot, quantity: { value: '1e3', unit: 'kg' } }] }, /decimal/],
      [{ ...manifest, lots: [{ ...lot, lotId: 'lot/1' }] }, /lotId/],
      [{ ...manifest, lots: [{ ...lot, epcs: ['3074257BF7194E4000001A8'] }] }, /whole bytes/],
      [{ ...manifest, lots: [{ ...lot, epcs: ['AB'.repeat(63)] }] }, /epcs\/0/],
      [{ ...manifest, lots: [{ ...lot, epcs: Array.from({ length: MAX_EPCS_PER_LOT + 1 }, () => 'AB') }] }, /epcs/],
      [{ ...manifest, generatedAt: '2024-03-12 10:00' }, /date-time/],
      [{ ...manifest, releaseOrders: [{ ...manifest.releaseOrders[0], status: 'requested' }] }, /status/],
    ];
    for (const [value, error] of refused) {
      const parsed = parseSiteManifest(value);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
  });
});
