import type { HashedEvent } from '../schemas/verification-event.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';

/** `prevHash` of a gateway's first event (PROTOCOL.md "Verification event"). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 of the RFC 8785 canonical JSON of the event without `hash` and `sig`.
 * A full event may be passed: those two members are left out here.
 */
export function hashEvent(event: HashedEvent): string {
  const { hash: _hash, sig: _sig, ...hashed } = event as HashedEvent & { hash?: unknown; sig?: unknown };
  return sha256Hex(canonicalJson(hashed));
}
