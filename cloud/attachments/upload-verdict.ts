import type { MediaType } from '../../protocol/index.ts';

export interface Citation {
  bytes: number;
  mediaType: string;
}

export interface UploadFacts {
  /** The hash in the path: what the gateway claims the bytes are. */
  claimedSha256: string;
  /** The hash of the body received. */
  bodySha256: string;
  bodyBytes: number;
  /** The request's media type; application/octet-stream takes the cited one. */
  contentType: string;
  /** How stored events of this gateway cite the claimed hash. */
  citations: readonly Citation[];
  alreadyStored: boolean;
  tenantUsedBytes: number;
  tenantMaxBytes: number;
}

export type UploadVerdict =
  | { kind: 'store'; mediaType: MediaType; bytes: number }
  | { kind: 'duplicate'; mediaType: MediaType; bytes: number }
  /** The bytes are not those the signed hash names: altered on the way or at the gateway. */
  | { kind: 'tampered'; message: string }
  | { kind: 'not_cited'; message: string }
  | { kind: 'mismatch'; message: string }
  | { kind: 'tenant_full'; message: string };

/**
 * Whether uploaded bytes may be stored. The hash in the path must be the body's, and an
 * event of this gateway already stored (so signed and verified) must cite that hash with
 * this size and media type: the signature covers the hash, so no other bytes can pass.
 */
export function judgeUpload(facts: UploadFacts): UploadVerdict {
  if (facts.bodySha256 !== facts.claimedSha256) {
    return { kind: 'tampered', message: `the body's SHA-256 is ${facts.bodySha256}, not ${facts.claimedSha256}: the bytes are not those the event signed` };
  }
  if (facts.citations.length === 0) {
    return { kind: 'not_cited', message: `no stored event of this gateway cites attachment ${facts.claimedSha256}; deliver the citing event first` };
  }
  const wanted = facts.contentType === 'application/octet-stream' ? undefined : facts.contentType;
  const match = facts.citations.find((c) => c.bytes === facts.bodyBytes && (wanted === undefined || c.mediaType === wanted));
  if (match === undefined) {
    const cited = facts.citations.map((c) => `${c.bytes} bytes of ${c.mediaType}`).join(', ');
    return { kind: 'mismatch', message: `attachment ${facts.claimedSha256} is cited as ${cited}; received ${facts.bodyBytes} bytes of ${wanted ?? 'unstated type'}` };
  }
  const mediaType = match.mediaType as MediaType;
  if (facts.alreadyStored) return { kind: 'duplicate', mediaType, bytes: match.bytes };
  if (facts.tenantUsedBytes + match.bytes > facts.tenantMaxBytes) {
    return {
      kind: 'tenant_full',
      message: `attachment storage of this tenant is full: ${facts.tenantUsedBytes} of ${facts.tenantMaxBytes} bytes used, ${match.bytes} more refused (ATTACHMENT_TENANT_MAX_BYTES)`,
    };
  }
  return { kind: 'store', mediaType, bytes: match.bytes };
}
