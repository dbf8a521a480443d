import { ProtocolError } from './errors.ts';

/** `{site}`, `{id}` and lot ids in topics (PROTOCOL.md "MQTT topics"); safe as one MQTT topic level. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const ID_REGEX = new RegExp(ID_PATTERN);

export function isValidId(s: unknown): s is string {
  return typeof s === 'string' && ID_REGEX.test(s);
}

/** Quotes and shortens untrusted input so a hostile value cannot flood or forge log lines. */
export function describeValue(value: unknown, max = 40): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

export function assertId(what: string, value: string): string {
  if (isValidId(value)) return value;
  throw new ProtocolError('bad_id', `${what} must match ${ID_PATTERN}, got ${describeValue(value)}`);
}
