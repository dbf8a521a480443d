import type { KeyObject } from 'node:crypto';
import { compileSchema } from '../json-payload.ts';
import { VerificationEvent } from '../schemas/verification-event.ts';
import { hashEvent } from './hash-event.ts';
import { verifyHashSignature } from './signature.ts';

const checkShape = compileSchema(VerificationEvent);

export type EventFailure = { ok: false; reason: 'schema' | 'hash' | 'signature'; message: string };
export type VerifyEventResult = { ok: true } | EventFailure;

export function checkEventShape(event: unknown): { ok: true; event: VerificationEvent } | EventFailure {
  const checked = checkShape(event);
  if (checked.ok) return { ok: true, event: checked.value };
  return { ok: false, reason: 'schema', message: `not a verification event: ${checked.error}` };
}

/** The hash recomputed from the content, then the signature over that hash. */
export function checkEventSeal(event: VerificationEvent, publicKey: KeyObject): VerifyEventResult {
  let expected: string;
  try {
    expected = hashEvent(event);
  } catch (err) {
    return { ok: false, reason: 'schema', message: err instanceof Error ? err.message : String(err) };
  }
  if (expected !== event.hash) {
    return { ok: false, reason: 'hash', message: `hash ${event.hash} does not match the event's content (${expected})` };
  }
  if (!verifyHashSignature(event.hash, event.sig, publicKey)) {
    return { ok: false, reason: 'signature', message: 'sig is not a valid Ed25519 signature of hash by this key' };
  }
  return { ok: true };
}

/** Checks one event on its own; linking to its neighbours is verifyChain's job. */
export function verifyEvent(event: unknown, publicKey: KeyObject): VerifyEventResult {
  const shape = checkEventShape(event);
  return shape.ok ? checkEventSeal(shape.event, publicKey) : shape;
}
