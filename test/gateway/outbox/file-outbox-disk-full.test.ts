// ENOSPC surfaces as DiskFullError and leaves the store usable once space returns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskFullError } from '../../../gateway/outbox/errors.ts';
import type { CorruptionReport } from '../../../gateway/outbox/types.ts';
import { makeEvents } from './support/events.ts';
import { FaultyFs } from './support/faulty-fs.ts';
import { openFileStore, pendingSeqs, range } from './support/file-store.ts';
import { makeTempDir } from './support/temp-dir.ts';

describe('FileOutboxStore on a full disk', () => {
  let temp: { dir: string; remove: () => Promise<void> };
  const fs = new FaultyFs();
  const reports: CorruptionReport[] = [];

  beforeEach(async () => {
    temp = await makeTempDir();
    fs.diskFullAfterBytes = null;
    fs.noInodes = false;
    reports.length = 0;
  });

  afterEach(async () => {
    await temp.remove();
  });

  const open = () => openFileStore(temp.dir, { fs, segmentBytes: 4096, onCorruption: (report) => reports.push(report) });

  it('rejects a partial write with DiskFullError and accepts the same records once space returns', async () => {
    let store = await open();
    await store.append(makeEvents(1, 3));
    fs.diskFullAfterBytes = 100;
    const failed = makeEvents(4, 5);
    await expect(store.append(failed)).rejects.toBeInstanceOf(DiskFullError);
    await expect(store.append(failed)).rejects.toBeInstanceOf(DiskFullError);
    expect(store.stats()).toMatchObject({ pending: 3, lastAppendedSeq: 3 });
    expect(await pendingSeqs(store)).toEqual([1, 2, 3]);

    fs.diskFullAfterBytes = null;
    await store.append(failed);
    await store.append(makeEvents(9, 2));
    expect(await pendingSeqs(store)).toEqual(range(1, 10));
    await store.close();

    store = await open();
    expect(await pendingSeqs(store)).toEqual(range(1, 10));
    expect(reports).toEqual([]);
    await store.close();
  });

  it('fails every append of a group together and keeps earlier records', async () => {
    const store = await open();
    await store.append(makeEvents(1, 2));
    fs.diskFullAfterBytes = 0;
    const results = await Promise.allSettled([store.append(makeEvents(3, 1)), store.append(makeEvents(4, 1))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fs.diskFullAfterBytes = null;
    await store.append(makeEvents(3, 2));
    expect(await pendingSeqs(store)).toEqual(range(1, 4));
    await store.close();
  });

  it('reports a full disk while creating a segment or writing the cursor', async () => {
    const store = await open();
    fs.noInodes = true;
    await expect(store.append(makeEvents(1, 1))).rejects.toBeInstanceOf(DiskFullError);
    fs.noInodes = false;
    await store.append(makeEvents(1, 2));
    fs.noInodes = true;
    await expect(store.ack(2)).rejects.toBeInstanceOf(DiskFullError);
    expect(store.stats()).toMatchObject({ lastAckedSeq: null, pending: 2 });
    fs.noInodes = false;
    await store.ack(2);
    expect(store.stats()).toMatchObject({ lastAckedSeq: 2, pending: 0 });
    await store.close();
  });
});
