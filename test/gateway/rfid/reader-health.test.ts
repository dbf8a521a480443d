import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND, T0, epcs, manifestOf, rfidHarness, type Read } from './support/rfid-harness.ts';

const tags = epcs(1000, 16);
/** Four tags per antenna of rd-a. */
const spread = (ports: number[] = [1, 2, 3, 4]): Record<string, Read[]> => ({
  'rd-a': tags.flatMap((epc, i) => (ports.includes(1 + (i % 4)) ? [{ epc, antenna: 1 + (i % 4), rssi: -58 }] : [])),
});
const lots = () => manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]);
const healthEvents = (h: ReturnType<typeof rfidHarness>) =>
  h.events.filter((e) => e.type === 'device.offline' || e.type === 'device.online').map((e) => [e.type, e.severity, e.zone, e.evidence.antenna, e.evidence.reason]);

const impinj = (member: string, body: object, atMs: number) =>
  JSON.stringify({ timestamp: new Date(atMs).toISOString(), hostname: 'impinj-14-2d-a1-b2-c3', eventType: member.replace(/Event$/, ''), [member]: body });

describe('a reader that goes offline and comes back', () => {
  it('does not call its goods missing while its last will says it is offline, nor when it returns', () => {
    const h = rfidHarness({ manifest: lots() });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => spread());
    h.status('rd-a', 'offline', T0 + 10 * MINUTE);
    h.run(T0 + 10 * MINUTE, T0 + 35 * MINUTE, 5 * SECOND, () => ({}));
    expect(h.ofType('tags.missing')).toEqual([]);
    expect(h.stage.snapshot()[0]).toMatchObject({ present: 16, missing: 0 });
    h.status('rd-a', 'online', T0 + 35 * MINUTE);
    h.run(T0 + 35 * MINUTE, T0 + 45 * MINUTE, 5 * SECOND, () => spread());
    // Reader presence itself is gateway/devices' event; this stage adds nothing for a clean return.
    expect(h.events.filter((e) => e.type !== 'lot.verified')).toEqual([]);
  });

  it('treats silence without a last will as silence: the goods are reported after the grace', () => {
    const h = rfidHarness({ manifest: lots() });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => spread());
    h.run(T0 + 10 * MINUTE, T0 + 20 * MINUTE, 5 * SECOND, () => ({}));
    expect(h.ofType('tags.missing').map((e) => e.evidence.count)).toEqual([16]);
  });
});

