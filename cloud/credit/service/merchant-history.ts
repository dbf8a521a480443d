// A merchant's history as the features need it, read from the database: its platform
// transactions of the trailing year, the margin calls on the facilities of its borrower
// tenant (a call not cured in time counts as a late repayment), and the alert cases our
// gateways opened on the lots pledged under those facilities (collateral incidents).
import type { CreditMerchant, PrismaClient } from '../../db/generated/client.ts';
import { addMonths, monthOf, monthStart } from '../../../protocol/credit/month.ts';
import type { TransactionKind } from '../../../protocol/credit/merchant-data.ts';
import type { MerchantHistory } from '../features/merchant-features.ts';
import { monthlyActivity } from '../features/monthly-activity.ts';

export async function loadMerchantHistory(prisma: PrismaClient, merchant: CreditMerchant, month: string): Promise<MerchantHistory> {
  const from = monthStart(addMonths(month, -11));
  const to = monthStart(addMonths(month, 1));
  const transactions = await prisma.creditTransaction.findMany({
    where: { bankTenantId: merchant.bankTenantId, merchantId: merchant.merchantId, at: { gte: from, lt: to } },
    select: { kind: true, at: true, amount: true, customerId: true },
  });
  const activity = monthlyActivity(
    transactions.map((t) => ({
      kind: t.kind as TransactionKind,
      at: t.at.toISOString(),
      amount: t.amount.toString(),
      ...(t.customerId === null ? {} : { customerId: t.customerId }),
    })),
  );
  const base = { openedAt: merchant.openedAt.toISOString(), activity };
  if (merchant.borrowerTenantId === null) return { ...base, incidents: [] };
  const facilities = await prisma.facility.findMany({
    where: { bankTenantId: merchant.bankTenantId, borrowerTenantId: merchant.borrowerTenantId },
    select: { id: true },
  });
  if (facilities.length === 0) return { ...base, incidents: [] };
  const ids = facilities.map((f) => f.id);
  const calls = await prisma.marginCall.findMany({ where: { facilityId: { in: ids }, openedAt: { gte: from, lt: to } }, select: { openedAt: true, status: true } });
  const incidents = await prisma.$queryRaw<{ opened_at: Date }[]>`
    SELECT DISTINCT ac.id, ac.opened_at FROM alert_case ac
    JOIN receipt r ON r.site_id = ac.site_id AND r.lot_id = ac.lot_id
    JOIN pledge p ON p.receipt_id = r.id
    WHERE p.facility_id = ANY(${ids}::uuid[]) AND ac.opened_at >= ${from} AND ac.opened_at < ${to}
      AND ac.opened_at >= p.pledged_at AND (p.ended_at IS NULL OR ac.opened_at <= p.ended_at)`;
  return {
    ...base,
    repayments: calls.map((c) => ({ month: monthOf(c.openedAt), daysLate: c.status === 'expired' || c.status === 'liquidated' ? 1 : 0 })),
    incidents: incidents.map((i) => ({ at: i.opened_at.toISOString() })),
  };
}
