// A trained scorecard as saved and audited: the card, its calibration, the reference
// score distribution for monitoring and the validation figures, under a version that is
// a hash of the content (same data and options, same version; any change, a new one).
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { fitPlatt } from './calibration.ts';
import { crossValidate, type FoldResult } from './cross-validation.ts';
import { observationAt, type Dataset } from './dataset.ts';
import { fitScorecard, scoreDataset, type FitOptions, type ScorecardModel } from './scorecard.ts';
import { scoreReference, type ScoreReference } from './stability.ts';

export const SCORECARD_FORMAT = 'credit-scorecard/1';

export interface Validation {
  readonly auc: number;
  readonly ks: number;
  readonly gini: number;
  readonly folds: readonly FoldResult[];
  readonly rows: number;
}

export interface TrainedScorecard {
  readonly format: typeof SCORECARD_FORMAT;
  readonly version: string;
  readonly createdAt: string;
  readonly model: ScorecardModel;
  readonly reference: ScoreReference;
  readonly validation: Validation;
}

export interface TrainOptions extends FitOptions {
  readonly folds: number;
  readonly seed: number;
  readonly now: Date;
  readonly onFold?: (done: number, of: number) => void;
}

export function trainScorecard(dataset: Dataset, targetName: string, options: TrainOptions): TrainedScorecard {
  const cv = crossValidate(dataset, targetName, { ...options, k: options.folds });
  const fitted = fitScorecard(dataset, targetName, options);
  // Calibrated on scores from models that did not see the row: an honest holdout of the
  // full size of the data.
  const model: ScorecardModel = { ...fitted, calibration: fitPlatt(fitted.scaling, cv.outOfFoldScores, dataset.target) };
  const scores = scoreDataset(
    model,
    Array.from({ length: dataset.target.length }, (_, i) => observationAt(dataset, i)),
  );
  const validation: Validation = { auc: cv.auc, ks: cv.ks, gini: cv.gini, folds: cv.folds, rows: dataset.target.length };
  const body = { model, reference: scoreReference(scores), validation };
  const digest = createHash('sha256')
    .update(canonicalize(body) ?? '')
    .digest('hex');
  const day = options.now.toISOString().slice(0, 10).replaceAll('-', '');
  return { format: SCORECARD_FORMAT, version: `sc-${day}-${digest.slice(0, 12)}`, createdAt: options.now.toISOString(), ...body };
}
