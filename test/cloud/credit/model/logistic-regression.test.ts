import { describe, expect, it } from 'vitest';
import { fitPlatt, calibratedPd } from '../../../../cloud/credit/model/calibration.ts';
import { fitLogistic } from '../../../../cloud/credit/model/logistic-regression.ts';

// With one binary regressor the maximum-likelihood fit reproduces the two groups' rates:
// intercept = logit(rate at x = 0), slope = logit(rate at x = 1) − logit(rate at x = 0).
function groups(rows: readonly { x: number; n: number; bads: number }[]): { x: Float64Array; y: Uint8Array } {
  const x: number[] = [];
  const y: number[] = [];
  for (const g of rows) {
    for (let i = 0; i < g.n; i += 1) {
      x.push(g.x);
      y.push(i < g.bads ? 1 : 0);
    }
  }
  return { x: Float64Array.from(x), y: Uint8Array.from(y) };
}

describe('logistic regression (Newton / IRLS)', () => {
  it('recovers the group log-odds worked by hand', () => {
    // x = 0: 4 bads in 20 → logit 0.2 = ln(0.25) = −1.386294
    // x = 1: 10 bads in 20 → logit 0.5 = 0          → slope 1.386294
    const { x, y } = groups([
      { x: 0, n: 20, bads: 4 },
      { x: 1, n: 20, bads: 10 },
    ]);
    const fit = fitLogistic([x], y, { ridge: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-1.386294, 6);
    expect(fit.coefficients[0]).toBeCloseTo(1.386294, 6);
    // Standard error of a log odds ratio: √(1/4 + 1/16 + 1/10 + 1/10) = √0.5125 = 0.715891
    expect(fit.standardErrors[0]).toBeCloseTo(0.715891, 5);
  });
});

describe('Platt calibration', () => {
  it('maps two score levels onto their observed bad rates', () => {
    // 600 points (z = 0): 2 bads in 10 → a = logit 0.2 = −1.386294
    // 620 points (z = 1): 1 bad in 10  → b = logit 0.1 − logit 0.2 = −2.197225 + 1.386294 = −0.810930
    const scaling = { pdo: 20, baseScore: 600, baseOdds: 50 };
    const scores = [...new Array<number>(10).fill(600), ...new Array<number>(10).fill(620)];
    const bad = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const platt = fitPlatt(scaling, scores, bad);
    expect(platt.a).toBeCloseTo(-1.386294, 6);
    expect(platt.b).toBeCloseTo(-0.81093, 5);
    expect(calibratedPd(scaling, platt, 600)).toBeCloseTo(0.2, 9);
    expect(calibratedPd(scaling, platt, 620)).toBeCloseTo(0.1, 9);
  });
});
