import { createHash, createPublicKey } from 'node:crypto';

/** SHA-256 of a gateway's DER SPKI public key, hex; null without a key or for one that does not parse. */
export function keyFingerprint(pem: string | null): string | null {
  if (pem === null) return null;
  try {
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
  } catch {
    return null;
  }
}
