import { describeValue } from '../ids.ts';
import { decodeEpc } from '../epc/decode-epc.ts';
import { ProtocolError } from '../errors.ts';
import { ImpinjTagInventoryEvent } from '../schemas/rfid-impinj.ts';
import { normaliseTimestamp } from '../timestamps.ts';
import type { ElementResult, FieldChecks, FieldResult, NormaliseContext, RfidRead } from './types.ts';

export type { FieldResult } from './types.ts';

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

/** The schema's own base64 pattern, so an accepted spelling is one the schema accepts. */
const BASE64 = ((schema: object): RegExp => {
  const pattern = 'pattern' in schema ? schema.pattern : undefined;
  if (typeof pattern !== 'string') throw new Error('ImpinjTagInventoryEvent.epc has no pattern');
  return new RegExp(pattern);
})(ImpinjTagInventoryEvent.properties.epc);

/**
 * Impinj sends the EPC bank as base64 (RFC 4648 §4): the EPC it spells, checked by `epc`
 * (checkedEpc unless a decoder brings its cached one). Text that is not base64 by the
 * schema's own pattern fails.
 */
export function checkedBase64Epc(b64: string, epc: (hex: string) => FieldResult<string> = checkedEpc): FieldResult<string> {
  if (!BASE64.test(b64)) return fail(`EPC ${describeValue(b64)} is not base64`);
  return epc(Buffer.from(b64, 'base64').toString('hex').toUpperCase());
}

/** Every check done in full, nothing remembered: what any reader of the format can use. */
export const plainFieldChecks: FieldChecks = {
  epc: checkedEpc,
  base64Epc: (b64) => checkedBase64Epc(b64),
  time: normaliseTimestamp,
  validTime: (text) => normaliseTimestamp(text) !== undefined,
};

/**
 * A layout's captured timestamp as eventTime takes one: normalised when it passes
 * DeviceTimestamp, the arrival time when absent, undefined when it is not a valid stamp.
 */
export function layoutTime(ctx: NormaliseContext, value: unknown): string | undefined {
  if (value === undefined) return ctx.receivedAt;
  return typeof value === 'string' ? ctx.fields.time(value) : undefined;
}

/**
 * A read built from a layout's captured values for formats that carry a hex EPC and RSSI
 * in dBm, when each passes as the format's schema would: the antenna an integer of at
 * least `minAntenna`, the RSSI a finite number, the EPC and timestamp accepted; otherwise
 * undefined, and `normalise` decides.
 */
export function layoutHexRead(ctx: NormaliseContext, hex: unknown, antenna: unknown, rssi: unknown, timestamp: unknown, minAntenna: number): RfidRead | undefined {
  if (typeof hex !== 'string' || typeof antenna !== 'number' || typeof rssi !== 'number') return undefined;
  if (!Number.isInteger(antenna) || antenna < minAntenna || !Number.isFinite(rssi)) return undefined;
  const epc = ctx.fields.epc(hex);
  if (!epc.ok) return undefined;
  const ts = layoutTime(ctx, timestamp);
  if (ts === undefined) return undefined;
  return { epc: epc.value, antenna, rssi, ts, readerId: ctx.readerId };
}

/** The first present timestamp, normalised to UTC; the arrival time when none is present. */
export function eventTime(ctx: NormaliseContext, first: string | undefined, second?: string): FieldResult<string> {
  const present = first ?? second;
  if (present === undefined) return { ok: true, value: ctx.receivedAt };
  const ts = ctx.fields.time(present);
  return ts === undefined ? fail(`timestamp ${describeValue(present)} is not a valid date-time`) : { ok: true, value: ts };
}
