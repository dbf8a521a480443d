import type { AttachmentRef, MediaType } from '../../protocol/evidence/attachment-ref.ts';

export type { MediaType } from '../../protocol/evidence/attachment-ref.ts';

/** How an event cites stored bytes (the protocol's reference, covered by the signature). */
export type Attachment = AttachmentRef;

/**
 * Stores evidence bytes for upload and names them; a stage's factory receives it in its
 * options. Undefined when the store refuses them (full of bytes still waiting for upload,
 * or too large): the event then goes without its attachment rather than not at all.
 */
export type Attach = (bytes: Uint8Array, mediaType: MediaType) => Attachment | undefined;
