import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../../protocol/index.ts';
import { admit, createAttachmentIndex, release, restoreEntry, trimToBound } from '../../../gateway/attachments/attachment-index.ts';

const MB = MAX_ATTACHMENT_BYTES;
const ref = (n: number, bytes = MB) => ({ sha256: n.toString(16).padStart(64, '0'), bytes, mediaType: 'image/jpeg' as const });

describe('attachment index (the store bookkeeping)', () => {
  it('refuses a bound that cannot hold one attachment of the largest size', () => {
    expect(() => createAttachmentIndex(MB - 1)).toThrow(/at least one attachment/);
  });

  it('evicts the oldest released attachments first, never a held one', () => {
    const index = createAttachmentIndex(3 * MB);
    for (const n of [1, 2, 3]) expect(admit(index, ref(n)).kind).toBe('admit');
    release(index, ref(2).sha256);
    release(index, ref(3).sha256);
    // 1 is held (its event waits in the outbox): 2, the oldest released, makes room.
    const fourth = admit(index, ref(4));
    expect(fourth).toMatchObject({ kind: 'admit', evict: [{ sha256: ref(2).sha256 }] });
    expect([...index.entries.keys()].sort()).toEqual([ref(1), ref(3), ref(4)].map((r) => r.sha256).sort());
    expect(index.totalBytes).toBe(3 * MB);
  });

  it('refuses new bytes, without evicting anything, when only held bytes fill the bound', () => {
    const index = createAttachmentIndex(2 * MB);
    admit(index, ref(1));
    admit(index, ref(2));
    expect(admit(index, ref(3))).toEqual({ kind: 'refuse', reason: 'full' });
    expect(index.entries.size).toBe(2);
    release(index, ref(1).sha256);
    expect(admit(index, ref(3))).toMatchObject({ kind: 'admit', evict: [{ sha256: ref(1).sha256 }] });
  });

  it('refuses empty and oversized bytes', () => {
    const index = createAttachmentIndex(4 * MB);
    expect(admit(index, ref(1, 0))).toEqual({ kind: 'refuse', reason: 'empty' });
    expect(admit(index, ref(1, MB + 1))).toEqual({ kind: 'refuse', reason: 'too_large' });
  });

  it('stores the same bytes once and holds them again when cited again', () => {
    const index = createAttachmentIndex(2 * MB);
    admit(index, ref(1, 100));
    release(index, ref(1).sha256);
    expect(index.heldBytes).toBe(0);
    expect(admit(index, ref(1, 100))).toMatchObject({ kind: 'present' });
    expect(index.heldBytes).toBe(100);
    expect(index.totalBytes).toBe(100);
  });

  it('trims released entries restored over a lowered bound, oldest first', () => {
    const index = createAttachmentIndex(2 * MB);
    restoreEntry(index, { ...ref(1), state: 'released' });
    restoreEntry(index, { ...ref(2), state: 'held' });
    restoreEntry(index, { ...ref(3), state: 'released' });
    expect(trimToBound(index).map((e) => e.sha256)).toEqual([ref(1).sha256]);
    expect(index.totalBytes).toBe(2 * MB);
  });
});
