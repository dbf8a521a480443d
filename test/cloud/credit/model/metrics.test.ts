import { describe, expect, it } from 'vitest';
import { auc, gini, ks, psi } from '../../../../cloud/credit/model/metrics.ts';

describe('discrimination', () => {
  it('computes AUC, Gini and KS on four rows worked by hand', () => {
    // Bads at risk 0.35 and 0.8, goods at 0.1 and 0.4. Pairs (bad above good): 0.35>0.1 yes,
    // 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes → AUC = 3/4, Gini = 0.5.
    // KS, descending: 0.8 (bad) → |1/2 − 0| = 0.5; 0.4 (good) → 0; 0.35 (bad) → |1 − 1/2| = 0.5.
    const risk = [0.1, 0.4, 0.35, 0.8];
    const bad = [0, 0, 1, 1];
    expect(auc(risk, bad)).toBe(0.75);
    expect(gini(auc(risk, bad))).toBe(0.5);
    expect(ks(risk, bad)).toBe(0.5);
  });

  it('counts ties half and never cuts inside a tie', () => {
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(ks([0.5, 0.5], [1, 0])).toBe(0);
  });
});

describe('population stability index', () => {
  it('matches the sum worked by hand', () => {
    // shares 0.5/0.3/0.2 then 0.3/0.3/0.4:
    //   (0.3 − 0.5)·ln(0.3/0.5) + 0 + (0.4 − 0.2)·ln(2) = 0.102165 + 0.138629 = 0.240795
    expect(psi([50, 30, 20], [30, 30, 40])).toBeCloseTo(0.240795, 6);
    expect(psi([50, 30, 20], [5, 3, 2])).toBeCloseTo(0, 12);
  });
});
