import { normaliseRfidPayload, type RfidNormalised } from '../../../protocol/index.ts';
import { createFieldCaches } from './field-caches.ts';
import { createReadLayouts, type ReadLayoutStats } from './read-layouts.ts';

export interface RfidDecoder {
  /** normaliseRfidPayload's result for the payload, through this decoder's layouts and caches. Never throws. */
  decode(payload: Uint8Array | string, readerId: string, receivedAt?: Date): RfidNormalised;
  stats(): ReadLayoutStats & { cached: { base64: number; epc: number } };
}

/**
 * The RFID stage's decoder: protocol's plain normaliser with the gateway's fast path
 * plugged in (learned read layouts, read-layouts.ts; EPC and timestamp caches,
 * field-caches.ts). Everything it learns and remembers is its own, made with the stage
 * and dropped with it, never module state. `layouts: false` keeps the caches but parses
 * every element (tests and the decode benchmark compare the two).
 */
export function createRfidDecoder(options: { layouts?: boolean } = {}): RfidDecoder {
  const fields = createFieldCaches();
  const layouts = createReadLayouts();
  const parts = options.layouts === false ? { fields } : { fields, shortcut: layouts.normalise };
  return {
    decode: (payload, readerId, receivedAt) => normaliseRfidPayload(payload, readerId, receivedAt, parts),
    stats: () => ({ ...layouts.stats(), cached: fields.sizes() }),
  };
}