describe('reader health from the readers themselves', () => {
  it('reports an Impinj antenna disconnect once, keeps that antenna’s tags from going missing, and reports the reconnect', () => {
    const h = rfidHarness({ manifest: lots() });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => spread());
    const cut = T0 + 10 * MINUTE;
    h.send('rd-a', impinj('antennaDisconnectedEvent', { antennaPort: 4 }, cut), cut);
    h.send('rd-a', impinj('antennaDisconnectedEvent', { antennaPort: 4 }, cut + 5 * SECOND), cut + 5 * SECOND);
    h.run(cut + 5 * SECOND, cut + 20 * MINUTE, 5 * SECOND, () => spread([1, 2, 3]));
    h.send('rd-a', impinj('antennaConnectedEvent', { antennaPort: 4 }, cut + 20 * MINUTE), cut + 20 * MINUTE);
    h.run(cut + 20 * MINUTE, cut + 25 * MINUTE, 5 * SECOND, () => spread());
    expect(healthEvents(h)).toEqual([
      ['device.offline', 'warning', 'bay-a', 4, 'antennaDisconnected'],
      ['device.online', 'info', 'bay-a', 4, 'antennaConnected'],
    ]);
    expect(h.ofType('device.offline')[0]?.evidence).toEqual({ device: 's1/rfid/rd-a', antenna: 4, reason: 'antennaDisconnected' });
    expect(h.ofType('tags.missing')).toEqual([]);
  });

  it('notices an antenna that stops reporting while its reader reads on the others, and its return', () => {
    const h = rfidHarness({ manifest: lots(), options: { graceMs: 30 * MINUTE, maxGraceMs: 30 * MINUTE } });
    h.run(T0, T0 + 10 * MINUTE, 5 * SECOND, () => spread());
    h.run(T0 + 10 * MINUTE, T0 + 15 * MINUTE, 5 * SECOND, () => spread([1, 2, 4]));
    h.run(T0 + 15 * MINUTE, T0 + 20 * MINUTE, 5 * SECOND, () => spread());
    expect(healthEvents(h)).toEqual([
      ['device.offline', 'warning', 'bay-a', 3, 'antenna-silent'],
      ['device.online', 'info', 'bay-a', 3, 'antenna-reporting'],
    ]);
    const offline = h.ofType('device.offline')[0];
    expect(Date.parse(offline?.ts ?? '') - (T0 + 10 * MINUTE)).toBeGreaterThanOrEqual(2 * MINUTE);
    expect(Date.parse(offline?.ts ?? '') - (T0 + 10 * MINUTE)).toBeLessThanOrEqual(2 * MINUTE + 10 * SECOND);
    expect(offline?.evidence).toMatchObject({ device: 's1/rfid/rd-a', antenna: 3, reason: 'antenna-silent', lastSeen: expect.any(String) });
  });

  it('reports an Impinj buffer overflow (reads were lost, the reader is back) and a stopped inventory', () => {
    const h = rfidHarness({ manifest: lots() });
    h.run(T0, T0 + MINUTE, 5 * SECOND, () => spread());
    const at = T0 + MINUTE;
    h.send('rd-a', impinj('overflowEvent', { firstEventTimestamp: '2024-03-12T09:40:00Z', lastEventTimestamp: '2024-03-12T09:55:00Z', eventsPurged: 1200, eventsRemaining: 5000 }, at), at);
    h.send('rd-a', impinj('inventoryStatusEvent', { status: 'idle' }, at + SECOND), at + SECOND);
    h.send('rd-a', impinj('inventoryStatusEvent', { status: 'idle' }, at + 2 * SECOND), at + 2 * SECOND);
    h.send('rd-a', impinj('inventoryStatusEvent', { status: 'running' }, at + 3 * SECOND), at + 3 * SECOND);
    h.tick(at + 10 * SECOND);
    expect(healthEvents(h)).toEqual([
      ['device.offline', 'warning', 'bay-a', undefined, 'overflow'],
      ['device.online', 'info', 'bay-a', undefined, 'overflow-ended'],
      ['device.offline', 'warning', 'bay-a', undefined, 'inventory-stopped'],
      ['device.online', 'info', 'bay-a', undefined, 'inventory-running'],
    ]);
    expect(h.ofType('device.offline')[0]?.evidence).toEqual({
      device: 's1/rfid/rd-a',
      reason: 'overflow',
      eventsPurged: 1200,
      eventsRemaining: 5000,
      firstEventTimestamp: '2024-03-12T09:40:00Z',
      lastEventTimestamp: '2024-03-12T09:55:00Z',
    });
  });

  it('reports Zebra error events once and clears them after two minutes of reads without errors; warnings are advisory', () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-B', zone: 'bay-b', epcs: tags }]) });
    const bayB = () => ({ 'rd-b': tags.map((epc, i) => ({ epc, antenna: 1 + (i % 4), rssi: -60 })) });
    h.run(T0, T0 + MINUTE, 5 * SECOND, bayB);
    const zebra = (type: string, data: object, at: number) => JSON.stringify([{ type, timestamp: new Date(at).toISOString().replace('Z', '+0000'), data }]);
    h.send('rd-b', zebra('ERROR', { message: 'radio error: reader RF module not responding' }, T0 + MINUTE), T0 + MINUTE);
    h.send('rd-b', zebra('ERROR', { message: 'radio error: reader RF module not responding' }, T0 + MINUTE + 30 * SECOND), T0 + MINUTE + 30 * SECOND);
    h.send('rd-b', zebra('WARNING', { message: 'ambient temperature high' }, T0 + MINUTE + 40 * SECOND), T0 + MINUTE + 40 * SECOND);
    h.run(T0 + 2 * MINUTE, T0 + 6 * MINUTE, 5 * SECOND, bayB);
    expect(healthEvents(h)).toEqual([
      ['device.offline', 'warning', 'bay-b', undefined, 'reader-error'],
      ['device.online', 'info', 'bay-b', undefined, 'reader-error-cleared'],
    ]);
    expect(h.ofType('device.offline')[0]?.evidence).toEqual({ device: 's1/rfid/rd-b', reason: 'reader-error', message: 'radio error: reader RF module not responding' });
    const cleared = Date.parse(h.ofType('device.online')[0]?.ts ?? '');
    expect(cleared - (T0 + MINUTE + 30 * SECOND)).toBeGreaterThanOrEqual(2 * MINUTE);
  });
});
