import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttachmentStore } from './attachment-store.ts';
import type { AttachmentUploader, UploadOutcome } from './attachment-uploader.ts';

/** Prometheus metrics of the attachment store and its uploads, read from them at scrape time where they are state. */
export function createAttachmentMetrics(registry: Registry) {
  const registers = [registry];
  let store: Pick<AttachmentStore, 'status'> | undefined;
  let uploader: Pick<AttachmentUploader, 'pending'> | undefined;
  const gauge = (name: string, help: string, read: () => number): Gauge =>
    new Gauge({
      name: `gateway_attachments_${name}`,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge('stored_bytes', 'Bytes of evidence attachments in the data directory', () => store?.status().totalBytes ?? 0);
  gauge('pending_bytes', 'Attachment bytes waiting for upload (never evicted)', () => store?.status().heldBytes ?? 0);
  gauge('bound_bytes', 'Bound of the attachment store (GATEWAY_ATTACHMENTS_MAX_BYTES)', () => store?.status().maxBytes ?? 0);
  gauge('pending_uploads', 'Attachments of delivered events not yet uploaded', () => uploader?.pending() ?? 0);
  const outcomes = new Counter({ name: 'gateway_attachments_uploads_total', help: 'Attachments done with, by outcome (uploaded, orphaned, refused_by_cloud, corrupt)', labelNames: ['outcome'] as const, registers });
  const uploadedBytes = new Counter({ name: 'gateway_attachments_uploaded_bytes_total', help: 'Attachment bytes the cloud stored', registers });
  const refused = new Counter({ name: 'gateway_attachments_refused_total', help: 'Attachments the store refused (its event went without), by reason', labelNames: ['reason'] as const, registers });
  const retries = new Counter({ name: 'gateway_attachments_upload_retries_total', help: 'Attachment uploads that failed and will be tried again', registers });
  return {
    observe(observed: { store: Pick<AttachmentStore, 'status'>; uploader: Pick<AttachmentUploader, 'pending'> }): void {
      store = observed.store;
      uploader = observed.uploader;
    },
    onRefused: (reason: string) => refused.inc({ reason }),
    onOutcome: (outcome: UploadOutcome, bytes: number) => {
      outcomes.inc({ outcome });
      if (outcome === 'uploaded') uploadedBytes.inc(bytes);
    },
    onRetry: () => retries.inc(),
  };
}
