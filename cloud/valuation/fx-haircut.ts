import { Dec, toPlain } from './decimal.ts';
import { DEFAULT_HAIRCUT_CAP } from './haircut.ts';

/**
 * Collateral valued in a currency other than the facility's carries the currency risk on
 * top of the market risk. Basel III's standard supervisory haircut for a currency
 * mismatch (CRE22.54: 8 % for a 10-business-day holding period, marked to market daily)
 * is added to the commodity's own haircut, as the comprehensive approach adds H_fx to H_c.
 */
export const FX_MISMATCH_HAIRCUT = '0.08';

/** Capped as the commodity haircut is (haircut.ts). */
const MAX_HAIRCUT = new Dec(DEFAULT_HAIRCUT_CAP);

export function withFxHaircut(commodityHaircut: string): string {
  const combined = new Dec(commodityHaircut).plus(FX_MISMATCH_HAIRCUT);
  return toPlain(combined.greaterThan(MAX_HAIRCUT) ? MAX_HAIRCUT : combined);
}
