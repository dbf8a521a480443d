import type { KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors.ts';
import { compileSchema } from '../json-payload.ts';
import { HASH_PATTERN, HashedEvent, type UnsealedEvent, type VerificationEvent } from '../schemas/verification-event.ts';
import { canonicalJson } from './canonical-json.ts';
import { hashEvent } from './hash-event.ts';
import { signHash } from './signature.ts';

const checkHashed = compileSchema(HashedEvent);
const HASH_REGEX = new RegExp(HASH_PATTERN);

/**
 * Links `unsealed` after `prevHash`, hashes and signs it. The event is first passed
 * through JSON so that what is hashed is exactly what a receiver will parse (a Date
 * becomes its ISO string, undefined members disappear). Throws ProtocolError
 * 'bad_payload' when the result would not match the contract.
 */
export function sealEvent(unsealed: UnsealedEvent, prevHash: string, privateKey: KeyObject): VerificationEvent {
  if (typeof prevHash !== 'string' || !HASH_REGEX.test(prevHash)) {
    throw new ProtocolError('bad_payload', 'prevHash must be 64 lowercase hex digits');
  }
  // JSON would quietly turn NaN into null; canonicalJson refuses it (and lone surrogates) instead.
  canonicalJson(unsealed);
  const plain = JSON.parse(JSON.stringify(unsealed)) as Record<string, unknown>;
  const { hash: _hash, sig: _sig, prevHash: _prev, ...rest } = plain;
  const checked = checkHashed({ ...rest, prevHash });
  if (!checked.ok) throw new ProtocolError('bad_payload', `event does not match the contract: ${checked.error}`);
  const hash = hashEvent(checked.value);
  return { ...checked.value, hash, sig: signHash(hash, privateKey) };
}
