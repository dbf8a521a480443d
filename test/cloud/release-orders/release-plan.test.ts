import { describe, expect, it } from 'vitest';
import { planRelease, type ReceiptStock } from '../../../cloud/release-orders/release-plan.ts';

const stock: ReceiptStock = { quantity: '100', unit: 't', verifiedQuantity: '90', activeEpcs: ['A1', 'A2', 'A3', 'A4'] };

describe('release plan', () => {
  it('releases items with their share of the quantity, and shrinks what remains verified', () => {
    expect(planRelease(stock, { epcs: ['A1'] })).toEqual({ ok: true, kind: 'partial', epcs: ['A1'], quantity: '25', remaining: { quantity: '75', verifiedQuantity: '65' } });
  });

  it('releases a quantity in another unit of the same dimension', () => {
    expect(planRelease(stock, { quantity: { value: '20000', unit: 'kg' } })).toMatchObject({ ok: true, kind: 'partial', epcs: [], quantity: '20', remaining: { quantity: '80', verifiedQuantity: '70' } });
  });

  it('never leaves more verified than remains, nor less than zero', () => {
    expect(planRelease({ ...stock, verifiedQuantity: '100' }, { quantity: { value: '10', unit: 't' } })).toMatchObject({ remaining: { quantity: '90', verifiedQuantity: '90' } });
    expect(planRelease({ ...stock, verifiedQuantity: '5' }, { quantity: { value: '10', unit: 't' } })).toMatchObject({ remaining: { verifiedQuantity: '0' } });
  });

  it('treats all items, all of the quantity, or all: true as a full release', () => {
    for (const request of [{ all: true }, { epcs: ['A1', 'A2', 'A3', 'A4'] }, { quantity: { value: '100', unit: 't' } }]) {
      expect(planRelease(stock, request)).toMatchObject({ ok: true, kind: 'full', quantity: '100', epcs: ['A1', 'A2', 'A3', 'A4'] });
    }
  });

  it('refuses what cannot be released', () => {
    expect(planRelease(stock, {})).toMatchObject({ ok: false, code: 'bad_request' });
    expect(planRelease(stock, { epcs: ['ZZ'] })).toMatchObject({ ok: false, code: 'conflict' });
    expect(planRelease(stock, { quantity: { value: '101', unit: 't' } })).toMatchObject({ ok: false, code: 'conflict' });
    expect(planRelease(stock, { quantity: { value: '1', unit: 'l' } })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(planRelease(stock, { quantity: { value: '0', unit: 't' } })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(planRelease(stock, { epcs: ['A1', 'A2', 'A3', 'A4'], quantity: { value: '50', unit: 't' } })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(planRelease(stock, { epcs: ['A1'], quantity: { value: '100', unit: 't' } })).toMatchObject({ ok: false, code: 'bad_request' });
  });
});
