import { Dec, maxDec, minDec, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { conversionFactor } from '../valuation/units.ts';

export interface ReleaseRequest {
  readonly all?: boolean | undefined;
  // Uppercase hex, already normalised.
  readonly epcs?: readonly string[] | undefined;
  readonly quantity?: { readonly value: string; readonly unit: string } | undefined;
}

export interface ReceiptStock {
  readonly quantity: string;
  readonly unit: string;
  readonly verifiedQuantity: string;
  readonly activeEpcs: readonly string[];
}

export type ReleasePlan =
  | {
      readonly ok: true;
      readonly kind: 'full' | 'partial';
      readonly epcs: readonly string[];
      // In the receipt's unit.
      readonly quantity: string;
      readonly remaining: { readonly quantity: string; readonly verifiedQuantity: string };
    }
  | { readonly ok: false; readonly code: 'bad_request' | 'conflict'; readonly message: string };

const fail = (code: 'bad_request' | 'conflict', message: string): ReleasePlan => ({ ok: false, code, message });

// What leaves the lot, by items, by quantity or both:
// - items without a quantity release the items' share of the receipt's quantity
//   (quantity × items / items still on the receipt), as tagged goods are uniform units;
// - a quantity alone releases that much from untagged (bulk) goods;
// - releasing all items, or the whole quantity, is a full release.
// What remains verified shrinks by the released quantity (goods that physically leave
// are no longer seen), never below zero nor above what remains on the receipt.
export function planRelease(stock: ReceiptStock, request: ReleaseRequest): ReleasePlan {
  const total = new Dec(stock.quantity);
  const active = new Set(stock.activeEpcs);
  const epcs = request.epcs ?? [];
  if (request.all !== true && epcs.length === 0 && request.quantity === undefined) {
    return fail('bad_request', 'say what to release: all, epcs, or a quantity');
  }
  const unknown = epcs.filter((e) => !active.has(e));
  if (unknown.length > 0) return fail('conflict', `not items of this receipt, or already released: ${unknown.slice(0, 20).join(', ')}`);

  let quantity: Dec | undefined;
  if (request.quantity !== undefined) {
    const value = parseDecimal(request.quantity.value);
    if (value === undefined || !value.greaterThan(0)) return fail('bad_request', 'quantity must be positive');
    const conversion = conversionFactor(request.quantity.unit, stock.unit);
    if (!conversion.ok) return fail('bad_request', `cannot express ${request.quantity.unit} in the receipt's unit ${stock.unit}`);
    quantity = value.times(conversion.factor);
    if (quantity.greaterThan(total)) return fail('conflict', `${toPlain(quantity)} ${stock.unit} requested, the receipt holds ${toPlain(total)}`);
  }

  const allItems = active.size > 0 && epcs.length === active.size;
  const full = request.all === true || (allItems && (quantity === undefined || quantity.equals(total))) || (epcs.length === 0 && quantity?.equals(total) === true);
  if (!full && epcs.length > 0 && allItems) return fail('bad_request', 'all items are listed but the quantity is less than the whole: release all of it or fewer items');
  if (!full && quantity?.equals(total) === true) return fail('bad_request', 'the whole quantity is requested with only some of the items: release all of it or less');
  if (full) {
    return { ok: true, kind: 'full', epcs: [...active], quantity: toPlain(total), remaining: { quantity: '0', verifiedQuantity: '0' } };
  }
  const released = quantity ?? total.times(epcs.length).dividedBy(active.size);
  const remaining = total.minus(released);
  const verified = minDec(remaining, maxDec(new Dec(0), new Dec(stock.verifiedQuantity).minus(released)));
  return { ok: true, kind: 'partial', epcs, quantity: toPlain(released), remaining: { quantity: toPlain(remaining), verifiedQuantity: toPlain(verified) } };
}
