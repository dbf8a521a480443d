import { describe, expect, it } from 'vitest';
import { MAX_ERRORS_PER_PAYLOAD, normaliseRfidPayload } from '../../protocol/index.ts';
import * as f from './fixtures.ts';

const AT = new Date('2024-06-01T12:00:00.000Z');
const run = (payload: Uint8Array | string) => normaliseRfidPayload(payload, 'r1', AT);
const json = (...values: unknown[]) => values.map((v) => JSON.stringify(v));

describe('Impinj', () => {
  it('turns a tag inventory event into a read in dBm, hex and UTC', () => {
    expect(run(JSON.stringify(f.impinjTagInventory))).toEqual({
      reads: [{ epc: '300000000000000000000000', antenna: 1, rssi: -58, ts: '2021-03-04T21:40:31.565Z', readerId: 'r1' }],
      health: [],
      errors: [],
    });
  });

  it('decodes base64 epc, accepts epcHex alone and a missing eventType', () => {
    const out = run(json(f.impinjBase64Only, f.impinjHexOnlyNoEventType).join('\n'));
    expect(out.errors).toEqual([]);
    expect(out.reads).toEqual([
      { epc: '3074257BF7194E4000001A85', antenna: 2, rssi: -61.5, ts: '2022-11-02T10:00:00.000Z', readerId: 'r1' },
      { epc: 'E2801190A5021F80055817CA', antenna: 3, rssi: -70.25, ts: '2022-11-02T10:00:01.000Z', readerId: 'r1' },
    ]);
  });

  it('uses the event timestamp when lastSeenTime is absent, and the arrival time when both are', () => {
    const { timestamp: _t, ...noTimestamp } = f.impinjHexOnlyNoEventType;
    const out = run(json(f.impinjHexOnlyNoEventType, noTimestamp).join(''));
    expect(out.reads.map((r) => r.ts)).toEqual(['2022-11-02T10:00:01.000Z', AT.toISOString()]);
  });

  it('reports health events as health, not reads', () => {
    const out = run(json(f.impinjAntennaConnected, f.impinjAntennaDisconnected, f.impinjInventoryStatus, f.impinjOverflow).join('\n'));
    expect(out.reads).toEqual([]);
    expect(out.errors).toEqual([]);
    expect(out.health.map((h) => [h.kind, h.antenna, h.ts])).toEqual([
      ['antennaConnected', 4, '2022-11-02T10:00:02.000Z'],
      ['antennaDisconnected', 2, '2022-11-02T10:00:03.000Z'],
      ['inventoryStatus', undefined, '2022-11-02T10:00:04.000Z'],
      ['overflow', undefined, '2022-11-02T10:00:05.000Z'],
    ]);
    expect(out.health[0]?.detail).toEqual({ vendor: 'impinj', hostname: 'r700-dock', antennaPort: 4 });
    expect(out.health[2]?.detail).toMatchObject({ status: 'running' });
    expect(out.health[3]?.detail).toMatchObject({ eventsPurged: 1200, eventsRemaining: 300 });
    expect(out.health.every((h) => h.readerId === 'r1')).toBe(true);
  });
});

describe('Impinj edge cases', () => {
  it('explains an eventType without its member, and events with two members', () => {
    expect(run('{"eventType":"tagInventory","timestamp":"2022-11-02T10:00:00Z"}').errors).toEqual([
      'element 0: impinj eventType "tagInventory" without its tagInventoryEvent member',
    ]);
    const both = { ...f.impinjAntennaConnected, overflowEvent: {} };
    expect(run(JSON.stringify(both)).errors).toEqual([
      'element 0: impinj event carries more than one event member (antennaConnectedEvent, overflowEvent)',
    ]);
  });

  it('keeps error lines short whatever the input size', () => {
    const huge = 'A'.repeat(100_000);
    const tag = f.impinjTagInventory.tagInventoryEvent;
    const out = run(json(
      { ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epc: undefined, epcHex: huge } },
      { ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epcHex: undefined, epc: huge } },
      { eventType: huge },
      { [huge]: 1 },
      `${huge}`,
    ).join('\n'));
    expect(out.errors).toHaveLength(5);
    for (const e of out.errors) expect(e.length).toBeLessThan(300);
  });
});

