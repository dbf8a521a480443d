import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND, T0, epcs, epcsOf, manifestOf, rfidHarness, type Read } from './support/rfid-harness.ts';

const CYCLE = 10 * SECOND;
const GRACE = 5 * MINUTE;

/** Every tag on one antenna of rd-a. */
const bayA = (tags: string[], antenna = 1): Record<string, Read[]> => ({ 'rd-a': tags.map((epc) => ({ epc, antenna, rssi: -58 })) });

describe('presence per tag and zone (ALE-style event cycles)', () => {
  it('verifies a lot once every tag is present, with the evidence shape the cloud reads, then only on change or every 15 minutes', () => {
    const tags = epcs(1000, 10);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    h.run(T0, T0 + 2 * MINUTE, 5 * SECOND, () => bayA(tags));
    const verified = h.ofType('lot.verified');
    expect(verified).toHaveLength(1);
    expect(verified[0]).toEqual({
      type: 'lot.verified',
      severity: 'info',
      lotId: 'LOT-1',
      zone: 'bay-a',
      ts: new Date(T0 + 2 * CYCLE).toISOString(),
      evidence: { expected: 10, present: 10, missing: 0, foreign: 0, verifiedQuantity: { value: '600', unit: 'kg' }, readers: ['s1/rfid/rd-a'] },
    });
    h.run(T0 + 2 * MINUTE, T0 + 20 * MINUTE, 5 * SECOND, () => bayA(tags));
    const times = h.ofType('lot.verified').map((e) => Date.parse(e.ts ?? '') - T0);
    expect(times).toEqual([2 * CYCLE, 2 * CYCLE + 15 * MINUTE]);
    expect(h.events.filter((e) => e.type !== 'lot.verified')).toEqual([]);
  });

  it('needs k of the last N cycles to call a tag present, and does not flap when reads are intermittent', () => {
    const tags = epcs(2000, 4);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    // One read in the first cycle only: not yet present.
    h.send('rd-a', JSON.stringify(tags.map((epc) => ({ epc, antenna: 1, rssi: -60 }))), T0 + SECOND);
    h.tick(T0 + 3 * CYCLE);
    expect(h.stage.snapshot()[0]).toMatchObject({ present: 0, pending: 4, settled: false });
    // A second cycle with reads: present.
    h.run(T0 + 3 * CYCLE, T0 + 5 * CYCLE, 5 * SECOND, () => bayA(tags));
    expect(h.stage.snapshot()[0]).toMatchObject({ present: 4, missing: 0, settled: true });
    // Then each tag is read in only one round of six (every 30 s) for an hour: still present, no event.
    h.run(T0 + 5 * CYCLE, T0 + 65 * MINUTE, 30 * SECOND, () => bayA(tags));
    expect(h.ofType('tags.missing')).toEqual([]);
    expect(h.ofType('lot.verified').map((e) => e.evidence.present)).toEqual([4, 4, 4, 4, 4]);
  });

  it('reports removed tags missing within two cycles after the grace period, naming the lot, tags, reader and last sighting', () => {
    const tags = epcs(3000, 50);
    const removed = tags.slice(10, 13);
    const kept = tags.filter((t) => !removed.includes(t));
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    const removedAt = T0 + 30 * MINUTE;
    h.run(T0, removedAt, 5 * SECOND, () => bayA(tags));
    h.run(removedAt, removedAt + 10 * MINUTE, 5 * SECOND, () => bayA(kept));
    const missing = h.ofType('tags.missing');
    expect(missing).toHaveLength(1);
    const event = missing[0];
    const delay = Date.parse(event?.ts ?? '') - removedAt;
    expect(delay).toBeGreaterThanOrEqual(GRACE);
    expect(delay).toBeLessThanOrEqual(GRACE + 2 * CYCLE);
    expect(event).toMatchObject({ type: 'tags.missing', severity: 'warning', lotId: 'LOT-1', zone: 'bay-a' });
    expect(event?.evidence).toEqual({
      tags: [...removed].sort().map((epc) => ({ epc, urn: expect.stringMatching(/^urn:epc:id:sgtin:0614141\.812345\.\d+$/) })),
      count: 3,
      reader: 's1/rfid/rd-a',
      lastSeen: new Date(removedAt - 5 * SECOND).toISOString(),
    });
    expect(h.ofType('lot.verified').at(-1)?.evidence).toMatchObject({ expected: 50, present: 47, missing: 3, verifiedQuantity: { value: '2820', unit: 'kg' } });
  });

  it('escalates missing tags to critical at night and when more than 10 % of the lot is gone', () => {
    const tags = epcs(4000, 50);
    const night = Date.UTC(2024, 2, 12, 22, 0, 0);
    const atNight = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]), startMs: night });
    atNight.run(night, night + 20 * MINUTE, 5 * SECOND, () => bayA(tags));
    atNight.run(night + 20 * MINUTE, night + 30 * MINUTE, 5 * SECOND, () => bayA(tags.slice(1)));
    expect(atNight.ofType('tags.missing').map((e) => [e.severity, e.evidence.count])).toEqual([['critical', 1]]);

    const byDay = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    byDay.run(T0, T0 + 20 * MINUTE, 5 * SECOND, () => bayA(tags));
    byDay.run(T0 + 20 * MINUTE, T0 + 30 * MINUTE, 5 * SECOND, () => bayA(tags.slice(6)));
    expect(byDay.ofType('tags.missing').map((e) => [e.severity, e.evidence.count])).toEqual([['critical', 6]]);
  });

  it('gives a weakly read tag more silence than the grace before calling it missing', () => {
    const strong = epcs(5000, 5);
    const weak = epcs(5100, 1)[0] as string;
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: [...strong, weak] }]) });
    // The weak tag answers once a minute (one cycle in six) for two hours, then goes quiet for 7 minutes.
    let round = 0;
    h.run(T0, T0 + 2 * 60 * MINUTE, 5 * SECOND, () => bayA(round++ % 12 === 0 ? [...strong, weak] : strong));
    h.run(T0 + 120 * MINUTE, T0 + 127 * MINUTE, 5 * SECOND, () => bayA(strong));
    h.run(T0 + 127 * MINUTE, T0 + 130 * MINUTE, 5 * SECOND, () => bayA([...strong, weak]));
    expect(h.ofType('tags.missing')).toEqual([]);
    // Gone for good: reported, later than a strong tag would be but within the 30-minute cap.
    h.run(T0 + 130 * MINUTE, T0 + 170 * MINUTE, 5 * SECOND, () => bayA(strong));
    const missing = h.ofType('tags.missing');
    expect(missing.map(epcsOf)).toEqual([[weak]]);
    const delay = Date.parse(missing[0]?.ts ?? '') - (T0 + 130 * MINUTE);
    expect(delay).toBeGreaterThan(GRACE);
    expect(delay).toBeLessThanOrEqual(30 * MINUTE + CYCLE);
  });

  it('names at most 500 tags in one event and says how many more there are', () => {
    const tags = epcs(10_000, 1200);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-BIG', zone: 'bay-a', epcs: tags }]) });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => ({ 'rd-a': tags.map((epc, i) => ({ epc, antenna: 1 + (i % 4) })) }));
    // The reader still reports (another lot's tag), the whole lot is gone.
    const other = epcs(90_000, 1)[0] as string;
    h.run(T0 + 10 * MINUTE, T0 + 20 * MINUTE, 5 * SECOND, () => ({ 'rd-a': [1, 2, 3, 4].map((antenna) => ({ epc: other, antenna })) }));
    const missing = h.ofType('tags.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]?.severity).toBe('critical');
    expect(missing[0]?.evidence).toMatchObject({ count: 1200, more: 700 });
    expect(epcsOf(missing[0])).toHaveLength(500);
    expect(epcsOf(missing[0])).toEqual([...tags].sort().slice(0, 500));
  });

  it('does not count time nobody was watching: a clock jump is not silence', () => {
    const tags = epcs(6000, 5);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => bayA(tags));
    const later = T0 + 3 * 60 * MINUTE;
    h.run(later, later + 2 * MINUTE, 5 * SECOND, () => bayA(tags));
    expect(h.ofType('tags.missing')).toEqual([]);
    expect(h.stage.health().tags.blindCycles).toBeGreaterThan(1000);
  });
});

describe('a warehouse clock running faster than the gateway’s (the demo at DEMO_SPEED)', () => {
  it('scales every timing but the CPU budget', async () => {
    const { rfidOptionsAtSpeed, resolveRfidOptions, DEFAULT_RFID_OPTIONS } = await import('../../../gateway/rfid/rfid-options.ts');
    const o = resolveRfidOptions(rfidOptionsAtSpeed(60));
    expect(o).toMatchObject({ cycleMs: 167, graceMs: 5_000, maxGraceMs: 30_000, verifiedEveryMs: 15_000, antennaSilentMs: 2_000, doorPassageGapMs: 1_000 });
    expect(o.batchBudgetMs).toBe(DEFAULT_RFID_OPTIONS.batchBudgetMs);
    expect(() => rfidOptionsAtSpeed(0)).toThrow(RangeError);
    expect(() => resolveRfidOptions({ windowCycles: 31 })).toThrow(/windowCycles/);
    expect(() => resolveRfidOptions({ presentAfterCycles: 7 })).toThrow(/presentAfterCycles/);
  });
});
