import { Compile } from 'typebox/compile';
import { AttachmentRef } from './attachment-ref.ts';

const isRef = Compile(AttachmentRef);

/**
 * The attachments an event's evidence cites (PROTOCOL.md "evidence.attachments"), once
 * each by hash. The gateway reads it to know which bytes to upload after delivery, the
 * cloud to record which stored event vouches for which bytes; a malformed entry cites
 * nothing (the evidence schema of the event type refuses it elsewhere).
 */
export function citedAttachments(evidence: unknown): AttachmentRef[] {
  if (typeof evidence !== 'object' || evidence === null) return [];
  const list = (evidence as { attachments?: unknown }).attachments;
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, AttachmentRef>();
  for (const item of list) {
    if (isRef.Check(item) && !seen.has(item.sha256)) seen.set(item.sha256, { sha256: item.sha256, bytes: item.bytes, mediaType: item.mediaType });
  }
  return [...seen.values()];
}