describe('Zebra', () => {
  it('turns SIMPLE and PORTAL data events into reads with UTC times', () => {
    const out = run(JSON.stringify([f.zebraSimple, f.zebraPortal]));
    expect(out.errors).toEqual([]);
    expect(out.reads).toEqual([
      { epc: 'E2801190A5021F80055817CA', antenna: 1, rssi: -52, ts: '2023-05-09T13:42:27.350Z', readerId: 'r1' },
      { epc: '3074257BF7194E4000001A85', antenna: 2, rssi: -61, ts: '2023-05-09T13:42:27.350Z', readerId: 'r1' },
    ]);
  });

  it('takes error and warning management events as reader health', () => {
    const mgmt = { type: 'ERROR', timestamp: '2023-05-09T13:42:27.350+0000', data: { component: 'RC', message: 'antenna 2 disconnected', antenna: 2 } };
    const out = run(JSON.stringify(mgmt));
    expect(out.errors).toEqual([]);
    expect(out.health).toEqual([
      {
        readerId: 'r1',
        ts: '2023-05-09T13:42:27.350Z',
        kind: 'error',
        antenna: 2,
        detail: { vendor: 'zebra', type: 'ERROR', component: 'RC', message: 'antenna 2 disconnected', antenna: 2 },
      },
    ]);
  });

  it('reports other management events (heartbeats) as errors', () => {
    const out = run(JSON.stringify({ type: 'heartbeat', timestamp: '2023-05-09T13:42:27.350+0000', data: { radioConnection: 'connected' } }));
    expect(out.health).toEqual([]);
    expect(out.errors).toEqual([expect.stringContaining('"heartbeat" is not a tag data event')]);
  });
});

describe('compact', () => {
  it('reads the compact form and fills a missing ts from the arrival time', () => {
    const { ts: _ts, ...noTs } = f.compactRead;
    const out = run(json(f.compactRead, { ...noTs, epc: 'e2801190a5021f80055817ca' }).join('\n'));
    expect(out.errors).toEqual([]);
    expect(out.reads).toEqual([
      { epc: '3074257BF7194E4000001A85', antenna: 1, rssi: -58.5, ts: '2024-02-03T04:05:06.789Z', readerId: 'r1' },
      { epc: 'E2801190A5021F80055817CA', antenna: 1, rssi: -58.5, ts: AT.toISOString(), readerId: 'r1' },
    ]);
  });
});

describe('payload framing', () => {
  const a = { ...f.compactRead, epc: 'E280AAAA' };
  const b = { ...f.compactRead, epc: 'E280BBBB' };
  const c = { ...f.compactRead, epc: 'E280CCCC' };
  const epcs = (payload: Uint8Array | string) => run(payload).reads.map((r) => r.epc);

  it.each([
    ['one object', JSON.stringify(a), ['E280AAAA']],
    ['an array', JSON.stringify([a, b, c]), ['E280AAAA', 'E280BBBB', 'E280CCCC']],
    ['NDJSON', `${json(a, b, c).join('\n')}\n`, ['E280AAAA', 'E280BBBB', 'E280CCCC']],
    ['CRLF NDJSON', json(a, b, c).join('\r\n'), ['E280AAAA', 'E280BBBB', 'E280CCCC']],
    ['concatenated', json(a, b, c).join(''), ['E280AAAA', 'E280BBBB', 'E280CCCC']],
    ['pretty-printed, concatenated', `${JSON.stringify(a, null, 2)}\n${JSON.stringify(b, null, 2)}`, ['E280AAAA', 'E280BBBB']],
    ['arrays one per line', `${JSON.stringify([a, b])}\n${JSON.stringify([c])}`, ['E280AAAA', 'E280BBBB', 'E280CCCC']],
    ['bytes', new TextEncoder().encode(json(a, b).join('')), ['E280AAAA', 'E280BBBB']],
    ['braces inside strings', json({ ...a, note: '}{"' }, b).join(''), ['E280AAAA', 'E280BBBB']],
  ])('accepts %s', (_name, payload, expected) => {
    expect(epcs(payload)).toEqual(expected);
    expect(run(payload).errors).toEqual([]);
  });

  it('recovers the lines after a truncated NDJSON line', () => {
    const out = run(`${JSON.stringify(a)}\n{"epc":"E280DDDD","antenna":1\n${json(b, c).join('\n')}`);
    expect(out.reads.map((r) => r.epc)).toEqual(['E280AAAA', 'E280BBBB', 'E280CCCC']);
    expect(out.errors).toEqual([expect.stringMatching(/^element 1: invalid JSON/)]);
  });

  it('explains empty, non-UTF-8 and non-object payloads', () => {
    expect(run('').errors).toEqual(['payload is empty']);
    expect(run(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])).errors).toEqual(['payload is not valid UTF-8']);
    expect(run('42').errors).toEqual(['element 0: expected a JSON object, got number']);
    expect(run('[null,"x",[1]]').errors).toEqual([
      'element 0: expected a JSON object, got null',
      'element 1: expected a JSON object, got string',
      'element 2: expected a JSON object, got array',
    ]);
  });
});

