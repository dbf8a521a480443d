import { describe, expect, it } from 'vitest';
import { reasonCodes } from '../../../../cloud/credit/model/reason-codes.ts';

describe('reason codes', () => {
  it('ranks the characteristics by points lost against their best attribute', () => {
    // refund rate: 41 of best 70 → 29 lost; account age: 52 of 60 → 8 lost;
    // sales trend: 30 of 55 → 25 lost; disputes: already the best attribute → no reason.
    const reasons = reasonCodes(
      [
        { feature: 'account_age', bin: '≤ 6', points: 52, bestPoints: 60 },
        { feature: 'refund_rate', bin: '> 0.08', points: 41, bestPoints: 70 },
        { feature: 'dispute_rate', bin: '≤ 0.001', points: 66, bestPoints: 66 },
        { feature: 'sales_trend', bin: '≤ -0.2', points: 30, bestPoints: 55 },
      ],
      3,
    );
    expect(reasons).toEqual([
      { feature: 'refund_rate', bin: '> 0.08', pointsLost: 29 },
      { feature: 'sales_trend', bin: '≤ -0.2', pointsLost: 25 },
      { feature: 'account_age', bin: '≤ 6', pointsLost: 8 },
    ]);
  });

  it('gives none to an applicant with the best attribute everywhere', () => {
    expect(reasonCodes([{ feature: 'a', bin: 'x', points: 10, bestPoints: 10 }])).toEqual([]);
  });
});
