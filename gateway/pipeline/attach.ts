/** Media a stage may cite as binary evidence (PROTOCOL.md "evidence.attachments"). */
export type MediaType = 'image/jpeg' | 'image/png' | 'audio/wav';

/** How an event cites stored bytes: their hash, size and media type (covered by the signature). */
export interface Attachment {
  sha256: string;
  bytes: number;
  mediaType: MediaType;
}

/** Stores evidence bytes for upload and names them; a stage's factory receives it in its options. */
export type Attach = (bytes: Uint8Array, mediaType: MediaType) => Attachment;
