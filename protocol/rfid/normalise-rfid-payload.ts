import { Buffer, isAscii } from 'node:buffer';
import { decodeUtf8, MAX_PAYLOAD_BYTES, type CheckResult } from '../json-payload.ts';
import { compactFormat } from './compact.ts';
import { impinjFormat } from './impinj.ts';
import { splitJsonValues } from './split-json-elements.ts';
import type { JsonObject, NormaliseContext, RfidFormat, RfidNormalised } from './types.ts';
import { zebraFormat } from './zebra.ts';

/** Tried in order; Impinj first since its events may also carry keys the others look at. */
const FORMATS: readonly RfidFormat[] = [impinjFormat, zebraFormat, compactFormat];

/** A hostile or broken payload of 4 MiB could hold ~10^6 bad elements; the gateway needs a sample, not all. */
export const MAX_ERRORS_PER_PAYLOAD = 100;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

function describeKeys(element: JsonObject): string {
  const keys = Object.keys(element);
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
  return keys.length === 0 ? 'no keys' : `keys ${shown.join(', ')}${keys.length > 8 ? ', …' : ''}`;
}

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

function formatOf(element: JsonObject): RfidFormat | undefined {
  for (const format of FORMATS) if (format.matches(element)) return format;
  return undefined;
}

function normaliseElement(value: unknown, index: number, ctx: NormaliseContext, result: RfidNormalised): void {
  if (!isObject(value)) {
    result.errors.push(`element ${index}: expected a JSON object, got ${kindOf(value)}`);
    return;
  }
  const format = formatOf(value);
  if (format === undefined) {
    result.errors.push(`element ${index}: not an Impinj, Zebra or compact RFID event (${describeKeys(value)})`);
    return;
  }
  const out = format.normalise(value, ctx);
  if (out.kind === 'read') result.reads.push(out.read);
  else if (out.kind === 'health') result.health.push(out.health);
  else result.errors.push(`element ${index}: ${out.error}`);
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

function normalise(payload: Uint8Array | string, ctx: NormaliseContext): RfidNormalised {
  const result: RfidNormalised = { reads: [], health: [], errors: [] };
  const text = payloadText(payload);
  if (!text.ok) {
    result.errors.push(text.error);
    return result;
  }
  const split = splitJsonValues(text.value);
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
  result.errors = capErrors(result.errors);
  return result;
}

/**
 * Everything a reader published in one MQTT message on `wh/{site}/rfid/{id}/events`.
 * Never throws: bad elements are dropped with a line in `errors`, the rest are kept.
 */
export function normaliseRfidPayload(payload: Uint8Array | string, readerId: string, receivedAt?: Date): RfidNormalised {
  try {
    return normalise(payload, { readerId, receivedAt: arrivalTime(receivedAt) });
  } catch (err) {
    // Last line of defence (e.g. a stack overflow in JSON.parse on absurd nesting).
    return { reads: [], health: [], errors: [`payload could not be processed: ${err instanceof Error ? err.message : String(err)}`] };
  }
}
