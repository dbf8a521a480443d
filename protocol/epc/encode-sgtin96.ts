import { ProtocolError } from '../errors.ts';
import {
  SGTIN96_BITS,
  SGTIN96_HEADER,
  SGTIN96_PARTITIONS,
  SGTIN96_SERIAL_BITS,
} from './sgtin96-partitions.ts';

export interface Sgtin96Fields {
  /** 6 to 12 digits; its length picks the partition. */
  companyPrefix: string;
  /** Indicator digit + item reference: 13 − companyPrefix.length digits. */
  itemReference: string;
  serial: bigint | number | string;
  /** 0–7 (GS1 TDS §10.1); defaults to 0, "all others". */
  filter?: number;
}

const DIGITS = /^[0-9]+$/;
const MAX_SERIAL = (1n << BigInt(SGTIN96_SERIAL_BITS)) - 1n;

function bad(why: string): ProtocolError {
  return new ProtocolError('bad_epc', `cannot encode SGTIN-96: ${why}`);
}

/**
 * SGTIN-96 serials are integers, so a serial written with leading zeros has no SGTIN-96
 * encoding (GS1 TDS §14.5.1); it needs SGTIN-198 instead.
 */
function serialValue(serial: bigint | number | string): bigint {
  let value: bigint;
  if (typeof serial === 'bigint') value = serial;
  else if (typeof serial === 'number') {
    if (!Number.isSafeInteger(serial)) throw bad(`serial ${serial} is not a safe integer`);
    value = BigInt(serial);
  } else {
    if (!DIGITS.test(serial) || (serial.length > 1 && serial.startsWith('0'))) {
      throw bad(`serial ${JSON.stringify(serial)} must be decimal digits without leading zeros`);
    }
    value = BigInt(serial);
  }
  if (value < 0n || value > MAX_SERIAL) throw bad(`serial ${value} is outside 0…${MAX_SERIAL}`);
  return value;
}

/** Uppercase hex of the SGTIN-96 EPC (GS1 TDS §14.5.1 coding table). */
export function encodeSgtin96(fields: Sgtin96Fields): string {
  const { companyPrefix, itemReference } = fields;
  const filter = fields.filter ?? 0;
  if (!Number.isInteger(filter) || filter < 0 || filter > 7) throw bad(`filter ${filter} is outside 0…7`);
  if (typeof companyPrefix !== 'string' || !DIGITS.test(companyPrefix)) throw bad('company prefix must be digits');
  const partitionValue = SGTIN96_PARTITIONS.findIndex((p) => p.companyDigits === companyPrefix.length);
  const partition = SGTIN96_PARTITIONS[partitionValue];
  if (partition === undefined) throw bad(`company prefix must have 6 to 12 digits, got ${companyPrefix.length}`);
  if (typeof itemReference !== 'string' || !DIGITS.test(itemReference) || itemReference.length !== partition.itemDigits) {
    throw bad(`item reference must be ${partition.itemDigits} digits for a ${companyPrefix.length}-digit company prefix`);
  }
  const value =
    (BigInt(SGTIN96_HEADER) << 88n) |
    (BigInt(filter) << 85n) |
    (BigInt(partitionValue) << 82n) |
    (BigInt(companyPrefix) << BigInt(SGTIN96_SERIAL_BITS + partition.itemBits)) |
    (BigInt(itemReference) << BigInt(SGTIN96_SERIAL_BITS)) |
    serialValue(fields.serial);
  return value.toString(16).toUpperCase().padStart(SGTIN96_BITS / 4, '0');
}
