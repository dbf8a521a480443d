import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND, T0, epcs, epcsOf, manifestOf, releaseOrder, rfidHarness, type Read } from './support/rfid-harness.ts';

const GRACE = 5 * MINUTE;
const CYCLE = 10 * SECOND;
const on = (antenna: number, rssi: number) => (epc: string): Read => ({ epc, antenna, rssi });

describe('a tag wandering between two zones', () => {
  it('moves once each way when it really moves, and never on ghost reads or at a boundary', () => {
    const lot = epcs(1000, 6);
    const wanderer = lot[0] as string;
    const rest = lot.slice(1);
    const neighbour = epcs(2000, 3);
    const h = rfidHarness({
      manifest: manifestOf([
        { lotId: 'LOT-A', zone: 'bay-a', epcs: lot },
        { lotId: 'LOT-B', zone: 'bay-b', epcs: neighbour },
      ]),
    });
    let round = 0;
    // 15 minutes at home; now and then bay-b's edge antenna catches it weakly (a ghost read).
    h.run(T0, T0 + 15 * MINUTE, 5 * SECOND, () => {
      round += 1;
      return {
        'rd-a': lot.map(on(1, -55)),
        'rd-b': [...neighbour.map(on(2, -57)), ...(round % 40 === 0 ? [on(4, -79)(wanderer)] : [])],
      };
    });
    expect(h.ofType('tags.moved')).toEqual([]);

    // Carried to bay-b for 15 minutes, then back.
    h.run(T0 + 15 * MINUTE, T0 + 30 * MINUTE, 5 * SECOND, () => ({ 'rd-a': rest.map(on(1, -55)), 'rd-b': [...neighbour, wanderer].map(on(2, -57)) }));
    h.run(T0 + 30 * MINUTE, T0 + 45 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -55)), 'rd-b': neighbour.map(on(2, -57)) }));
    const moved = h.ofType('tags.moved');
    expect(moved.map((e) => [e.severity, e.lotId, e.zone, e.evidence.from, e.evidence.to, e.evidence.count])).toEqual([
      ['warning', 'LOT-A', 'bay-a', 'bay-a', 'bay-b', 1],
      ['warning', 'LOT-A', 'bay-a', 'bay-b', 'bay-a', 1],
    ]);
    expect(moved.map(epcsOf)).toEqual([[wanderer], [wanderer]]);
    // Each move is confirmed within a few cycles of the tag changing zone.
    expect(Date.parse(moved[0]?.ts ?? '') - (T0 + 15 * MINUTE)).toBeLessThanOrEqual(4 * CYCLE);
    expect(Date.parse(moved[1]?.ts ?? '') - (T0 + 30 * MINUTE)).toBeLessThanOrEqual(4 * CYCLE);
    expect(h.ofType('tags.missing')).toEqual([]);

    // Sitting on the boundary, read by both bays about equally: it stays where it is.
    h.run(T0 + 45 * MINUTE, T0 + 75 * MINUTE, 5 * SECOND, () => ({
      'rd-a': lot.map(on(4, -66)),
      'rd-b': [...neighbour.map(on(2, -57)), on(1, -64)(wanderer)],
    }));
    expect(h.ofType('tags.moved')).toHaveLength(2);
  });
});

