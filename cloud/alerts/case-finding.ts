import { Dec, isDecimalString, toPlain } from '../valuation/decimal.ts';

/** What the branch found; a case cannot be resolved without one. */
export const FINDING_KINDS = ['false_alarm', 'confirmed_loss', 'goods_restored', 'device_fault'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Quantity {
  value: string;
  unit: string;
}

export type Finding =
  | { kind: 'false_alarm' | 'goods_restored' | 'device_fault' }
  | { kind: 'confirmed_loss'; quantity: Quantity };

export type FindingCheck = { ok: true; finding: Finding } | { ok: false; reason: string };

/**
 * A confirmed loss must say how much was lost (a positive decimal with a unit), since
 * it is what the bank writes the collateral down by; the other findings carry no
 * quantity, so a stray one is refused rather than silently dropped.
 */
export function checkFinding(input: { kind: FindingKind; quantity?: { value: string; unit: string } | undefined }): FindingCheck {
  if (input.kind !== 'confirmed_loss') {
    if (input.quantity !== undefined) return { ok: false, reason: `a ${input.kind} finding carries no quantity` };
    return { ok: true, finding: { kind: input.kind } };
  }
  const quantity = input.quantity;
  if (quantity === undefined) return { ok: false, reason: 'a confirmed_loss finding needs the quantity lost' };
  if (!isDecimalString(quantity.value.trim())) return { ok: false, reason: 'quantity.value must be a decimal string' };
  const value = new Dec(quantity.value.trim());
  if (!value.greaterThan(0)) return { ok: false, reason: 'quantity.value must be greater than zero' };
  const unit = quantity.unit.trim();
  if (unit.length === 0) return { ok: false, reason: 'quantity.unit is required' };
  return { ok: true, finding: { kind: 'confirmed_loss', quantity: { value: toPlain(value), unit } } };
}
