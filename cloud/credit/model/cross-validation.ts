// Stratified k-fold cross-validation of the whole scorecard fit (binning included, so
// the classes never see the fold they are judged on). Fold membership comes from a
// seeded hash of the row number: the same seed gives the same folds on any machine.
import { subset, type Dataset, observationAt } from './dataset.ts';
import { auc, gini, ks } from './metrics.ts';
import { fitScorecard, scoreDataset, type FitOptions } from './scorecard.ts';

export interface FoldResult {
  readonly fold: number;
  readonly rows: number;
  readonly auc: number;
  readonly ks: number;
  readonly gini: number;
}

export interface CrossValidation {
  readonly folds: readonly FoldResult[];
  // Each row's score from the model that did not see it.
  readonly outOfFoldScores: Float64Array;
  readonly auc: number;
  readonly ks: number;
  readonly gini: number;
}

function mix32(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

export function stratifiedFolds(target: Uint8Array, k: number, seed: number): Uint8Array {
  const folds = new Uint8Array(target.length);
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    target.forEach((t, i) => {
      if (t === cls) rows.push(i);
    });
    rows.sort((a, b) => mix32(seed, a) - mix32(seed, b) || a - b);
    rows.forEach((row, position) => {
      folds[row] = position % k;
    });
  }
  return folds;
}

export function crossValidate(
  dataset: Dataset,
  targetName: string,
  options: FitOptions & { readonly k: number; readonly seed: number; readonly onFold?: (done: number, of: number) => void },
): CrossValidation {
  const folds = stratifiedFolds(dataset.target, options.k, options.seed);
  const outOfFoldScores = new Float64Array(dataset.target.length);
  const results: FoldResult[] = [];
  for (let fold = 0; fold < options.k; fold += 1) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    folds.forEach((f, i) => (f === fold ? testRows : trainRows).push(i));
    const model = fitScorecard(subset(dataset, trainRows), targetName, options);
    const scores = scoreDataset(
      model,
      testRows.map((r) => observationAt(dataset, r)),
    );
    testRows.forEach((r, i) => {
      outOfFoldScores[r] = scores[i] as number;
    });
    const risk = scores.map((s) => -s);
    const bad = Uint8Array.from(testRows, (r) => dataset.target[r] ?? 0);
    const a = auc(risk, bad);
    results.push({ fold, rows: testRows.length, auc: a, ks: ks(risk, bad), gini: gini(a) });
    options.onFold?.(fold + 1, options.k);
  }
  const risk = outOfFoldScores.map((s) => -s);
  const pooled = auc(risk, dataset.target);
  return { folds: results, outOfFoldScores, auc: pooled, ks: ks(risk, dataset.target), gini: gini(pooled) };
}
