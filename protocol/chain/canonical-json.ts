import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ProtocolError } from '../errors.ts';

/** RFC 8785 (JSON Canonicalization Scheme) text of a JSON value. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // RFC 8785 §3.2.2.3 has no form for NaN or ±Infinity, §3.2.2.2 none for lone surrogates.
    throw new ProtocolError('bad_payload', `value has no canonical JSON form: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text === undefined) throw new ProtocolError('bad_payload', 'value has no JSON form');
  return text;
}

/** Lowercase hex SHA-256; strings are hashed as their UTF-8 bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