describe('mixed payloads', () => {
  it('skips each bad element with a clear error and keeps the good ones', () => {
    const tag = f.impinjTagInventory.tagInventoryEvent;
    const elements = [
      f.compactRead, // 0 good
      { ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epc: 'M@@@', epcHex: undefined } }, // 1 invalid base64
      f.zebraSimple, // 2 good
      { ...f.compactRead, epc: 'XYZ123' }, // 3 non-hex
      { ...f.compactRead, epc: 'E28' }, // 4 odd length
      { ...f.compactRead, epc: '3074257BF7194E4000001A' }, // 5 SGTIN-96 header, 88 bits
      { foo: 'bar', baz: 1 }, // 6 unknown shape
      { ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epcHex: '3074257BF7194E4000001A85' } }, // 7 epc and epcHex disagree
      { ...f.impinjTagInventory, tagInventoryEvent: { antennaPort: 1, peakRssiCdbm: -5000 } }, // 8 no EPC at all
      { ...f.zebraSimple, timestamp: '2023-02-30T00:00:00+0000' }, // 9 impossible date
      { eventType: 'inventoryTerminated', inventoryTerminatedEvent: {} }, // 10 unhandled Impinj event
      f.impinjAntennaConnected, // 11 good (health)
      f.impinjHexOnlyNoEventType, // 12 good
    ];
    const payload = `${elements.map((e) => JSON.stringify(e)).join('\n')}\n{"epc": oops}\n`;
    const out = run(payload);
    expect(out.reads.map((r) => r.epc)).toEqual(['3074257BF7194E4000001A85', 'E2801190A5021F80055817CA', 'E2801190A5021F80055817CA']);
    expect(out.health.map((h) => h.kind)).toEqual(['antennaConnected']);
    expect(out.errors).toHaveLength(10);
    const [e1, e3, e4, e5, e6, e7, e8, e9, e10, e13] = out.errors;
    expect(e1).toBe('element 1: impinj tagInventory /tagInventoryEvent/epc: must be base64 (RFC 4648 §4)');
    expect(e3).toBe('element 3: compact read /epc: must be hex digits');
    expect(e4).toBe('element 4: EPC hex has odd length 3; EPCs are whole bytes');
    expect(e5).toBe('element 5: EPC 3074257BF7194E4000001A is not a valid SGTIN-96: header 0x30 requires 96 bits, got 88');
    expect(e6).toBe('element 6: not an Impinj, Zebra or compact RFID event (keys "foo", "baz")');
    expect(e7).toMatch(/^element 7: impinj tagInventory: epc \(300000000000000000000000\) and epcHex \(3074257BF7194E4000001A85\) disagree$/);
    expect(e8).toBe('element 8: impinj tagInventory: tagInventoryEvent has neither epc nor epcHex');
    expect(e9).toBe('element 9: timestamp "2023-02-30T00:00:00+0000" is not a valid date-time');
    expect(e10).toMatch(/^element 10: impinj eventType "inventoryTerminated"/);
    expect(e13).toMatch(/^element 13: invalid JSON/);
  });

  it('keeps a sample of errors from a payload full of bad elements', () => {
    const out = run(Array.from({ length: 500 }, () => '{"x":1}').join('\n'));
    expect(out.errors).toHaveLength(MAX_ERRORS_PER_PAYLOAD + 1);
    expect(out.errors.at(-1)).toBe(`… and ${500 - MAX_ERRORS_PER_PAYLOAD} more errors`);
  });

  it('uses the current time when receivedAt is missing or invalid', () => {
    const before = Date.now();
    const { ts: _ts, ...noTs } = f.compactRead;
    for (const at of [undefined, new Date(Number.NaN)]) {
      const [read] = normaliseRfidPayload(JSON.stringify(noTs), 'r9', at).reads;
      expect(read?.readerId).toBe('r9');
      expect(Date.parse(read?.ts ?? '')).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(read?.ts ?? '')).toBeLessThanOrEqual(Date.now() + 1);
    }
  });
});
