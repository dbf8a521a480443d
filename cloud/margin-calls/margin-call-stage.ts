/**
 * The margin call as the lender and the borrower follow it (issue 22): issued when the
 * LTV reaches the margin-call level, acknowledged once the borrower (or the lender for
 * it) has confirmed receipt, cured by repayment or added collateral (or the market)
 * before the due time, or expired, which freezes drawings and opens a liquidation case,
 * then liquidated when the lender sells.
 */
export type MarginCallStage = 'issued' | 'acknowledged' | 'cured' | 'expired' | 'liquidated';

export function stageOf(status: string, acknowledgedBy: readonly string[]): MarginCallStage {
  if (status === 'cured' || status === 'expired' || status === 'liquidated') return status;
  return acknowledgedBy.includes('borrower') ? 'acknowledged' : 'issued';
}

/** Who acknowledges for whom: the borrower's users for the borrower, bank staff for the lender. */
export function partyOf(role: string): 'borrower' | 'lender' | undefined {
  if (role === 'borrower') return 'borrower';
  return role === 'lender' || role === 'risk_officer' ? 'lender' : undefined;
}
