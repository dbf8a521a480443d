import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../ids.ts';
import { ISO_DATE_TIME_PATTERN } from '../timestamps.ts';

// What a trading platform (an e-commerce marketplace or a commodity exchange) sends the
// bank about its merchants, in batches through POST /api/v1/credit/transactions and
// /api/v1/credit/merchants, or as CSV. Money is a decimal string, never a float.
const Id = Type.String({ pattern: ID_PATTERN });
const Money = Type.String({ pattern: '^-?\\d{1,15}(\\.\\d{1,4})?$' });
const Instant = Type.String({ pattern: ISO_DATE_TIME_PATTERN, maxLength: 40 });

export const TRANSACTION_KINDS = ['order', 'payment', 'refund', 'dispute', 'shipment'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

export const MerchantTransaction = Type.Object(
  {
    // The platform's own id; a transaction sent twice is stored once.
    id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:/-]+$' }),
    merchantId: Id,
    kind: Type.Union([Type.Literal('order'), Type.Literal('payment'), Type.Literal('refund'), Type.Literal('dispute'), Type.Literal('shipment')]),
    at: Instant,
    amount: Money,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    // The order a payment, refund, dispute or shipment belongs to.
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    // The platform's pseudonymous buyer id (for customer concentration).
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type MerchantTransaction = Static<typeof MerchantTransaction>;

export const MerchantRecord = Type.Object(
  {
    merchantId: Id,
    platform: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    sector: Type.String({ minLength: 1, maxLength: 64 }),
    // When the merchant opened its account on the platform (account age).
    openedAt: Instant,
  },
  { additionalProperties: false },
);
export type MerchantRecord = Static<typeof MerchantRecord>;
