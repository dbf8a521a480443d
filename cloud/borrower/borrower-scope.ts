import type { Prisma } from '../db/generated/client.ts';

/**
 * What a borrower may see beyond its facilities: the receipts pledged (now or before)
 * under a facility linked to its tenant, and the release orders of those receipts.
 */
export function borrowerReceiptWhere(borrowerTenantId: string): Prisma.ReceiptWhereInput {
  return { pledges: { some: { facility: { borrowerTenantId } } } };
}

export function borrowerReleaseOrderWhere(borrowerTenantId: string): Prisma.ReleaseOrderWhereInput {
  return { receipt: borrowerReceiptWhere(borrowerTenantId) };
}
