import { describe, expect, it } from 'vitest';
import { RECEIPT_STATUSES, transition, type ReceiptAction } from '../../../cloud/receipts/receipt-state.ts';

describe('receipt state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed: Record<ReceiptAction, Record<string, string>> = {
      pledge: { issued: 'pledged' },
      reduce: { pledged: 'pledged' },
      release: { pledged: 'released', called: 'released' },
      call: { pledged: 'called' },
      liquidate: { called: 'liquidated' },
      cancel: { issued: 'cancelled' },
    };
    for (const [action, targets] of Object.entries(allowed) as [ReceiptAction, Record<string, string>][]) {
      for (const status of RECEIPT_STATUSES) {
        const result = transition(status, action);
        if (status in targets) expect(result, `${action} from ${status}`).toEqual({ ok: true, to: targets[status] });
        else expect(result.ok, `${action} from ${status}`).toBe(false);
      }
    }
  });

  it('says why a transition is refused', () => {
    expect(transition('liquidated', 'pledge')).toEqual({ ok: false, message: 'cannot pledge a receipt that is liquidated (only from issued)' });
  });
});
