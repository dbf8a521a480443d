import { ProtocolError } from '../errors.ts';
import { detached, epcHexProblem } from './epc-hex.ts';
import { sgtinToGtin14 } from './gtin.ts';
import {
  SGTIN96_BITS,
  SGTIN96_COMPANY_ITEM_BITS,
  SGTIN96_HEADER,
  SGTIN96_PARTITIONS,
  SGTIN96_SERIAL_BITS,
} from './sgtin96-partitions.ts';

export interface DecodedEpc {
  /** Uppercase hex, as evidence and RfidRead carry it. */
  readonly hex: string;
  readonly bits: number;
  /** Pure-identity URN: `urn:epc:id:sgtin:…`, or `urn:epc:raw:{bits}.x{HEX}` (GS1 TDS §12.4 raw URI). */
  readonly uri: string;
  readonly scheme: 'sgtin-96' | 'raw';
  readonly gtin14?: string;
  readonly companyPrefix?: string;
  readonly itemReference?: string;
  /** Decimal, without leading zeros. */
  readonly serial?: string;
  readonly filter?: number;
}

/**
 * Readers report the same few hundred tags many times a second, so decoded values are
 * kept. Insertion order makes the Map evict its oldest entry first; frozen values make
 * sharing them safe.
 */
const CACHE_LIMIT = 8192;
const cache = new Map<string, DecodedEpc>();

function remember(decoded: DecodedEpc): DecodedEpc {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  const frozen = Object.freeze(decoded);
  cache.set(decoded.hex, frozen);
  return frozen;
}

function bad(hex: string, why: string): ProtocolError {
  return new ProtocolError('bad_epc', `EPC ${hex} is not a valid SGTIN-96: ${why}`);
}

const SERIAL_MASK = (1n << BigInt(SGTIN96_SERIAL_BITS)) - 1n;
const COMPANY_ITEM_MASK = (1n << BigInt(SGTIN96_COMPANY_ITEM_BITS)) - 1n;

/** GS1 TDS §14.5.1 (SGTIN-96 coding table) with the partition decoding rules of §14.3.3. */
function decodeSgtin96(hex: string): DecodedEpc {
  const bits = hex.length * 4;
  if (bits !== SGTIN96_BITS) throw bad(hex, `header 0x30 requires ${SGTIN96_BITS} bits, got ${bits}`);
  const value = BigInt(`0x${hex}`);
  const serial = value & SERIAL_MASK;
  const companyItem = (value >> BigInt(SGTIN96_SERIAL_BITS)) & COMPANY_ITEM_MASK;
  const partitionValue = Number((value >> 82n) & 7n);
  const filter = Number((value >> 85n) & 7n);
  const partition = SGTIN96_PARTITIONS[partitionValue];
  if (partition === undefined) throw bad(hex, `partition ${partitionValue} is not assigned`);
  const company = companyItem >> BigInt(partition.itemBits);
  const item = companyItem & ((1n << BigInt(partition.itemBits)) - 1n);
  const companyPrefix = company.toString().padStart(partition.companyDigits, '0');
  const itemReference = item.toString().padStart(partition.itemDigits, '0');
  // The bit fields can hold more than the digits allow; such values decode to nothing (§14.3.3).
  if (companyPrefix.length > partition.companyDigits) {
    throw bad(hex, `company prefix ${company} has more than ${partition.companyDigits} digits`);
  }
  if (itemReference.length > partition.itemDigits) {
    throw bad(hex, `item reference ${item} has more than ${partition.itemDigits} digits`);
  }
  const serialText = serial.toString();
  return {
    hex,
    bits,
    uri: `urn:epc:id:sgtin:${companyPrefix}.${itemReference}.${serialText}`,
    scheme: 'sgtin-96',
    gtin14: sgtinToGtin14(companyPrefix, itemReference),
    companyPrefix,
    itemReference,
    serial: serialText,
    filter,
  };
}

export function decodeEpc(hex: string): DecodedEpc {
  const upper = typeof hex === 'string' ? hex.toUpperCase() : hex;
  const hit = cache.get(upper);
  if (hit !== undefined) return hit;
  const problem = epcHexProblem(hex);
  if (problem !== undefined) throw new ProtocolError('bad_epc', problem);
  const own = detached(upper);
  const bits = own.length * 4;
  if (Number.parseInt(own.slice(0, 2), 16) === SGTIN96_HEADER) return remember(decodeSgtin96(own));
  return remember({ hex: own, bits, uri: `urn:epc:raw:${bits}.x${own}`, scheme: 'raw' });
}
