import { compactFormat } from './compact.ts';
import { impinjFormat } from './impinj.ts';
import type { ElementResult, JsonObject, NormaliseContext, RfidFormat, RfidNormalised } from './types.ts';
import { zebraFormat } from './zebra.ts';

/** Tried in order; Impinj first since its events may also carry keys the others look at. */
const FORMATS: readonly RfidFormat[] = [impinjFormat, zebraFormat, compactFormat];

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

export function formatOf(element: JsonObject): RfidFormat | undefined {
  for (const format of FORMATS) if (format.matches(element)) return format;
  return undefined;
}

/** Adds what one parsed element of a payload turned into to `result`; returns it too. */
export function normaliseElement(value: unknown, index: number, ctx: NormaliseContext, result: RfidNormalised): ElementResult {
  let out: ElementResult;
  if (!isObject(value)) {
    out = { kind: 'error', error: `expected a JSON object, got ${kindOf(value)}` };
  } else {
    const format = formatOf(value);
    out =
      format === undefined
        ? { kind: 'error', error: `not an Impinj, Zebra or compact RFID event (${describeKeys(value)})` }
        : format.normalise(value, ctx);
  }
  if (out.kind === 'read') result.reads.push(out.read);
  else if (out.kind === 'health') result.health.push(out.health);
  else result.errors.push(`element ${index}: ${out.error}`);
  return out;
}
