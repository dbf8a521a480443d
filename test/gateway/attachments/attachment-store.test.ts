import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../protocol/index.ts';
import { openAttachmentStore } from '../../../gateway/attachments/attachment-store.ts';

const log = createLogger('attachment-store-test');
const MB = MAX_ATTACHMENT_BYTES;
const bytesOf = (fill: number, size = MB) => new Uint8Array(size).fill(fill);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('attachment store (files in the data directory)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attachments-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true, maxRetries: 5 }));

  it('writes the bytes under their hash and reads them back', async () => {
    const store = await openAttachmentStore({ dir, maxBytes: 4 * MB, log });
    const crop = bytesOf(7, 1234);
    const ref = store.attach(crop, 'image/jpeg');
    expect(ref).toEqual({ sha256: sha(crop), bytes: 1234, mediaType: 'image/jpeg' });
    await store.idle();
    expect(await readFile(join(dir, 'held', `${sha(crop)}.jpg`))).toEqual(Buffer.from(crop));
    expect((await store.read(sha(crop)))?.bytes).toEqual(Buffer.from(crop));
    // No temporary file is left behind.
    expect(await readdir(join(dir, 'held'))).toEqual([`${sha(crop)}.jpg`]);
  });

  it('keeps bytes still waiting for upload, evicts the oldest uploaded ones, and refuses (counted) when only pending bytes are left', async () => {
    const refusals: string[] = [];
    const store = await openAttachmentStore({ dir, maxBytes: 3 * MB, log, onRefused: (reason) => refusals.push(reason) });
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((n) => bytesOf(n));
    const refs = [a, b, c].map((x) => store.attach(x as Uint8Array, 'audio/wav'));
    expect(refs.every((r) => r !== undefined)).toBe(true);
    // b and c uploaded; a still cited by an event in the outbox.
    store.release(sha(b as Uint8Array));
    store.release(sha(c as Uint8Array));
    expect(store.attach(d as Uint8Array, 'audio/wav')).toBeDefined();
    await store.idle();
    expect(store.has(sha(a as Uint8Array))).toBe(true);
    expect(store.has(sha(b as Uint8Array))).toBe(false);
    expect(store.has(sha(c as Uint8Array))).toBe(true);
    const files = [...(await readdir(join(dir, 'held'))), ...(await readdir(join(dir, 'released')))].sort();
    expect(files).toEqual([a, c, d].map((x) => `${sha(x as Uint8Array)}.wav`).sort());
    // c goes for e; then a, d and e are all pending: the next one is refused, nothing pending is lost.
    expect(store.attach(e as Uint8Array, 'audio/wav')).toBeDefined();
    expect(store.attach(bytesOf(6), 'audio/wav')).toBeUndefined();
    expect(refusals).toEqual(['full']);
    expect(store.status()).toMatchObject({ files: 3, totalBytes: 3 * MB, heldBytes: 3 * MB, refused: 1 });
    expect(store.attach(bytesOf(9, MB + 1), 'image/png')).toBeUndefined();
    expect(refusals).toEqual(['full', 'too_large']);
    await store.idle();
  });

  it('rebuilds its index from the directory after a restart: held stays held, released are evicted oldest first', async () => {
    const first = await openAttachmentStore({ dir, maxBytes: 3 * MB, log });
    const [a, b, c] = [1, 2, 3].map((n) => bytesOf(n));
    for (const x of [a, b, c]) first.attach(x as Uint8Array, 'image/jpeg');
    first.release(sha(a as Uint8Array));
    first.release(sha(c as Uint8Array));
    await first.idle();
    // Leftover of a write interrupted by a crash.
    await writeFile(join(dir, 'held', '.tmp-abc'), 'partial');
    // c is older than a on disk: c must go first.
    await utimes(join(dir, 'released', `${sha(c as Uint8Array)}.jpg`), new Date(1_000), new Date(1_000));
    await utimes(join(dir, 'released', `${sha(a as Uint8Array)}.jpg`), new Date(2_000), new Date(2_000));

    const second = await openAttachmentStore({ dir, maxBytes: 3 * MB, log });
    expect(second.status()).toMatchObject({ files: 3, totalBytes: 3 * MB, heldBytes: MB });
    expect(second.held()).toEqual([{ sha256: sha(b as Uint8Array), bytes: MB, mediaType: 'image/jpeg' }]);
    expect(await readdir(join(dir, 'held'))).toEqual([`${sha(b as Uint8Array)}.jpg`]);
    expect(second.attach(bytesOf(4), 'image/jpeg')).toBeDefined();
    await second.idle();
    expect(second.has(sha(c as Uint8Array))).toBe(false);
    expect(second.has(sha(a as Uint8Array))).toBe(true);

    // Restarted with a lower bound: released bytes over it go at once, the held ones stay.
    const third = await openAttachmentStore({ dir, maxBytes: 2 * MB, log });
    expect(third.status()).toMatchObject({ totalBytes: 2 * MB, heldBytes: 2 * MB });
    expect(third.has(sha(a as Uint8Array))).toBe(false);
  });

  it('holds bytes cited again after their upload, and stores them once', async () => {
    const store = await openAttachmentStore({ dir, maxBytes: 2 * MB, log });
    const clip = bytesOf(3, 500);
    store.attach(clip, 'audio/wav');
    store.release(sha(clip));
    expect(store.held()).toEqual([]);
    expect(store.attach(clip, 'audio/wav')).toEqual({ sha256: sha(clip), bytes: 500, mediaType: 'audio/wav' });
    await store.idle();
    expect(store.held()).toHaveLength(1);
    expect(await readdir(join(dir, 'held'))).toEqual([`${sha(clip)}.wav`]);
    expect(await readdir(join(dir, 'released'))).toEqual([]);
  });
});
