import { tagOf } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { verifiedQuantityOf } from '../../../cloud/risk/verification.ts';
import { foreignEpcs } from '../../../cloud/risk/foreign-epcs.ts';
import { numberWhereStringExpected } from '../../../cloud/valuation/strict-decimal-strings.ts';
import { Money, Quantity } from '../../../cloud/valuation/wire-schemas.ts';
import { Type } from 'typebox';

const receipt = { quantity: '100', unit: 't' };

describe('verified quantity from lot.verified evidence', () => {
  it('prefers the stated quantity, converted to the receipt unit', () => {
    expect(verifiedQuantityOf(receipt, { expected: 10, present: 5, missing: 0, verifiedQuantity: { value: '95000', unit: 'kg' } })).toBe('95');
  });

  it('otherwise counts present items as equal shares of the receipt', () => {
    expect(verifiedQuantityOf(receipt, { expected: 8, present: 6, missing: 0 })).toBe('75');
    expect(verifiedQuantityOf(receipt, { expected: 3, present: 1, missing: 0 })).toBe('33.33333333333333333333333333333333');
  });

  it('never vouches for more than the receipt, and ignores evidence it cannot read', () => {
    expect(verifiedQuantityOf(receipt, { expected: 10, present: 12, missing: 0 })).toBe('100');
    expect(verifiedQuantityOf(receipt, { expected: 0, present: 0, missing: 0 })).toBeUndefined();
    expect(verifiedQuantityOf(receipt, { expected: 10, present: 5, missing: 0, verifiedQuantity: { value: '5', unit: 'l' } })).toBe('50');
  });
});

describe('foreign EPCs', () => {
  it('reads hex EPCs from the evidence tags, uppercased and once each', () => {
    expect(foreignEpcs({ tags: [tagOf('e2801190a5021f80055817ca'), tagOf('E2801190A5021F80055817CA')], count: 2 })).toEqual(['E2801190A5021F80055817CA']);
    expect(foreignEpcs({ tags: [], count: 3 })).toEqual([]);
  });
});

describe('decimal strings are never JSON numbers', () => {
  const Body = Type.Object({ price: Money, lines: Type.Array(Type.Object({ quantity: Quantity })), note: Type.Optional(Type.String()), days: Type.Integer() });

  it('names the first number sent where the schema wants a string', () => {
    expect(numberWhereStringExpected(Body, { price: { amount: 0.1, currency: 'USD' } })).toBe('body/price/amount');
    expect(numberWhereStringExpected(Body, { lines: [{ quantity: { value: '1', unit: 't' } }, { quantity: { value: 2, unit: 't' } }] })).toBe('body/lines/1/quantity/value');
    expect(numberWhereStringExpected(Body, { price: { amount: '0.1', currency: 'USD' }, days: 3 })).toBeUndefined();
    expect(numberWhereStringExpected(undefined, { anything: 1 })).toBeUndefined();
  });
});
