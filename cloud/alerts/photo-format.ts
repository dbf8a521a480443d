/** What a photo attached to a case may be: JPEG or PNG, at most this many bytes. */
export const PHOTO_MEDIA_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoMediaType = (typeof PHOTO_MEDIA_TYPES)[number];
/** A phone photo of a stack of bags fits; a video renamed .jpg does not. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** Photos per comment: evidence, not an album. */
export const MAX_PHOTOS_PER_COMMENT = 6;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The type the bytes really are, from their magic bytes (JPEG: SOI marker FF D8 FF;
 * PNG: the 8-byte signature of RFC 2083 §3.1 followed by an IHDR chunk), or undefined.
 * What the uploader declared is not trusted: a script or HTML file with an image
 * content type would otherwise be stored and served back.
 */
export function sniffPhoto(bytes: Uint8Array): PhotoMediaType | undefined {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 16 && PNG_SIGNATURE.every((b, i) => bytes[i] === b) && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR') return 'image/png';
  return undefined;
}

export type PhotoCheck = { ok: true; mediaType: PhotoMediaType } | { ok: false; status: 413 | 415; reason: string };

/** Whether an upload may be stored: within the size bound, and the image it claims to be. */
export function checkPhoto(bytes: Uint8Array, declared: string | undefined): PhotoCheck {
  if (bytes.length === 0) return { ok: false, status: 415, reason: 'the photo is empty' };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, status: 413, reason: `a photo may have at most ${MAX_PHOTO_BYTES} bytes` };
  const sniffed = sniffPhoto(bytes);
  if (sniffed === undefined) return { ok: false, status: 415, reason: 'only JPEG and PNG photos are accepted' };
  const claimed = (declared ?? '').split(';')[0]?.trim().toLowerCase();
  if (claimed !== sniffed) return { ok: false, status: 415, reason: `the photo is ${sniffed}, not ${claimed || 'untyped'}` };
  return { ok: true, mediaType: sniffed };
}