describe('goods leaving through a door', () => {
  const lot = epcs(3000, 40);
  const pallet = lot.slice(0, 8);
  const stays = lot.slice(8);

  /** 20 minutes in the bay, then the pallet crosses the dock door for 40 s and is gone. */
  function removal(h: ReturnType<typeof rfidHarness>, start: number) {
    h.run(start, start + 20 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -58)) }));
    const leave = start + 20 * MINUTE;
    h.run(leave, leave + 40 * SECOND, 1 * SECOND, (t) => ({ 'rd-a': (t - leave) % 5_000 === 0 ? stays.map(on(1, -58)) : [], 'rd-dock': pallet.map(on(1, -50)) }));
    h.run(leave + 40 * SECOND, leave + 15 * MINUTE, 5 * SECOND, () => ({ 'rd-a': stays.map(on(1, -58)) }));
    return leave;
  }

  it('reports an unauthorised departure as tags.moved (warning, the door) and then tags.missing after the grace', () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: lot }]) });
    const leave = removal(h, T0);
    const moved = h.ofType('tags.moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ severity: 'warning', lotId: 'LOT-1', zone: 'bay-a', evidence: { count: 8, door: 'dock-1', reader: 's1/rfid/rd-dock', from: 'bay-a' } });
    expect(moved[0]?.evidence.releaseOrder).toBeUndefined();
    expect(Date.parse(moved[0]?.ts ?? '') - (leave + 40 * SECOND)).toBeLessThanOrEqual(2 * CYCLE);
    const missing = h.ofType('tags.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ severity: 'critical', lotId: 'LOT-1', evidence: { count: 8, door: 'dock-1' } });
    expect(Date.parse(missing[0]?.ts ?? '') - leave).toBeLessThanOrEqual(GRACE + 2 * CYCLE);
    expect(epcsOf(missing[0])).toEqual([...pallet].sort());
  });

  it('reports goods covered by an approved release order as tags.moved with its reference, severity info, and never as missing', () => {
    const order = releaseOrder({ reference: 'RO-2024-0042', lotId: 'LOT-1', epcs: pallet });
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: stays }], [order]) });
    removal(h, T0);
    const moved = h.ofType('tags.moved');
    expect(moved.map((e) => [e.severity, e.lotId, e.evidence.releaseOrder, e.evidence.door, e.evidence.count])).toEqual([['info', 'LOT-1', 'RO-2024-0042', 'dock-1', 8]]);
    expect(h.ofType('tags.missing')).toEqual([]);
    // The released goods are not foreign while they wait in the bay either.
    expect(h.ofType('tags.foreign')).toEqual([]);
  });

  it('counts a quantity-only release order in tags, and reports goods vanishing under it as authorised', () => {
    // 8 of 40 items = 480 of 2400 kg; the order covers 8 tags, whichever leave first.
    const order = releaseOrder({ reference: 'RO-Q', lotId: 'LOT-1', quantity: { value: '480', unit: 'kg' } });
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: lot }], [order]) });
    h.run(T0, T0 + 20 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -58)) }));
    // Ten items disappear without passing a door: eight are covered, two are missing.
    h.run(T0 + 20 * MINUTE, T0 + 35 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.slice(10).map(on(1, -58)) }));
    const moved = h.ofType('tags.moved');
    expect(moved.map((e) => [e.severity, e.evidence.releaseOrder, e.evidence.count, e.evidence.door])).toEqual([['info', 'RO-Q', 8, undefined]]);
    expect(h.ofType('tags.missing').map((e) => [e.severity, e.evidence.count])).toEqual([['warning', 2]]);
    // Goods that left under the order are not missing; the quantity follows what is on the floor.
    expect(h.ofType('lot.verified').at(-1)?.evidence).toMatchObject({ expected: 40, present: 30, missing: 2, verifiedQuantity: { value: '1800', unit: 'kg' } });
  });

  it('does not honour an order outside its validity', () => {
    const order = releaseOrder({ reference: 'RO-OLD', lotId: 'LOT-1', epcs: pallet, from: T0 - 48 * 3_600_000, until: T0 - 3_600_000 });
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: lot }], [order]) });
    removal(h, T0);
    expect(h.ofType('tags.moved').map((e) => e.severity)).toEqual(['warning']);
    expect(h.ofType('tags.missing')).toHaveLength(1);
  });

  it('ignores a door reader catching a tag that stays in its bay', () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: lot }]) });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -58)) }));
    // Three weak door reads of one tag within a minute while the bay keeps reading it.
    h.run(T0 + 10 * MINUTE, T0 + 20 * MINUTE, 5 * SECOND, (t) => ({
      'rd-a': lot.map(on(1, -58)),
      'rd-dock': t - (T0 + 10 * MINUTE) < 15 * SECOND ? [on(2, -80)(lot[0] as string)] : [],
    }));
    expect(h.events.filter((e) => e.type !== 'lot.verified')).toEqual([]);
  });
});

describe('foreign tags', () => {
  it('reports an unexpected tag in a zone holding pledged lots once, and counts it in lot.verified', () => {
    const lot = epcs(4000, 5);
    const stranger = epcs(50, 1, '700001')[0] as string;
    const raw = 'E2801190A5021F80055817CA';
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: lot }]) });
    h.run(T0, T0 + 5 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -58)) }));
    h.run(T0 + 5 * MINUTE, T0 + 15 * MINUTE, 5 * SECOND, () => ({
      'rd-a': [...lot, stranger, raw].map(on(2, -60)),
      // A foreign tag in a bay without pledged lots, and one passing the door: not our business.
      'rd-b': [on(1, -60)(epcs(60, 1, '700001')[0] as string)],
      'rd-dock': [on(1, -60)(epcs(70, 1, '700001')[0] as string)],
    }));
    const foreign = h.ofType('tags.foreign');
    expect(foreign).toHaveLength(1);
    expect(foreign[0]).toMatchObject({ type: 'tags.foreign', severity: 'warning', lotId: 'LOT-1', zone: 'bay-a', evidence: { count: 2, reader: 's1/rfid/rd-a' } });
    expect(foreign[0]?.evidence.tags).toEqual(
      [
        { epc: raw, urn: 'urn:epc:raw:96.xE2801190A5021F80055817CA' },
        { epc: stranger, urn: 'urn:epc:id:sgtin:0614141.700001.50' },
      ].sort((a, b) => a.epc.localeCompare(b.epc)),
    );
    expect(h.ofType('lot.verified').at(-1)?.evidence.foreign).toBe(2);
    // It leaves: the count drops, no more events about it, and it is forgotten.
    h.run(T0 + 15 * MINUTE, T0 + 50 * MINUTE, 5 * SECOND, () => ({ 'rd-a': lot.map(on(1, -58)) }));
    expect(h.ofType('tags.foreign')).toHaveLength(1);
    expect(h.ofType('lot.verified').at(-1)?.evidence.foreign).toBe(0);
    expect(h.stage.health().tags.foreign).toBe(0);
  });
});
