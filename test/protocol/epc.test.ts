import fc from 'fast-check';
import epcTdsImport from 'epc-tds';
import { describe, expect, it } from 'vitest';
import { decodeEpc, encodeSgtin96, isEpcHex, ProtocolError } from '../../protocol/index.ts';
import { SGTIN96_PARTITIONS } from '../../protocol/epc/sgtin96-partitions.ts';

// epc-tds is CommonJS whose typings declare an ES default export that Node does not create.
const epcTds = ((epcTdsImport as { default?: unknown }).default ?? epcTdsImport) as typeof epcTdsImport.default;

function epcError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'bad_epc') return err.message;
    throw err;
  }
  throw new Error('expected a bad_epc error');
}

describe('SGTIN-96 decoding, GS1 TDS vectors', () => {
  it('decodes the TDS example 3074257BF7194E4000001A85', () => {
    expect(decodeEpc('3074257BF7194E4000001A85')).toEqual({
      hex: '3074257BF7194E4000001A85',
      bits: 96,
      uri: 'urn:epc:id:sgtin:0614141.812345.6789',
      scheme: 'sgtin-96',
      // Indicator digit 8 moves to the front: 8 0614141 12345, check digit 8.
      gtin14: '80614141123458',
      companyPrefix: '0614141',
      itemReference: '812345',
      serial: '6789',
      filter: 3,
    });
  });

  it('is case-insensitive and answers in uppercase', () => {
    expect(decodeEpc('3074257bf7194e4000001a85').hex).toBe('3074257BF7194E4000001A85');
  });

  it('hands out shared results that cannot be altered', () => {
    const first = decodeEpc('3074257BF7194E4000001A85');
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => Object.assign(first, { uri: 'x' })).toThrow(TypeError);
    expect(decodeEpc('3074257BF7194E4000001A85').uri).toBe('urn:epc:id:sgtin:0614141.812345.6789');
  });

  // One vector per partition value, from an independent implementation's published tests
  // (bytefeld Epc, filter 1, serial 1) plus the python epc package (filter 0, partition 6).
  it.each([
    ['302117688465380000000001', 'urn:epc:id:sgtin:300012345678.0.1', '03000123456781', 1],
    ['3024DFD31D1DE0C000000001', 'urn:epc:id:sgtin:30041237743.03.1', '03004123774333', 1],
    ['3028B3A7F7390E0000000001', 'urn:epc:id:sgtin:3014129465.056.1', '03014129465562', 1],
    ['302D28B329B0F6C000000001', 'urn:epc:id:sgtin:311112347.0987.1', '03111123479875', 1],
    ['3030F380DE001EC000000001', 'urn:epc:id:sgtin:31916476.00123.1', '03191647601235', 1],
    ['3034C8470C0796C000000001', 'urn:epc:id:sgtin:3281347.007771.1', '03281347077710', 1],
    ['3039542C82FB024000000001', 'urn:epc:id:sgtin:348338.0781321.1', '03483387813215', 1],
    ['301800004000004000000001', 'urn:epc:id:sgtin:000001.0000001.1', '00000010000014', 0],
  ])('decodes %s', (hex, uri, gtin14, filter) => {
    const d = decodeEpc(hex);
    expect(d.uri).toBe(uri);
    expect(d.gtin14).toBe(gtin14);
    expect(d.filter).toBe(filter);
    expect(encodeSgtin96({ companyPrefix: d.companyPrefix ?? '', itemReference: d.itemReference ?? '', serial: d.serial ?? '', filter })).toBe(hex);
  });

  it('encodes the TDS example', () => {
    expect(encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: 6789, filter: 3 })).toBe('3074257BF7194E4000001A85');
    expect(encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: 6789n, filter: 3 })).toBe('3074257BF7194E4000001A85');
    expect(encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: '6789' })).toBe('3014257BF7194E4000001A85');
  });
});

describe('raw identities', () => {
  it('keeps non-GS1 EPCs as urn:epc:raw', () => {
    expect(decodeEpc('E2801190A5021F80055817CA')).toEqual({
      hex: 'E2801190A5021F80055817CA',
      bits: 96,
      uri: 'urn:epc:raw:96.xE2801190A5021F80055817CA',
      scheme: 'raw',
    });
    expect(decodeEpc('e280').uri).toBe('urn:epc:raw:16.xE280');
    expect(decodeEpc('AA'.repeat(62)).bits).toBe(496);
  });
});

