import { Type, type Static } from 'typebox';

/** Media an event may cite as binary evidence (PROTOCOL.md "evidence.attachments"). */
export const ATTACHMENT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'audio/wav'] as const;
export type MediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/**
 * Largest attachment either side accepts: a JPEG crop of a region of interest or a few
 * seconds of 16 kHz mono WAV (5 s is 160 kB) fit with a wide margin.
 */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

/** How many attachments one event may cite. */
export const MAX_ATTACHMENTS_PER_EVENT = 8;

/** How an event cites stored bytes: their hash, size and media type. The signature covers the hash. */
export const AttachmentRef = Type.Object(
  {
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lowercase hex SHA-256 of the bytes' }),
    bytes: Type.Integer({ minimum: 1, maximum: MAX_ATTACHMENT_BYTES }),
    mediaType: Type.Enum([...ATTACHMENT_MEDIA_TYPES]),
  },
  { additionalProperties: false },
);
export type AttachmentRef = Static<typeof AttachmentRef>;

export const AttachmentRefs = Type.Array(AttachmentRef, { minItems: 1, maxItems: MAX_ATTACHMENTS_PER_EVENT });
