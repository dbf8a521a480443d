// Open-time recovery of an outbox directory: read the cursor, scan every segment,
// truncate a torn tail, collect corruption, drop what is fully acknowledged.
import { join } from 'node:path';
import type { Cursor } from './cursor-file.ts';
import { CURSOR_FILE, EMPTY_CURSOR, readCursor } from './cursor-file.ts';
import { scanFrames } from './frame-codec.ts';
import type { OutboxFs } from './fs-layer.ts';
import type { Segment } from './segment-files.ts';
import { isSegmentName, isTempName, newSegment } from './segment-files.ts';
import type { CorruptionReport } from './types.ts';

export interface Recovery {
  readonly segments: Segment[];
  readonly cursor: Cursor;
  readonly corruption: readonly CorruptionReport[];
  readonly tornTailBytes: number;
}

export async function recoverDirectory(fs: OutboxFs, dir: string, maxPayloadBytes: number): Promise<Recovery> {
  await fs.mkdir(dir);
  const names = (await fs.readdir(dir)).sort();
  // Leftovers of a cursor write or a compaction cut short; the originals are intact.
  for (const name of names.filter(isTempName)) await fs.unlink(join(dir, name));

  const corruption: CorruptionReport[] = [];
  const cursorRead = await readCursor(fs, dir);
  if (cursorRead.kind === 'corrupt') {
    // Forgetting acknowledgements only causes resends, which the cloud dedupes.
    corruption.push({ segment: CURSOR_FILE, offset: 0, length: 0, reason: 'cursor' });
  }
  const stored = cursorRead.kind === 'ok' ? cursorRead.cursor : EMPTY_CURSOR;

  const segmentNames = names.filter(isSegmentName);
  const segments: Segment[] = [];
  let lastSeq = stored.lastSeq;
  let maxSeqSeen = -1;
  let tornTailBytes = 0;
  for (const [index, name] of segmentNames.entries()) {
    const path = join(dir, name);
    const bytes = await fs.readFile(path);
    const scan = scanFrames(bytes, maxPayloadBytes, maxSeqSeen);
    for (const region of scan.corrupt) corruption.push({ segment: name, ...region });
    let sizeBytes = bytes.length;
    if (scan.validEnd < bytes.length) {
      if (index === segmentNames.length - 1) {
        // A write cut short by the crash: never fsync'd, so never acknowledged.
        tornTailBytes += bytes.length - scan.validEnd;
        await truncateFile(fs, path, scan.validEnd);
        sizeBytes = scan.validEnd;
      } else {
        // Earlier segments were fsync'd whole before the next one began.
        corruption.push({ segment: name, offset: scan.validEnd, length: bytes.length - scan.validEnd, reason: 'length' });
      }
    }
    const segment = newSegment(name);
    segment.sizeBytes = sizeBytes;
    for (const frame of scan.frames) segment.entries.push(frame);
    maxSeqSeen = segment.entries.lastSeq() ?? maxSeqSeen;
    segments.push(segment);
  }
  lastSeq = Math.max(lastSeq, maxSeqSeen, stored.ackedSeq);

  const kept: Segment[] = [];
  for (const segment of segments) {
    const segmentLast = segment.entries.lastSeq();
    // The newest record stays even when delivered: lastRecord() continues the chain from it.
    const done = segmentLast === null || (segmentLast <= stored.ackedSeq && segmentLast !== maxSeqSeen);
    if (done) await fs.unlink(join(dir, segment.name));
    else kept.push(segment);
  }
  return { segments: kept, cursor: { ackedSeq: stored.ackedSeq, lastSeq }, corruption, tornTailBytes };
}

async function truncateFile(fs: OutboxFs, path: string, length: number): Promise<void> {
  const file = await fs.open(path, 'a');
  try {
    await file.truncate(length);
    await file.sync();
  } finally {
    await file.close();
  }
}
