import { sign, verify, type KeyObject } from 'node:crypto';
import { SIG_PATTERN } from '../schemas/verification-event.ts';
import { assertEd25519 } from './keys.ts';

const SIG_REGEX = new RegExp(SIG_PATTERN);

/** Base64 Ed25519 (RFC 8032) signature of the UTF-8 bytes of the hex hash. */
export function signHash(hash: string, privateKey: KeyObject): string {
  assertEd25519(privateKey, 'private key');
  return sign(null, Buffer.from(hash, 'utf8'), privateKey).toString('base64');
}

/**
 * Node's base64 decoder skips characters outside the alphabet and ignores the spare low
 * bits of the last character, so several strings decode to one signature. Only the
 * canonical spelling is accepted, so that any change to `sig` is detected.
 */
export function verifyHashSignature(hash: string, sig: string, publicKey: KeyObject): boolean {
  if (!SIG_REGEX.test(sig)) return false;
  const bytes = Buffer.from(sig, 'base64');
  if (bytes.toString('base64') !== sig) return false;
  try {
    return verify(null, Buffer.from(hash, 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}
