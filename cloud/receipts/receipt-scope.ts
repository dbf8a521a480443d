import type { Principal } from '../auth/principal.ts';
import type { Prisma, Receipt } from '../db/generated/client.ts';
import { borrowerReceiptWhere } from '../borrower/borrower-scope.ts';

/**
 * Who sees a receipt: the warehouse operator that issued it and the bank it is (or was)
 * pledged to, and the borrower whose facility it is (or was) pledged under; administrators see all. Anyone else gets 404, as for a receipt that does
 * not exist.
 */
export function receiptScope(principal: Principal): Prisma.ReceiptWhereInput {
  if (principal.role === 'admin') return {};
  if (principal.role === 'warehouse_operator') return { issuerTenantId: principal.tenantId };
  if (principal.role === 'borrower') return borrowerReceiptWhere(principal.tenantId);
  return { holderTenantId: principal.tenantId };
}

export function canSeeReceipt(principal: Principal, receipt: Receipt): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'warehouse_operator') return receipt.issuerTenantId === principal.tenantId;
  return receipt.holderTenantId === principal.tenantId;
}

/** The issuing operator acts on its receipts; the holding bank on those pledged to it. */
export function isIssuer(principal: Principal, receipt: Receipt): boolean {
  return principal.role === 'warehouse_operator' && receipt.issuerTenantId === principal.tenantId;
}

export function isHolder(principal: Principal, receipt: Receipt): boolean {
  return (principal.role === 'lender' || principal.role === 'risk_officer') && receipt.holderTenantId === principal.tenantId;
}

/**
 * The bank's lending figures are not the warehouse's business: an operator under
 * investigation must not learn how the bank values the goods. Operators get receipts
 * without their valuation.
 */
export function forViewer<T extends { valuation: unknown }>(principal: Principal, view: T): T {
  return principal.role === 'warehouse_operator' ? { ...view, valuation: null } : view;
}
