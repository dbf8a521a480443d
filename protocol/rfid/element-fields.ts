import { describeValue } from '../ids.ts';
import { decodeEpc } from '../epc/decode-epc.ts';
import { ProtocolError } from '../errors.ts';
import { createTimestampCache } from './timestamp-cache.ts';
import type { ElementResult, NormaliseContext } from './types.ts';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: ElementResult };

export function elementError(error: string): ElementResult {
  return { kind: 'error', error };
}

function fail(error: string): { ok: false; error: ElementResult } {
  return { ok: false, error: elementError(error) };
}

/**
 * Accepted EPCs as the reader spelled them (Zebra writes lower case), so a tag read every
 * round costs one lookup and no new object. Sized for a site's tags in both spellings
 * (about 100 B an entry): once the tags read in a cycle outnumber it, every lookup misses.
 */
export const EPC_CACHE_LIMIT = 65_536;
const acceptedEpcs = new Map<string, FieldResult<string>>();

/** Uppercase hex that decodeEpc accepts, so nothing downstream has to handle a bad EPC. */
export function checkedEpc(hex: string): FieldResult<string> {
  const hit = acceptedEpcs.get(hex);
  if (hit !== undefined) return hit;
  try {
    const accepted: FieldResult<string> = Object.freeze({ ok: true, value: decodeEpc(hex).hex });
    if (acceptedEpcs.size >= EPC_CACHE_LIMIT) {
      const oldest = acceptedEpcs.keys().next();
      if (oldest.done !== true) acceptedEpcs.delete(oldest.value);
    }
    acceptedEpcs.set(hex, accepted);
    return accepted;
  } catch (err) {
    return fail(err instanceof ProtocolError ? err.message : `EPC ${hex} could not be decoded`);
  }
}

/** A site's tags; beyond it the oldest conversion is forgotten first (Map insertion order). */
export const BASE64_CACHE_LIMIT = 65_536;
const hexOfBase64 = new Map<string, string>();

/**
 * Impinj sends the EPC bank as base64 (RFC 4648 §4); the schema has already checked the alphabet.
 * The same few thousand tags come round every inventory round, so conversions are kept.
 */
export function base64ToHex(b64: string): string {
  const hit = hexOfBase64.get(b64);
  if (hit !== undefined) return hit;
  const hex = Buffer.from(b64, 'base64').toString('hex').toUpperCase();
  if (hexOfBase64.size >= BASE64_CACHE_LIMIT) {
    const oldest = hexOfBase64.keys().next();
    if (oldest.done !== true) hexOfBase64.delete(oldest.value);
  }
  hexOfBase64.set(b64, hex);
  return hex;
}

/** Conversions and EPCs currently kept (tests check the bounds). */
export const elementCacheSizes = (): { base64: number; epc: number } => ({ base64: hexOfBase64.size, epc: acceptedEpcs.size });

const timestamps = createTimestampCache();

/** The first present timestamp, normalised to UTC; the arrival time when none is present. */
export function eventTime(ctx: NormaliseContext, first: string | undefined, second?: string): FieldResult<string> {
  const present = first ?? second;
  if (present === undefined) return { ok: true, value: ctx.receivedAt };
  const ts = timestamps.normalise(present);
  return ts === undefined ? fail(`timestamp ${describeValue(present)} is not a valid date-time`) : { ok: true, value: ts };
}
