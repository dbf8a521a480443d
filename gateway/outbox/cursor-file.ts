// The acknowledgement cursor, replaced atomically: write a temp file, fsync it,
// rename it over the old one, fsync the directory. After a crash the cursor is
// either the old or the new one, never a mix.
import { join } from 'node:path';
import type { OutboxFs } from './fs-layer.ts';
import { writeFully } from './fs-layer.ts';
import { NO_SEQ } from './record-codec.ts';
import { TEMP_SUFFIX } from './segment-files.ts';

export const CURSOR_FILE = 'cursor.json';

export interface Cursor {
  readonly ackedSeq: number;
  /** Highest seq ever appended: survives when every segment has been deleted. */
  readonly lastSeq: number;
}

export const EMPTY_CURSOR: Cursor = { ackedSeq: NO_SEQ, lastSeq: NO_SEQ };

export function encodeCursor(cursor: Cursor): Buffer {
  return Buffer.from(`${JSON.stringify({ version: 1, ackedSeq: cursor.ackedSeq, lastSeq: cursor.lastSeq })}\n`, 'utf8');
}

/** null when the bytes are not a cursor this code wrote. */
export function decodeCursor(bytes: Buffer): Cursor | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (!('version' in value) || value.version !== 1) return null;
  if (!('ackedSeq' in value) || !isSeqOrNone(value.ackedSeq)) return null;
  if (!('lastSeq' in value) || !isSeqOrNone(value.lastSeq)) return null;
  return { ackedSeq: value.ackedSeq, lastSeq: value.lastSeq };
}

function isSeqOrNone(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= NO_SEQ;
}

export type CursorRead = { readonly kind: 'missing' } | { readonly kind: 'ok'; readonly cursor: Cursor } | { readonly kind: 'corrupt' };

export async function readCursor(fs: OutboxFs, dir: string): Promise<CursorRead> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(join(dir, CURSOR_FILE));
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    throw error;
  }
  const cursor = decodeCursor(bytes);
  return cursor === null ? { kind: 'corrupt' } : { kind: 'ok', cursor };
}

export async function writeCursor(fs: OutboxFs, dir: string, cursor: Cursor): Promise<void> {
  const path = join(dir, CURSOR_FILE);
  const temp = path + TEMP_SUFFIX;
  try {
    const file = await fs.open(temp, 'w');
    try {
      await writeFully(file, encodeCursor(cursor));
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
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
