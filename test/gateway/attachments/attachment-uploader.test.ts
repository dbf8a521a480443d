import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import type { AttachmentRef, VerificationEvent } from '../../../protocol/index.ts';
import { openAttachmentStore, type AttachmentStore } from '../../../gateway/attachments/attachment-store.ts';
import { createAttachmentUploader, type UploadOutcome } from '../../../gateway/attachments/attachment-uploader.ts';
import { deliverWithAttachments } from '../../../gateway/attachments/deliver-with-attachments.ts';
import type { AttachmentPutOutcome } from '../../../gateway/uplink/cloud-client.ts';

const log = createLogger('attachment-uploader-test');

const citing = (id: string, refs: AttachmentRef[]) => ({ id, evidence: { attachments: refs } }) as unknown as VerificationEvent;

describe('attachment uploads after delivery', () => {
  let dir: string;
  let store: AttachmentStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attachment-uploads-'));
    store = await openAttachmentStore({ dir, maxBytes: 4 * 1024 * 1024, log });
  });
  afterEach(async () => {
    await store.idle();
    await rm(dir, { recursive: true, force: true });
  });

  function uploaderWith(answers: AttachmentPutOutcome[], drained = () => false, orphanGraceMs = 0) {
    const puts: Array<{ ref: AttachmentRef; bytes: Uint8Array }> = [];
    const outcomes: UploadOutcome[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const uploader = createAttachmentUploader({
      store,
      put: async (ref, bytes) => {
        await gate;
        puts.push({ ref, bytes });
        return answers.shift() ?? { kind: 'stored' };
      },
      outboxDrained: drained,
      log,
      onOutcome: (o) => outcomes.push(o),
      backoff: { initialMs: 1, maxMs: 5 },
      orphanGraceMs,
      sweepMs: 5,
    });
    return { uploader, puts, outcomes, open: () => release() };
  }

  it('uploads the bytes a delivered batch cites, without holding back the delivery, retrying a failure', async () => {
    const { uploader, puts, outcomes, open } = uploaderWith([{ kind: 'retry', reason: 'HTTP 503' }]);
    uploader.start();
    const ref = store.attach(new Uint8Array([1, 2, 3]), 'image/jpeg') as AttachmentRef;
    const deliver = deliverWithAttachments(async () => ({ kind: 'ok' }), uploader);
    // The upload is blocked (gate closed), yet the delivery resolves.
    await expect(deliver([citing('e1', [ref])], { signal: new AbortController().signal, attempt: 0 })).resolves.toEqual({ kind: 'ok' });
    expect(puts).toEqual([]);
    open();
    await uploader.idle();
    expect(puts.map((p) => p.ref.sha256)).toEqual([ref.sha256, ref.sha256]);
    expect(Buffer.from(puts[1]?.bytes ?? [])).toEqual(Buffer.from([1, 2, 3]));
    expect(outcomes).toEqual(['uploaded']);
    expect(store.held()).toEqual([]);
    expect(store.has(ref.sha256)).toBe(true);
    await uploader.stop();
  });

  it('keeps held the bytes of events not yet delivered, and lets go of those of events the cloud refused', async () => {
    const { uploader, puts, outcomes, open } = uploaderWith([]);
    open();
    uploader.start();
    const kept = store.attach(new Uint8Array([4]), 'audio/wav') as AttachmentRef;
    const refused = store.attach(new Uint8Array([5]), 'audio/wav') as AttachmentRef;
    const deliver = deliverWithAttachments(async () => ({ kind: 'rejected', rejections: [{ id: 'bad', reason: 'invalid' }] }), uploader);
    await deliver([citing('bad', [refused])], { signal: new AbortController().signal, attempt: 0 });
    await uploader.idle();
    expect(puts).toEqual([]);
    expect(outcomes).toEqual(['orphaned']);
    expect(store.held()).toEqual([kept]);
    await uploader.stop();
  });

  it('uploads at once, after a restart, the bytes of events the previous run delivered but did not upload', async () => {
    const clip = store.attach(new Uint8Array([7, 7]), 'audio/wav') as AttachmentRef;
    await store.idle();
    const restarted = await openAttachmentStore({ dir, maxBytes: 4 * 1024 * 1024, log });
    store = restarted;
    // A grace of an hour for bytes of this run: those of the last run do not wait for it.
    const { uploader, puts, outcomes, open } = uploaderWith([], () => true, 3_600_000);
    open();
    uploader.start();
    await expect.poll(() => outcomes).toEqual(['uploaded']);
    expect(puts.map((p) => p.ref)).toEqual([clip]);
    expect(restarted.held()).toEqual([]);
    await uploader.stop();
  });

  it('releases bytes no stored event cites once the outbox is drained (a crash between attach and seal)', async () => {
    const orphan = store.attach(new Uint8Array([6]), 'image/png') as AttachmentRef;
    const { uploader, outcomes, open } = uploaderWith([{ kind: 'not_cited', reason: 'HTTP 409' }], () => true);
    open();
    uploader.start();
    await expect.poll(() => outcomes).toEqual(['orphaned']);
    expect(store.held()).toEqual([]);
    expect(store.has(orphan.sha256)).toBe(true);
    await uploader.stop();
  });
});
