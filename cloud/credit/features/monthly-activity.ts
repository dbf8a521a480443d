// A merchant's transactions folded into one summary per calendar month: the only view of
// the raw feed the features need, small enough to keep per merchant.
import type { MerchantTransaction } from '../../../protocol/credit/merchant-data.ts';
import { monthOf } from '../../../protocol/credit/month.ts';

export interface MonthActivity {
  orders: number;
  // Paid sales (payments), the amount the merchant really took.
  sales: number;
  payments: number;
  refunds: number;
  refundAmount: number;
  disputes: number;
  shipments: number;
  customerSales: Map<string, number>;
}

const empty = (): MonthActivity => ({ orders: 0, sales: 0, payments: 0, refunds: 0, refundAmount: 0, disputes: 0, shipments: 0, customerSales: new Map() });

export function monthlyActivity(transactions: Iterable<Pick<MerchantTransaction, 'kind' | 'at' | 'amount' | 'customerId'>>): Map<string, MonthActivity> {
  const months = new Map<string, MonthActivity>();
  for (const t of transactions) {
    const month = monthOf(t.at);
    const m = months.get(month) ?? months.set(month, empty()).get(month) ?? empty();
    const amount = Number(t.amount);
    switch (t.kind) {
      case 'order':
        m.orders += 1;
        break;
      case 'payment':
        m.payments += 1;
        m.sales += amount;
        if (t.customerId !== undefined) m.customerSales.set(t.customerId, (m.customerSales.get(t.customerId) ?? 0) + amount);
        break;
      case 'refund':
        m.refunds += 1;
        m.refundAmount += amount;
        break;
      case 'dispute':
        m.disputes += 1;
        break;
      case 'shipment':
        m.shipments += 1;
        break;
    }
  }
  return months;
}
