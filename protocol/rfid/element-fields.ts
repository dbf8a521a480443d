import { describeValue } from '../ids.ts';
import { decodeEpc } from '../epc/decode-epc.ts';
import { ProtocolError } from '../errors.ts';
import { normaliseTimestamp } from '../timestamps.ts';
import type { ElementResult, NormaliseContext } from './types.ts';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: ElementResult };

export function elementError(error: string): ElementResult {
  return { kind: 'error', error };
}

function fail(error: string): { ok: false; error: ElementResult } {
  return { ok: false, error: elementError(error) };
}

/** Uppercase hex that decodeEpc accepts, so nothing downstream has to handle a bad EPC. */
export function checkedEpc(hex: string): FieldResult<string> {
  try {
    return { ok: true, value: decodeEpc(hex).hex };
  } catch (err) {
    return fail(err instanceof ProtocolError ? err.message : `EPC ${hex} could not be decoded`);
  }
}

/** Impinj sends the EPC bank as base64 (RFC 4648 §4); the schema has already checked the alphabet. */
export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex').toUpperCase();
}

/** The first present timestamp, normalised to UTC; the arrival time when none is present. */
export function eventTime(ctx: NormaliseContext, ...candidates: (string | undefined)[]): FieldResult<string> {
  const present = candidates.find((c) => c !== undefined);
  if (present === undefined) return { ok: true, value: ctx.receivedAt };
  const ts = normaliseTimestamp(present);
  return ts === undefined ? fail(`timestamp ${describeValue(present)} is not a valid date-time`) : { ok: true, value: ts };
}
