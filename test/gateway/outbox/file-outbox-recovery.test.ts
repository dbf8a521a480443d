// Recovery of the file store: reopen, torn tails, corrupted records, lost cursor.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRAME_OVERHEAD } from '../../../gateway/outbox/frame-codec.ts';
import type { CorruptionReport } from '../../../gateway/outbox/types.ts';
import { TEST_EVENT_BYTES, makeEvent, makeEvents } from './support/events.ts';
import { fileSize, join, openFileStore, pendingSeqs, range, segmentFiles } from './support/file-store.ts';
import { makeTempDir } from './support/temp-dir.ts';

const FRAME_BYTES = TEST_EVENT_BYTES + FRAME_OVERHEAD;

function flipByte(bytes: Buffer, offset: number): void {
  bytes.writeUInt8(bytes.readUInt8(offset) ^ 0xff, offset);
}

describe('FileOutboxStore recovery', () => {
  let temp: { dir: string; remove: () => Promise<void> };

  beforeEach(async () => {
    temp = await makeTempDir();
  });

  afterEach(async () => {
    await temp.remove();
  });

  async function onlySegment(): Promise<string> {
    const [name, ...others] = await segmentFiles(temp.dir);
    expect(others).toEqual([]);
    if (name === undefined) throw new Error('no segment');
    return join(temp.dir, name);
  }

  it('reopens after close with records, cursor and seq intact', async () => {
    const events = makeEvents(1, 20);
    let store = await openFileStore(temp.dir);
    await store.append(events);
    await store.ack(7);
    await store.close();
    store = await openFileStore(temp.dir);
    const peeked = await store.peek(100, 1_000_000);
    expect(peeked.map(({ record }) => record)).toEqual(events.slice(7));
    expect(store.stats()).toMatchObject({ pending: 13, lastAppendedSeq: 20, lastAckedSeq: 7, corruptRecordsSkipped: 0 });
    await store.close();
  });

  it('truncates a torn tail and appends cleanly after it', async () => {
    let store = await openFileStore(temp.dir);
    await store.append(makeEvents(1, 5));
    await store.close();
    const path = await onlySegment();
    // A frame cut short, as a write interrupted by kill -9 leaves it.
    const torn = (await readFile(path)).subarray(0, FRAME_BYTES);
    await appendFile(path, torn.subarray(0, 100));

    const reports: CorruptionReport[] = [];
    store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    expect(await fileSize(path)).toBe(5 * FRAME_BYTES);
    expect(await pendingSeqs(store)).toEqual([1, 2, 3, 4, 5]);
    await store.append([makeEvent(6)]);
    await store.close();

    store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    expect(await pendingSeqs(store)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reports).toEqual([]);
    expect(store.stats().corruptRecordsSkipped).toBe(0);
    await store.close();
  });

  it('treats a zero-filled tail as torn', async () => {
    let store = await openFileStore(temp.dir);
    await store.append(makeEvents(1, 3));
    await store.close();
    await appendFile(await onlySegment(), Buffer.alloc(4096));
    store = await openFileStore(temp.dir);
    expect(await pendingSeqs(store)).toEqual([1, 2, 3]);
    expect(store.stats().corruptRecordsSkipped).toBe(0);
    await store.close();
  });

  it('skips a record with a bad CRC in the middle, reports it and carries on', async () => {
    let store = await openFileStore(temp.dir);
    await store.append(makeEvents(1, 5));
    await store.close();
    const path = await onlySegment();
    const bytes = await readFile(path);
    flipByte(bytes, 2 * FRAME_BYTES + FRAME_OVERHEAD + 10); // inside record 3's JSON
    await writeFile(path, bytes);

    const reports: CorruptionReport[] = [];
    store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    expect(await pendingSeqs(store)).toEqual([1, 2, 4, 5]);
    expect(reports).toEqual([{ segment: path.split('/').at(-1), offset: 2 * FRAME_BYTES, length: FRAME_BYTES, reason: 'crc' }]);
    expect(store.stats()).toMatchObject({ corruptRecordsSkipped: 1, pending: 4 });
    await store.append([makeEvent(6)]);
    await store.ack(6);
    await store.close();
  });

  it('resynchronises past a damaged length field', async () => {
    let store = await openFileStore(temp.dir);
    await store.append(makeEvents(1, 5));
    await store.close();
    const path = await onlySegment();
    const bytes = await readFile(path);
    bytes.writeUInt32LE(0xfffffff0, 1 * FRAME_BYTES); // record 2's length
    await writeFile(path, bytes);

    const reports: CorruptionReport[] = [];
    store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    expect(await pendingSeqs(store)).toEqual([1, 3, 4, 5]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ offset: FRAME_BYTES, length: FRAME_BYTES, reason: 'length' });
    await store.close();
  });

  it('skips a record damaged after open when it is read', async () => {
    const reports: CorruptionReport[] = [];
    const store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    await store.append(makeEvents(1, 4));
    const path = await onlySegment();
    const bytes = await readFile(path);
    flipByte(bytes, FRAME_BYTES + FRAME_OVERHEAD + 5);
    await writeFile(path, bytes);
    expect(await pendingSeqs(store)).toEqual([1, 3, 4]);
    expect(reports).toHaveLength(1);
    expect(store.stats()).toMatchObject({ corruptRecordsSkipped: 1, pending: 3 });
    await store.close();
  });

  it('reports a corrupt cursor and resends everything rather than lose anything', async () => {
    let store = await openFileStore(temp.dir, { segmentBytes: 1 });
    await store.append(makeEvents(1, 3));
    await store.append(makeEvents(4, 3));
    await store.ack(2);
    await store.close();
    await writeFile(join(temp.dir, 'cursor.json'), '{"version":1,"ackedSe');
    const reports: CorruptionReport[] = [];
    store = await openFileStore(temp.dir, { onCorruption: (report) => reports.push(report) });
    expect(reports).toEqual([{ segment: 'cursor.json', offset: 0, length: 0, reason: 'cursor' }]);
    expect(await pendingSeqs(store)).toEqual(range(1, 6));
    await store.close();
  });

  it('rolls segments and deletes them once fully acknowledged, all but the newest', async () => {
    let store = await openFileStore(temp.dir, { segmentBytes: 3 * FRAME_BYTES });
    for (let seq = 1; seq <= 12; seq++) await store.append([makeEvent(seq)]);
    expect(await segmentFiles(temp.dir)).toHaveLength(4);
    expect(store.stats()).toMatchObject({ segments: 4, diskBytes: 12 * FRAME_BYTES });
    await store.ack(7);
    expect(await segmentFiles(temp.dir)).toHaveLength(2);
    expect(store.stats()).toMatchObject({ segments: 2, pending: 5 });
    await store.ack(12);
    // The segment holding the newest record stays, so the chain can continue from it.
    expect(await segmentFiles(temp.dir)).toEqual(['00000000000000000010.seg']);
    await store.append([makeEvent(13)]);
    await store.ack(13);
    expect(await segmentFiles(temp.dir)).toEqual(['00000000000000000013.seg']);
    await store.append([makeEvent(14)]);
    await store.close();
    store = await openFileStore(temp.dir);
    expect(await pendingSeqs(store)).toEqual([14]);
    expect(store.stats()).toMatchObject({ lastAckedSeq: 13, lastAppendedSeq: 14 });
    await store.close();
  });

  it('keeps the newest record after everything is acknowledged, across reopen', async () => {
    const events = makeEvents(1, 3);
    let store = await openFileStore(temp.dir);
    expect(await store.lastRecord()).toBeUndefined();
    await store.append(events);
    await store.ack(3);
    expect(await store.lastRecord()).toEqual(events[2]);
    await store.close();
    store = await openFileStore(temp.dir);
    expect(store.stats()).toMatchObject({ lastAppendedSeq: 3, lastAckedSeq: 3, pending: 0 });
    expect(await store.lastRecord()).toEqual(events[2]);
    await expect(store.append([makeEvent(2)])).rejects.toThrow();
    await store.close();
  });

  it('removes temp files left by an interrupted cursor write or compaction', async () => {
    let store = await openFileStore(temp.dir);
    await store.append(makeEvents(1, 2));
    await store.close();
    await writeFile(join(temp.dir, 'cursor.json.tmp'), 'half');
    const [segment] = await segmentFiles(temp.dir);
    await writeFile(join(temp.dir, `${segment}.tmp`), 'half');
    store = await openFileStore(temp.dir);
    expect(await pendingSeqs(store)).toEqual([1, 2]);
    expect((await segmentFiles(temp.dir)).length).toBe(1);
    await store.close();
  });
});