describe('invalid EPCs', () => {
  it('throws bad_epc with the reason', () => {
    expect(epcError(() => decodeEpc(''))).toContain('empty');
    expect(epcError(() => decodeEpc('30G4'))).toContain('hex digits');
    expect(epcError(() => decodeEpc('ABC'))).toContain('odd length');
    expect(epcError(() => decodeEpc('AA'.repeat(63)))).toContain('exceeds 496 bits');
    expect(epcError(() => decodeEpc(' 3074257BF7194E4000001A85'))).toContain('hex digits');
  });

  it('refuses SGTIN-96 with partition 7 or a length other than 96 bits', () => {
    expect(epcError(() => decodeEpc('303C00000000000000000000'))).toContain('partition 7');
    expect(epcError(() => decodeEpc('3074257BF7194E4000001A'))).toContain('96 bits');
    expect(epcError(() => decodeEpc('3074257BF7194E4000001A8500'))).toContain('96 bits');
  });

  it('refuses field values with more digits than the partition allows (TDS §14.3.3)', () => {
    // Partition 6, item reference bits all ones: 16777215 has 8 digits, the partition allows 7.
    expect(epcError(() => decodeEpc('301800003FFFFFC000000000'))).toContain('item reference');
    // Partition 0, company prefix bits all ones: 2^40-1 has 13 digits, the partition allows 12.
    expect(epcError(() => decodeEpc('3003FFFFFFFFFC0000000000'))).toContain('company prefix');
    // Partition 0 has a 1-digit indicator in 4 bits; 15 does not fit.
    expect(epcError(() => decodeEpc('30000000000003C000000000'))).toContain('item reference');
  });

  it('encodeSgtin96 validates its input', () => {
    expect(epcError(() => encodeSgtin96({ companyPrefix: '12345', itemReference: '12345678', serial: 1 }))).toContain('6 to 12');
    expect(epcError(() => encodeSgtin96({ companyPrefix: '0614141', itemReference: '81234', serial: 1 }))).toContain('6 digits');
    expect(epcError(() => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: 2n ** 38n }))).toContain('serial');
    expect(epcError(() => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: '0123' }))).toContain('leading zeros');
    expect(epcError(() => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: -1 }))).toContain('serial');
    expect(epcError(() => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: 1, filter: 8 }))).toContain('filter');
  });

  it('isEpcHex matches what decodeEpc accepts for raw EPCs', () => {
    expect(isEpcHex('E280')).toBe(true);
    expect(isEpcHex('e2801190a5021f80055817ca')).toBe(true);
    for (const bad of ['', 'E28', 'E2 80', 'AA'.repeat(63), 42, null]) expect(isEpcHex(bad)).toBe(false);
  });
});

const sgtinFields = fc
  .integer({ min: 0, max: SGTIN96_PARTITIONS.length - 1 })
  .chain((p) => {
    const part = SGTIN96_PARTITIONS[p];
    if (part === undefined) throw new Error('no partition');
    const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    return fc.record({
      companyPrefix: digits(part.companyDigits),
      itemReference: digits(part.itemDigits),
      serial: fc.bigInt({ min: 0n, max: 2n ** 38n - 1n }),
      filter: fc.integer({ min: 0, max: 7 }),
    });
  });

function gs1Valid(gtin14: string): boolean {
  let sum = 0;
  for (let i = 0; i < 14; i++) sum += Number(gtin14[i]) * (i % 2 === 0 ? 3 : 1);
  return sum % 10 === 0;
}

describe('SGTIN-96 properties', () => {
  it('decode(encode(fields)) gives the same fields, URI and a valid GTIN-14', () => {
    fc.assert(
      fc.property(sgtinFields, (fields) => {
        const hex = encodeSgtin96(fields);
        expect(hex).toMatch(/^30[0-9A-F]{22}$/);
        const d = decodeEpc(hex);
        expect(d.companyPrefix).toBe(fields.companyPrefix);
        expect(d.itemReference).toBe(fields.itemReference);
        expect(d.serial).toBe(fields.serial.toString());
        expect(d.filter).toBe(fields.filter);
        expect(d.uri).toBe(`urn:epc:id:sgtin:${fields.companyPrefix}.${fields.itemReference}.${fields.serial}`);
        expect(d.gtin14).toHaveLength(14);
        expect(d.gtin14?.slice(0, 13)).toBe(fields.itemReference.slice(0, 1) + fields.companyPrefix + fields.itemReference.slice(1));
        expect(gs1Valid(d.gtin14 ?? '')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with epc-tds on every valid SGTIN-96', () => {
    fc.assert(
      fc.property(sgtinFields, (fields) => {
        const hex = encodeSgtin96(fields);
        const theirs = epcTds.valueOf(hex);
        const ours = decodeEpc(hex);
        expect(ours.uri).toBe(theirs.toIdURI());
        expect(ours.gtin14).toBe(theirs.toBarcode());
        expect(ours.filter).toBe(theirs.getFilter());
      }),
      { numRuns: 300 },
    );
  });

  it('decodeEpc either decodes or throws bad_epc on any hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 130 }), (hex) => {
        try {
          const d = decodeEpc(hex);
          expect(d.hex).toBe(hex.toUpperCase());
          expect(d.uri.startsWith(d.scheme === 'raw' ? 'urn:epc:raw:' : 'urn:epc:id:sgtin:')).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
          expect((err as ProtocolError).code).toBe('bad_epc');
        }
      }),
    );
  });
});
