// The life of an electronic warehouse receipt:
//
//   issued ──pledge──▶ pledged ──release──▶ released
//     │                 │  ▲ reduce (partial release: the remainder stays pledged)
//     │                 └──┘
//     │                 pledged ──call (expiry, default, margin call)──▶ called ──liquidate──▶ liquidated
//     │                                                                  └──release──▶ released
//     └──cancel──▶ cancelled
//
// issued, pledged and called are the active states: the goods are in the warehouse and
// the receipt stands for them, so no other receipt may cover the same lot or items.
export const RECEIPT_STATUSES = ['issued', 'pledged', 'released', 'called', 'liquidated', 'cancelled'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export const ACTIVE_RECEIPT_STATUSES: readonly ReceiptStatus[] = ['issued', 'pledged', 'called'];

export type ReceiptAction = 'pledge' | 'reduce' | 'release' | 'call' | 'liquidate' | 'cancel';

const TRANSITIONS: Readonly<Record<ReceiptAction, { readonly from: readonly ReceiptStatus[]; readonly to: ReceiptStatus | 'same' }>> = {
  pledge: { from: ['issued'], to: 'pledged' },
  reduce: { from: ['pledged'], to: 'same' },
  release: { from: ['pledged', 'called'], to: 'released' },
  call: { from: ['pledged'], to: 'called' },
  liquidate: { from: ['called'], to: 'liquidated' },
  cancel: { from: ['issued'], to: 'cancelled' },
};

export type TransitionResult =
  | { readonly ok: true; readonly to: ReceiptStatus }
  | { readonly ok: false; readonly message: string };

export function transition(status: string, action: ReceiptAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!(rule.from as readonly string[]).includes(status)) {
    return { ok: false, message: `cannot ${action} a receipt that is ${status} (only from ${rule.from.join(' or ')})` };
  }
  return { ok: true, to: rule.to === 'same' ? (status as ReceiptStatus) : rule.to };
}
