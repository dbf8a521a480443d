// The size bound on disk: evictions rewrite segments, survive reopen, and never
// touch warning or critical records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxFullError } from '../../../gateway/outbox/errors.ts';
import { FRAME_OVERHEAD } from '../../../gateway/outbox/frame-codec.ts';
import type { EvictionReport, Severity } from '../../../gateway/outbox/types.ts';
import { TEST_EVENT_BYTES, makeEvent } from './support/events.ts';
import { openFileStore, pendingSeqs, segmentFiles } from './support/file-store.ts';
import { makeTempDir } from './support/temp-dir.ts';

const FRAME_BYTES = TEST_EVENT_BYTES + FRAME_OVERHEAD;

/** Every fifth record critical, every fifth+1 warning, the rest info. */
function severityOf(seq: number): Severity {
  if (seq % 5 === 0) return 'critical';
  if (seq % 5 === 1) return 'warning';
  return 'info';
}

describe('FileOutboxStore size bound', () => {
  let temp: { dir: string; remove: () => Promise<void> };

  beforeEach(async () => {
    temp = await makeTempDir();
  });

  afterEach(async () => {
    await temp.remove();
  });

  it('evicts oldest info across segments, reclaims disk and keeps that after reopen', async () => {
    const evictions: EvictionReport[] = [];
    const options = { maxBytes: 100 * FRAME_BYTES, lowWaterRatio: 0.8, segmentBytes: 10 * FRAME_BYTES, onEviction: (report: EvictionReport) => evictions.push(report) };
    let store = await openFileStore(temp.dir, options);
    for (let seq = 1; seq <= 200; seq++) await store.append([makeEvent(seq, severityOf(seq))]);

    const kept = await pendingSeqs(store);
    // Every warning and critical record is still there, in order.
    const important = Array.from({ length: 200 }, (_, index) => index + 1).filter((seq) => severityOf(seq) !== 'info');
    expect(kept.filter((seq) => severityOf(seq) !== 'info')).toEqual(important);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(store.stats().pendingBytes).toBeLessThanOrEqual(100 * FRAME_BYTES);
    expect(store.stats().diskBytes).toBe(store.stats().pendingBytes);
    const evicted = evictions.flatMap((report) => report.seqs);
    expect(evicted.every((seq) => severityOf(seq) === 'info')).toBe(true);
    expect(evicted.length + kept.length).toBe(200);
    // The info kept are the newest ones: none older than any evicted one.
    const keptInfo = kept.filter((seq) => severityOf(seq) === 'info');
    expect(Math.min(...keptInfo)).toBeGreaterThan(Math.max(...evicted));
    expect(store.stats().evictedRecords).toBe(evicted.length);

    await store.close();
    store = await openFileStore(temp.dir, options);
    expect(await pendingSeqs(store)).toEqual(kept);
    expect(store.stats()).toMatchObject({ corruptRecordsSkipped: 0, lastAppendedSeq: 200 });
    await store.close();
  });

  it('keeps critical records over the bound when nothing is left to evict', async () => {
    const store = await openFileStore(temp.dir, { maxBytes: 5 * FRAME_BYTES, segmentBytes: 2 * FRAME_BYTES });
    for (let seq = 1; seq <= 5; seq++) await store.append([makeEvent(seq, 'warning')]);
    await expect(store.append([makeEvent(6, 'warning')])).rejects.toBeInstanceOf(OutboxFullError);
    for (let seq = 6; seq <= 15; seq++) await store.append([makeEvent(seq, 'critical')]);
    expect(store.stats()).toMatchObject({ pending: 15, rejectedRecords: 1 });
    expect(store.stats().pendingBytes).toBeGreaterThan(5 * FRAME_BYTES);
    await store.ack(15);
    expect(await segmentFiles(temp.dir)).toHaveLength(1);
    expect((await store.lastRecord())?.seq).toBe(15);
    await store.close();
  });
});
