import { MAX_ATTACHMENT_BYTES, type AttachmentRef } from '../../protocol/index.ts';

/**
 * What the gateway keeps of each attachment, as plain data: no file is touched here.
 * - `held`: written for an event that is not yet known to be in the cloud with its bytes
 *   (sealed and waiting in the outbox, delivered but not uploaded, or from a previous run
 *   and not yet confirmed). Never evicted: its event would cite bytes nobody has.
 * - `released`: uploaded, or cited by no event the cloud will ever store (refused, or an
 *   orphan of a crash). Kept while there is room, evicted oldest first.
 */
export type AttachmentState = 'held' | 'released';

export interface IndexedAttachment extends AttachmentRef {
  state: AttachmentState;
  /** Rises with every admission (and re-citation): eviction takes the lowest. */
  order: number;
}

export interface AttachmentIndex {
  readonly maxBytes: number;
  readonly entries: Map<string, IndexedAttachment>;
  totalBytes: number;
  heldBytes: number;
  nextOrder: number;
}

export type RefusalReason = 'full' | 'too_large' | 'empty';

export type Admission =
  /** Already stored: no write; the entry is held again for its new citation. */
  | { kind: 'present'; ref: AttachmentRef }
  /** Write the bytes after deleting the files of `evict` (already removed from the index). */
  | { kind: 'admit'; ref: AttachmentRef; evict: IndexedAttachment[] }
  | { kind: 'refuse'; reason: RefusalReason };

export function createAttachmentIndex(maxBytes: number): AttachmentIndex {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < MAX_ATTACHMENT_BYTES) {
    throw new RangeError(`the attachment store must hold at least one attachment of the largest size (${MAX_ATTACHMENT_BYTES} bytes), got ${maxBytes}`);
  }
  return { maxBytes, entries: new Map(), totalBytes: 0, heldBytes: 0, nextOrder: 1 };
}

/**
 * Adds a file found on disk at start, in the order given (oldest first). Over the bound
 * (the bound was lowered) the released ones are evicted as for a new admission.
 */
export function restoreEntry(index: AttachmentIndex, entry: AttachmentRef & { state: AttachmentState }): void {
  if (index.entries.has(entry.sha256)) return;
  add(index, { ...entry, order: index.nextOrder++ });
}

/** Released entries to evict, oldest first, until the total fits under the bound (after a restore). */
export function trimToBound(index: AttachmentIndex): IndexedAttachment[] {
  return evictFor(index, 0) ?? evictAllReleased(index);
}

/**
 * Decides what storing `ref` takes. Never evicts a held entry: when only held bytes are
 * left and there is no room, the new attachment is refused and its event goes without.
 */
export function admit(index: AttachmentIndex, ref: AttachmentRef): Admission {
  if (ref.bytes <= 0) return { kind: 'refuse', reason: 'empty' };
  if (ref.bytes > MAX_ATTACHMENT_BYTES) return { kind: 'refuse', reason: 'too_large' };
  const existing = index.entries.get(ref.sha256);
  if (existing) {
    hold(index, existing);
    existing.order = index.nextOrder++;
    return { kind: 'present', ref: toRef(existing) };
  }
  const evict = evictFor(index, ref.bytes);
  if (evict === undefined) return { kind: 'refuse', reason: 'full' };
  add(index, { ...ref, state: 'held', order: index.nextOrder++ });
  return { kind: 'admit', ref: { sha256: ref.sha256, bytes: ref.bytes, mediaType: ref.mediaType }, evict };
}

/** The cloud has the bytes, or no event will ever cite them there: evictable from now on. */
export function release(index: AttachmentIndex, sha256: string): IndexedAttachment | undefined {
  const entry = index.entries.get(sha256);
  if (!entry || entry.state === 'released') return undefined;
  entry.state = 'released';
  index.heldBytes -= entry.bytes;
  return entry;
}

/** The file could not be written (disk full, I/O error): forget it so nothing cites it further. */
export function forget(index: AttachmentIndex, sha256: string): void {
  const entry = index.entries.get(sha256);
  if (!entry) return;
  index.entries.delete(sha256);
  index.totalBytes -= entry.bytes;
  if (entry.state === 'held') index.heldBytes -= entry.bytes;
}

export function toRef(entry: AttachmentRef): AttachmentRef {
  return { sha256: entry.sha256, bytes: entry.bytes, mediaType: entry.mediaType };
}

function add(index: AttachmentIndex, entry: IndexedAttachment): void {
  index.entries.set(entry.sha256, entry);
  index.totalBytes += entry.bytes;
  if (entry.state === 'held') index.heldBytes += entry.bytes;
}

function hold(index: AttachmentIndex, entry: IndexedAttachment): void {
  if (entry.state === 'held') return;
  entry.state = 'held';
  index.heldBytes += entry.bytes;
}

/**
 * Removes released entries, oldest first, until `incoming` more bytes fit; undefined
 * (and nothing removed) when even evicting every released entry would not make room.
 */
function evictFor(index: AttachmentIndex, incoming: number): IndexedAttachment[] | undefined {
  if (index.heldBytes + incoming > index.maxBytes) return undefined;
  const victims: IndexedAttachment[] = [];
  if (index.totalBytes + incoming <= index.maxBytes) return victims;
  const released = [...index.entries.values()].filter((e) => e.state === 'released').sort((a, b) => a.order - b.order);
  let total = index.totalBytes;
  for (const entry of released) {
    if (total + incoming <= index.maxBytes) break;
    victims.push(entry);
    total -= entry.bytes;
  }
  for (const victim of victims) forget(index, victim.sha256);
  return victims;
}

function evictAllReleased(index: AttachmentIndex): IndexedAttachment[] {
  const released = [...index.entries.values()].filter((e) => e.state === 'released');
  for (const entry of released) forget(index, entry.sha256);
  return released;
}
