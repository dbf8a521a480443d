import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';

export type CheckResult<T> = { ok: true; value: T } | { ok: false; error: string };
export type Checker<T> = (value: unknown) => CheckResult<T>;

/** Contract limit on MQTT payloads (PROTOCOL.md "MQTT topics"). */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** The sub-schema a JSON pointer such as `#/properties/a/properties/b` names (RFC 6901). */
function schemaAt(root: TSchema, pointer: string): unknown {
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

function describeError(root: TSchema, e: TLocalizedValidationError): string {
  const path = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'pattern' || e.keyword === 'format') {
    // A regex in an error message helps nobody at 3 a.m.; schemas describe their strings instead.
    const described = schemaAt(root, e.schemaPath);
    const description = typeof described === 'object' && described !== null ? (described as Record<string, unknown>)['description'] : undefined;
    if (typeof description === 'string') return `${path}: must be ${description}`;
  }
  const params: Record<string, unknown> = e.params;
  const extra = params['additionalProperties'];
  if (Array.isArray(extra)) return `${path}: must not have additional properties (${extra.join(', ')})`;
  const allowed = params['allowedValues'];
  if (Array.isArray(allowed)) return `${path}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${path}: ${e.message}`;
}

/**
 * TypeBox reports `additionalProperties: false` twice (a "schema is false" entry for the
 * property, then the useful one) and unions as one entry per branch; skip the noise.
 */
function firstUsefulError(root: TSchema, errors: readonly TLocalizedValidationError[]): string {
  const useful = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  return useful === undefined ? '(root): invalid' : describeError(root, useful);
}

export function compileSchema<S extends TSchema>(schema: S): Checker<Static<S>> {
  const validator = Compile(schema);
  return (value: unknown) => {
    if (validator.Check(value)) return { ok: true, value: value as Static<S> };
    return { ok: false, error: firstUsefulError(schema, validator.Errors(value)) };
  };
}

const compiled = new WeakMap<TSchema, Checker<unknown>>();

function checkerFor<S extends TSchema>(schema: S): Checker<Static<S>> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = compileSchema(schema);
    compiled.set(schema, checker);
  }
  return checker as Checker<Static<S>>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes or text to a string; an explicit error for invalid UTF-8. A leading byte order
 * mark is dropped, as RFC 8259 §8.1 lets parsers do (TextDecoder already does for bytes).
 */
export function decodeUtf8(payload: Uint8Array | string): CheckResult<string> {
  const size = typeof payload === 'string' ? payload.length : payload.byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    return { ok: false, error: `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}` };
  }
  if (typeof payload === 'string') return { ok: true, value: payload.startsWith('\uFEFF') ? payload.slice(1) : payload };
  try {
    return { ok: true, value: utf8.decode(payload) };
  } catch {
    return { ok: false, error: 'payload is not valid UTF-8' };
  }
}

/** JSON.parse plus schema check; never throws, whatever the payload. */
export function parseJsonPayload<S extends TSchema>(schema: S, payload: Uint8Array | string): CheckResult<Static<S>> {
  const text = decodeUtf8(payload);
  if (!text.ok) return text;
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  return checkerFor(schema)(value);
}
