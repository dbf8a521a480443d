import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../infra/logger.ts';
import type { AttachmentRef, MediaType } from '../../protocol/index.ts';
import type { Attach } from '../pipeline/attach.ts';
import { SerialQueue } from '../outbox/serial-queue.ts';
import {
  admit,
  createAttachmentIndex,
  forget,
  release,
  restoreEntry,
  toRef,
  trimToBound,
  type AttachmentState,
  type IndexedAttachment,
  type RefusalReason,
} from './attachment-index.ts';

// The file name is the content's hash and its media type's extension, so the index is
// rebuilt from the directory alone; the state is the sub-directory (a rename moves it).
const EXTENSION: Record<MediaType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'audio/wav': 'wav' };
const MEDIA_TYPE = new Map(Object.entries(EXTENSION).map(([type, ext]) => [ext, type as MediaType]));
const FILE = /^([0-9a-f]{64})\.(jpg|png|wav)$/;
const STATES: readonly AttachmentState[] = ['held', 'released'];

export interface AttachmentStoreOptions {
  dir: string;
  maxBytes: number;
  log: Logger;
  onRefused?: (reason: RefusalReason | 'write_failed', ref: Pick<AttachmentRef, 'bytes' | 'mediaType'>) => void;
}

export interface AttachmentStoreStatus {
  files: number;
  totalBytes: number;
  /** Bytes that wait for upload (or for their event's delivery); never evicted. */
  heldBytes: number;
  maxBytes: number;
  refused: number;
}

export interface AttachmentStore {
  /** For the stages: hashes and admits the bytes at once, writes them in the background. */
  readonly attach: Attach;
  /** The bytes of an entry once written, undefined if it is not (or no longer) stored. */
  read(sha256: string): Promise<{ ref: AttachmentRef; bytes: Buffer } | undefined>;
  /** Evictable from now on (uploaded, or cited by nothing the cloud keeps). */
  release(sha256: string): void;
  /** Drops an entry whose file no longer matches its hash (disk corruption). */
  discard(sha256: string): void;
  /** Held entries, oldest first: at start those a previous run did not finish. */
  held(): AttachmentRef[];
  has(sha256: string): boolean;
  status(): AttachmentStoreStatus;
  /** Resolves when every file operation issued so far is done. */
  idle(): Promise<void>;
}

/**
 * The gateway's content-addressed store of evidence bytes in its data directory: bounded
 * in total bytes, evicting the oldest released files first and never a held one.
 */
export async function openAttachmentStore(options: AttachmentStoreOptions): Promise<AttachmentStore> {
  const { dir, log } = options;
  const index = createAttachmentIndex(options.maxBytes);
  const fileOps = new SerialQueue();
  let refused = 0;
  for (const state of STATES) await mkdir(join(dir, state), { recursive: true });

  const pathOf = (entry: Pick<IndexedAttachment, 'sha256' | 'mediaType'>, state: AttachmentState): string =>
    join(dir, state, `${entry.sha256}.${EXTENSION[entry.mediaType]}`);

  await restore();

  const schedule = (what: string, operation: () => Promise<void>): void => {
    fileOps.run(operation).catch((error: unknown) => log.error({ err: error, what }, 'attachment file operation failed'));
  };

  const removeFiles = (victims: readonly IndexedAttachment[]): void => {
    for (const victim of victims) schedule('evict', () => unlink(pathOf(victim, 'released')).catch(ignoreMissing));
  };

  const attach: Attach = (bytes, mediaType) => {
    const ref: AttachmentRef = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength, mediaType };
    const admission = admit(index, ref);
    if (admission.kind === 'refuse') {
      refused++;
      options.onRefused?.(admission.reason, ref);
      log.warn({ reason: admission.reason, bytes: ref.bytes, heldBytes: index.heldBytes, maxBytes: index.maxBytes }, 'attachment refused; its event goes without it');
      return undefined;
    }
    if (admission.kind === 'present') {
      // Stored before and perhaps released since: it is cited again, so it is held (and uploaded) again.
      schedule('hold', () => rename(pathOf(ref, 'released'), pathOf(ref, 'held')).catch(ignoreMissing));
      return admission.ref;
    }
    removeFiles(admission.evict);
    // Copied now: the caller may reuse its buffer once attach returns.
    const copy = Buffer.from(bytes);
    fileOps
      .run(() => writeAtomically(pathOf(ref, 'held'), copy))
      .catch((error: unknown) => {
        forget(index, ref.sha256);
        refused++;
        options.onRefused?.('write_failed', ref);
        log.error({ err: error, sha256: ref.sha256 }, 'ALARM: attachment could not be written; its event cites bytes the gateway does not have');
      });
    return admission.ref;
  };

  return {
    attach,
    async read(sha256) {
      await fileOps.run(async () => undefined);
      const entry = index.entries.get(sha256);
      if (!entry) return undefined;
      try {
        return { ref: toRef(entry), bytes: await readFile(pathOf(entry, entry.state)) };
      } catch (error) {
        if (!isMissing(error)) throw error;
        // Deleted behind our back: nothing left to upload or keep.
        forget(index, sha256);
        return undefined;
      }
    },
    release(sha256) {
      const entry = release(index, sha256);
      if (!entry) return;
      schedule('release', () => rename(pathOf(entry, 'held'), pathOf(entry, 'released')).catch(ignoreMissing));
    },
    discard(sha256) {
      const entry = index.entries.get(sha256);
      if (!entry) return;
      forget(index, sha256);
      schedule('discard', () => unlink(pathOf(entry, entry.state)).catch(ignoreMissing));
    },
    held: () => [...index.entries.values()].filter((e) => e.state === 'held').sort((a, b) => a.order - b.order).map(toRef),
    has: (sha256) => index.entries.has(sha256),
    status: () => ({ files: index.entries.size, totalBytes: index.totalBytes, heldBytes: index.heldBytes, maxBytes: index.maxBytes, refused }),
    idle: () => fileOps.run(async () => undefined),
  };

  /** Rebuilds the index from the two directories, oldest file first; leftovers of interrupted writes go. */
  async function restore(): Promise<void> {
    const found: Array<AttachmentRef & { state: AttachmentState; mtimeMs: number }> = [];
    for (const state of STATES) {
      for (const name of await readdir(join(dir, state))) {
        const path = join(dir, state, name);
        const match = FILE.exec(name);
        const mediaType = match ? MEDIA_TYPE.get(match[2] ?? '') : undefined;
        if (!match || !mediaType) {
          if (name.startsWith('.tmp-')) await unlink(path).catch(ignoreMissing);
          continue;
        }
        const info = await stat(path);
        if (!info.isFile() || info.size === 0) continue;
        found.push({ sha256: match[1] ?? '', bytes: info.size, mediaType, state, mtimeMs: info.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of found) restoreEntry(index, entry);
    const trimmed = trimToBound(index);
    for (const victim of trimmed) await unlink(pathOf(victim, 'released')).catch(ignoreMissing);
    if (found.length > 0) log.info({ files: index.entries.size, totalBytes: index.totalBytes, heldBytes: index.heldBytes, evicted: trimmed.length }, 'attachment store restored');
    if (index.totalBytes > index.maxBytes) log.warn({ totalBytes: index.totalBytes, maxBytes: index.maxBytes }, 'attachment store over its bound with bytes still waiting for upload');
  }
}

/** Temporary file, data and fsync, then rename: a crash leaves the old state or the whole file, never half of one. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(path, '..', `.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'ENOENT';
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}
