import { createHash } from 'node:crypto';
import type { Attach } from '../../../../gateway/audio/audio-core.ts';

/** The `attach` of SHARED-SPEC for tests: hashes with node:crypto and keeps the bytes. */
export function testAttach() {
  const stored = new Map<string, Uint8Array>();
  const attach: Attach = (bytes, mediaType) => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    stored.set(sha256, bytes);
    return { sha256, bytes: bytes.byteLength, mediaType };
  };
  return { attach, stored };
}
