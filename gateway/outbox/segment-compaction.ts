// Rewrites a segment without some of its records, crash-safely: the survivors go to
// a temp file that is fsync'd and renamed over the segment, then the directory is
// fsync'd. A crash leaves either the old segment (and a temp file that recovery
// deletes) or the new one.
import { join } from 'node:path';
import type { OutboxFs } from './fs-layer.ts';
import { writeFully } from './fs-layer.ts';
import type { Segment } from './segment-files.ts';
import { TEMP_SUFFIX } from './segment-files.ts';
import { SegmentEntries } from './segment-entries.ts';

export interface Rewritten {
  readonly entries: SegmentEntries;
  readonly sizeBytes: number;
}

/** Returns null when nothing survives and the segment file was deleted instead. */
export async function rewriteSegment(
  fs: OutboxFs,
  dir: string,
  segment: Segment,
  keep: (index: number) => boolean,
): Promise<Rewritten | null> {
  const path = join(dir, segment.name);
  const { entries } = segment;
  const kept: number[] = [];
  let size = 0;
  for (let index = 0; index < entries.count; index++) {
    if (!keep(index)) continue;
    kept.push(index);
    size += entries.lengthAt(index);
  }
  if (kept.length === 0) {
    await fs.unlink(path);
    return null;
  }

  const source = await fs.readFile(path);
  const target = Buffer.allocUnsafe(size);
  const rewritten = new SegmentEntries();
  let offset = 0;
  for (const index of kept) {
    const entry = entries.entryAt(index);
    source.copy(target, offset, entry.offset, entry.offset + entry.length);
    rewritten.push({ ...entry, offset });
    offset += entry.length;
  }

  const temp = path + TEMP_SUFFIX;
  try {
    const file = await fs.open(temp, 'w');
    try {
      await writeFully(file, target);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await fs.syncDir(dir);
  return { entries: rewritten, sizeBytes: size };
}
