import type { VerificationEvent } from '../../protocol/index.ts';
import type { Deliver } from '../outbox/index.ts';
import type { AttachmentUploader } from './attachment-uploader.ts';

/**
 * The uplink's deliver, followed by the attachments of what the cloud stored: the
 * uploader is only told (it uploads in its own loop), so a slow or failing upload never
 * holds back the next batch of events.
 */
export function deliverWithAttachments(deliver: Deliver<VerificationEvent>, uploader: Pick<AttachmentUploader, 'delivered' | 'dropped'>): Deliver<VerificationEvent> {
  return async (batch, context) => {
    const result = await deliver(batch, context);
    if (result.kind === 'ok') uploader.delivered(batch);
    else if (result.kind === 'rejected') {
      // A duplicate is stored in the cloud like a delivered event; only the invalid ones are not.
      const invalid = new Set(result.rejections.filter((r) => r.reason === 'invalid').map((r) => r.id));
      uploader.dropped(batch.filter((e) => invalid.has(e.id)));
      uploader.delivered(batch.filter((e) => !invalid.has(e.id)));
    }
    return result;
  };
}
