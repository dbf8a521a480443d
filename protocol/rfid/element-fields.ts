import { describeValue } from '../ids.ts';
import { decodeEpc } from '../epc/decode-epc.ts';
import { detached } from '../epc/epc-hex.ts';
import { ProtocolError } from '../errors.ts';
import { ImpinjTagInventoryEvent } from '../schemas/rfid-impinj.ts';
import { createTimestampCache } from './timestamp-cache.ts';
import type { ElementResult, NormaliseContext, RfidRead } from './types.ts';

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
    acceptedEpcs.set(detached(hex), accepted);
    return accepted;
  } catch (err) {
    return fail(err instanceof ProtocolError ? err.message : `EPC ${hex} could not be decoded`);
  }
}

/** A site's tags in base64; beyond it the oldest is forgotten first (Map insertion order). */
export const BASE64_CACHE_LIMIT = 65_536;

/** The schema's own base64 pattern, so an accepted spelling is one the schema accepts. */
const BASE64 = ((schema: object): RegExp => {
  const pattern = 'pattern' in schema ? schema.pattern : undefined;
  if (typeof pattern !== 'string') throw new Error('ImpinjTagInventoryEvent.epc has no pattern');
  return new RegExp(pattern);
})(ImpinjTagInventoryEvent.properties.epc);
const acceptedBase64Epcs = new Map<string, FieldResult<string>>();

/**
 * Impinj sends the EPC bank as base64 (RFC 4648 §4): the EPC it spells, checked as by
 * checkedEpc, in one lookup for a tag seen before (the same few thousand tags come round
 * every inventory round). Text that is not base64 by the schema's own pattern fails, so
 * an accepted spelling has passed it. Only accepted spellings are kept.
 */
export function checkedBase64Epc(b64: string): FieldResult<string> {
  const hit = acceptedBase64Epcs.get(b64);
  if (hit !== undefined) return hit;
  if (!BASE64.test(b64)) return fail(`EPC ${describeValue(b64)} is not base64`);
  const checked = checkedEpc(Buffer.from(b64, 'base64').toString('hex').toUpperCase());
  if (!checked.ok) return checked;
  if (acceptedBase64Epcs.size >= BASE64_CACHE_LIMIT) {
    const oldest = acceptedBase64Epcs.keys().next();
    if (oldest.done !== true) acceptedBase64Epcs.delete(oldest.value);
  }
  acceptedBase64Epcs.set(detached(b64), checked);
  return checked;
}

/** Conversions and EPCs currently kept (tests check the bounds). */
export const elementCacheSizes = (): { base64: number; epc: number } => ({ base64: acceptedBase64Epcs.size, epc: acceptedEpcs.size });

const timestamps = createTimestampCache();
/**
 * normaliseTimestamp of a device timestamp, through the minute cache. A result implies the
 * schema's DeviceTimestamp pattern (normaliseTimestamp parses by it).
 */
export function deviceTime(text: string): string | undefined {
  return timestamps.normalise(text);
}

/**
 * A layout's captured timestamp as eventTime takes one: normalised when it passes
 * DeviceTimestamp, the arrival time when absent, undefined when it is not a valid stamp.
 */
export function layoutTime(ctx: NormaliseContext, value: unknown): string | undefined {
  if (value === undefined) return ctx.receivedAt;
  return typeof value === 'string' ? deviceTime(value) : undefined;
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
  const epc = checkedEpc(hex);
  if (!epc.ok) return undefined;
  const ts = layoutTime(ctx, timestamp);
  if (ts === undefined) return undefined;
  return { epc: epc.value, antenna, rssi, ts, readerId: ctx.readerId };
}

/** The first present timestamp, normalised to UTC; the arrival time when none is present. */
export function eventTime(ctx: NormaliseContext, first: string | undefined, second?: string): FieldResult<string> {
  const present = first ?? second;
  if (present === undefined) return { ok: true, value: ctx.receivedAt };
  const ts = deviceTime(present);
  return ts === undefined ? fail(`timestamp ${describeValue(present)} is not a valid date-time`) : { ok: true, value: ts };
}
