import { detached } from '../../../protocol/epc/epc-hex.ts';
import { checkedBase64Epc, checkedEpc } from '../../../protocol/rfid/element-fields.ts';
import type { FieldChecks, FieldResult } from '../../../protocol/rfid/types.ts';
import { createTimestampCache } from './timestamp-cache.ts';

/**
 * Accepted EPCs as the reader spelled them (Zebra writes lower case), so a tag read every
 * round costs one lookup and no new object. Sized for a site's tags in both spellings
 * (about 100 B an entry): once the tags read in a cycle outnumber it, every lookup misses.
 */
export const EPC_CACHE_LIMIT = 65_536;
/** A site's tags in base64; beyond it the oldest is forgotten first (Map insertion order). */
export const BASE64_CACHE_LIMIT = 65_536;

export type FieldCaches = FieldChecks & {
  /** Conversions and EPCs currently kept (tests check the bounds). */
  sizes(): { base64: number; epc: number };
};

/**
 * The field checks of protocol/rfid/element-fields.ts answered from bounded caches owned
 * by one decoder (one RFID stage): readers repeat the same few thousand tags every
 * inventory round, and hundreds of stamps a second share a minute. Only accepted answers
 * are kept, under copies of their keys: a substring of a payload is a view of it in V8,
 * and a cache of 65,536 views could keep as many payloads alive.
 */
export function createFieldCaches(limits: { epc?: number; base64?: number } = {}): FieldCaches {
  const epcLimit = limits.epc ?? EPC_CACHE_LIMIT;
  const base64Limit = limits.base64 ?? BASE64_CACHE_LIMIT;
  const acceptedEpcs = new Map<string, FieldResult<string>>();
  const acceptedBase64Epcs = new Map<string, FieldResult<string>>();
  const timestamps = createTimestampCache();
  /** The stamp last found valid: the events of an Impinj payload share their envelope stamp. */
  let validStamp = '';

  const keep = (cache: Map<string, FieldResult<string>>, limit: number, key: string, value: FieldResult<string>): void => {
    if (cache.size >= limit) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(detached(key), value);
  };

  const epc = (hex: string): FieldResult<string> => {
    const hit = acceptedEpcs.get(hex);
    if (hit !== undefined) return hit;
    const checked = checkedEpc(hex);
    if (checked.ok) keep(acceptedEpcs, epcLimit, hex, Object.freeze(checked));
    return checked;
  };

  return {
    epc,
    base64Epc(b64) {
      const hit = acceptedBase64Epcs.get(b64);
      if (hit !== undefined) return hit;
      const checked = checkedBase64Epc(b64, epc);
      if (checked.ok) keep(acceptedBase64Epcs, base64Limit, b64, checked);
      return checked;
    },
    time: (text) => timestamps.normalise(text),
    validTime(text) {
      if (text === validStamp) return true;
      if (timestamps.normalise(text) === undefined) return false;
      validStamp = text;
      return true;
    },
    sizes: () => ({ base64: acceptedBase64Epcs.size, epc: acceptedEpcs.size }),
  };
}
