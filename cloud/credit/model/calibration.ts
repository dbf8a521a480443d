// Platt scaling: PD = σ(a + b·z) with z the score in PDO units from the base score,
// fitted by logistic regression on scores the model did not train on (out-of-fold or a
// holdout). The scorecard's own odds carry the training sample's bad rate and any
// overfit; the calibrated PD is what a lending decision uses.
import { fitLogistic, sigmoid } from './logistic-regression.ts';
import type { Scaling } from './points-scaling.ts';

export interface PlattCalibration {
  readonly a: number;
  readonly b: number;
}

const standardised = (scaling: Scaling, score: number): number => (score - scaling.baseScore) / scaling.pdo;

export function fitPlatt(scaling: Scaling, scores: ArrayLike<number>, bad: Uint8Array): PlattCalibration {
  const z = Float64Array.from({ length: scores.length }, (_, i) => standardised(scaling, scores[i] as number));
  const fit = fitLogistic([z], bad, { ridge: 0 });
  return { a: fit.intercept, b: fit.coefficients[0] as number };
}

export function calibratedPd(scaling: Scaling, calibration: PlattCalibration, score: number): number {
  return sigmoid(calibration.a + calibration.b * standardised(scaling, score));
}
