import { Buffer, isAscii } from 'node:buffer';
import { decodeUtf8, MAX_PAYLOAD_BYTES, type CheckResult } from '../json-payload.ts';
import { plainFieldChecks } from './element-fields.ts';
import { normaliseElement } from './normalise-element.ts';
import { splitJsonValues } from './split-json-elements.ts';
import type { FieldChecks, NormaliseContext, RfidNormalised } from './types.ts';

/** A hostile or broken payload of 4 MiB could hold ~10^6 bad elements; the gateway needs a sample, not all. */
export const MAX_ERRORS_PER_PAYLOAD = 100;

function arrivalTime(receivedAt: Date | undefined): string {
  const at = receivedAt instanceof Date && !Number.isNaN(receivedAt.getTime()) ? receivedAt : new Date();
  return at.toISOString();
}

function capErrors(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS_PER_PAYLOAD) return errors;
  const kept = errors.slice(0, MAX_ERRORS_PER_PAYLOAD);
  kept.push(`… and ${errors.length - MAX_ERRORS_PER_PAYLOAD} more errors`);
  return kept;
}

/**
 * Reader JSON is ASCII in practice; for ASCII bytes latin1 gives the same string as a
 * fatal UTF-8 decode (and there is no BOM to drop) at a fraction of the cost.
 */
function payloadText(payload: Uint8Array | string): CheckResult<string> {
  if (typeof payload !== 'string' && payload.byteLength <= MAX_PAYLOAD_BYTES && isAscii(payload)) {
    return { ok: true, value: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1') };
  }
  return decodeUtf8(payload);
}

/**
 * What a decoder that keeps state may bring (the gateway's RFID stage: gateway/rfid/decode/):
 * its own field checks and a faster way to the same result. Without them every element is
 * parsed and checked in full and nothing is remembered between payloads.
 */
export interface RfidDecoderParts {
  /** Field checks answering as plainFieldChecks does (from caches, say). */
  readonly fields?: FieldChecks;
  /**
   * The payload text's result exactly as the full parse would give it, or undefined to
   * hand the text to the full parse.
   */
  readonly shortcut?: (text: string, ctx: NormaliseContext) => RfidNormalised | undefined;
}

function normalise(payload: Uint8Array | string, ctx: NormaliseContext, parts: RfidDecoderParts): RfidNormalised {
  const text = payloadText(payload);
  if (!text.ok) return { reads: [], health: [], errors: [text.error] };
  const result = parts.shortcut?.(text.value, ctx) ?? parseAndNormalise(text.value, ctx);
  result.errors = capErrors(result.errors);
  return result;
}

/** The full path: every element parsed and normalised on its own. */
function parseAndNormalise(text: string, ctx: NormaliseContext): RfidNormalised {
  const result: RfidNormalised = { reads: [], health: [], errors: [] };
  const split = splitJsonValues(text);
  if (split.whole) {
    const values = split.values;
    for (let index = 0; index < values.length; index++) normaliseElement(values[index], index, ctx, result);
  } else {
    const entries = split.entries;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index];
      if (entry === undefined) continue;
      if (entry.ok) normaliseElement(entry.value, index, ctx, result);
      else result.errors.push(entries.length === 1 ? entry.error : `element ${index}: ${entry.error}`);
    }
  }
  return result;
}

/**
 * Everything a reader published in one MQTT message on `wh/{site}/rfid/{id}/events`.
 * Never throws: bad elements are dropped with a line in `errors`, the rest are kept.
 */
export function normaliseRfidPayload(
  payload: Uint8Array | string,
  readerId: string,
  receivedAt?: Date,
  parts: RfidDecoderParts = {},
): RfidNormalised {
  try {
    return normalise(payload, { readerId, receivedAt: arrivalTime(receivedAt), fields: parts.fields ?? plainFieldChecks }, parts);
  } catch (err) {
    // Last line of defence (e.g. a stack overflow in JSON.parse on absurd nesting).
    return { reads: [], health: [], errors: [`payload could not be processed: ${err instanceof Error ? err.message : String(err)}`] };
  }
}
