import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Logger } from '../../infra/logger.ts';
import { MAX_ATTACHMENT_BYTES, type VerificationEvent } from '../../protocol/index.ts';
import type { Deliver } from '../outbox/index.ts';
import type { CloudClient } from '../uplink/cloud-client.ts';
import type { Attach } from '../pipeline/attach.ts';
import { openAttachmentStore, type AttachmentStoreStatus } from './attachment-store.ts';
import { createAttachmentUploader } from './attachment-uploader.ts';
import { createAttachmentMetrics } from './attachment-metrics.ts';
import { deliverWithAttachments } from './deliver-with-attachments.ts';

export interface AttachmentsDeps {
  dataDir: string;
  maxBytes: number;
  cloud: Pick<CloudClient, 'putAttachment'>;
  /** Events sealed and not yet delivered. */
  outboxPending(): number;
  registry: Registry;
  log: Logger;
}

export interface AttachmentsStatus extends AttachmentStoreStatus {
  /** Attachments of delivered events not yet uploaded. */
  pendingUploads: number;
  ok: boolean;
}

/**
 * Evidence attachments for the composition root: the store the stages `attach` to, the
 * deliver decorator that has their bytes uploaded after each batch, status and metrics.
 */
export async function openAttachments(deps: AttachmentsDeps) {
  const log = deps.log;
  const metrics = createAttachmentMetrics(deps.registry);
  const store = await openAttachmentStore({ dir: join(deps.dataDir, 'attachments'), maxBytes: deps.maxBytes, log, onRefused: (reason) => metrics.onRefused(reason) });
  const uploader = createAttachmentUploader({
    store,
    put: (ref, bytes) => deps.cloud.putAttachment(ref, bytes),
    outboxDrained: () => deps.outboxPending() === 0,
    log,
    onOutcome: (outcome, ref) => metrics.onOutcome(outcome, ref.bytes),
    onRetry: () => metrics.onRetry(),
  });
  metrics.observe({ store, uploader });
  const attach: Attach = store.attach;
  return {
    attach,
    store,
    uploader,
    /** Wrap the uplink's deliver with this, then `start()` once the sender runs. */
    wrap: (deliver: Deliver<VerificationEvent>) => deliverWithAttachments(deliver, uploader),
    start: () => uploader.start(),
    /** A health facet: degraded while held bytes fill the store, as new evidence is then refused. */
    status(): AttachmentsStatus {
      const status = store.status();
      return { ...status, pendingUploads: uploader.pending(), ok: status.heldBytes + MAX_ATTACHMENT_BYTES <= status.maxBytes };
    },
    async stop(): Promise<void> {
      await uploader.stop();
      await store.idle();
    },
  };
}

export type Attachments = Awaited<ReturnType<typeof openAttachments>>;
