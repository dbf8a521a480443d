// Fits a scorecard (coarse classes, WoE, logistic regression, points) and scores
// observations with it. The fitted card is plain JSON: it is what is saved, versioned,
// audited and shown to the risk officer.
import { binColumn, binIndex, DEFAULT_BINNING, type Bin, type BinningOptions, type FeatureBinning, type Trend } from './binning.ts';
import { calibratedPd, type PlattCalibration } from './calibration.ts';
import type { Dataset, Observation } from './dataset.ts';
import { fitLogistic } from './logistic-regression.ts';
import { attributePoints, DEFAULT_SCALING, scoreToBadProbability, type Scaling } from './points-scaling.ts';
import { reasonCodes, type Contribution, type ReasonCode } from './reason-codes.ts';

export interface ScoredBin extends Bin {
  readonly points: number;
}

export interface ScorecardFeature {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly trend: Trend;
  readonly iv: number;
  readonly coefficient: number;
  readonly standardError: number;
  readonly bins: readonly ScoredBin[];
}

export interface ExcludedFeature {
  readonly feature: string;
  readonly iv: number;
  readonly reason: 'low_iv' | 'single_class' | 'wrong_sign';
}

export interface ScorecardModel {
  readonly target: string;
  readonly rows: number;
  readonly badRate: number;
  readonly intercept: number;
  readonly scaling: Scaling;
  readonly features: readonly ScorecardFeature[];
  readonly excluded: readonly ExcludedFeature[];
  readonly calibration: PlattCalibration | null;
}

export interface FitOptions {
  readonly binning?: BinningOptions;
  // Characteristics whose bad rate need not be monotone in the value (e.g. a U shape).
  readonly nonMonotone?: readonly string[];
  readonly scaling?: Scaling;
  // Information value below which a characteristic is not used (0.02: "not predictive").
  readonly minIv?: number;
  readonly maxFeatures?: number;
}

export const MIN_IV = 0.02;

export function fitScorecard(dataset: Dataset, targetName: string, options: FitOptions = {}): ScorecardModel {
  const scaling = options.scaling ?? DEFAULT_SCALING;
  const minIv = options.minIv ?? MIN_IV;
  const excluded: ExcludedFeature[] = [];
  const candidates: { binning: FeatureBinning; woe: Float64Array }[] = [];
  for (const column of dataset.columns) {
    const binningOptions = { ...(options.binning ?? DEFAULT_BINNING), ...(options.nonMonotone?.includes(column.name) ? { monotone: false } : {}) };
    const binning = binColumn(column, dataset.target, binningOptions);
    if (binning.bins.length < 2) {
      excluded.push({ feature: column.name, iv: binning.iv, reason: 'single_class' });
    } else if (binning.iv < minIv) {
      excluded.push({ feature: column.name, iv: binning.iv, reason: 'low_iv' });
    } else {
      const woe = Float64Array.from({ length: dataset.target.length }, (_, i) => {
        const b = binIndex(binning, column.values[i]);
        return b < 0 ? 0 : (binning.bins[b]?.woe ?? 0);
      });
      candidates.push({ binning, woe });
    }
  }
  candidates.sort((a, b) => b.binning.iv - a.binning.iv);
  const kept = candidates.slice(0, options.maxFeatures ?? 20);
  for (const dropped of candidates.slice(kept.length)) excluded.push({ feature: dropped.binning.feature, iv: dropped.binning.iv, reason: 'low_iv' });

  // With WoE = ln(good share / bad share) every slope on ln(odds bad) must be negative; a
  // positive one means the characteristic is standing in for another (collinearity) and
  // would give points backwards, so it is dropped and the model refitted.
  for (;;) {
    const fit = fitLogistic(
      kept.map((c) => c.woe),
      dataset.target,
    );
    const worst = fit.coefficients.reduce((w, beta, i) => (beta > 0 && (w < 0 || beta > (fit.coefficients[w] as number)) ? i : w), -1);
    if (worst >= 0) {
      const [gone] = kept.splice(worst, 1);
      if (gone !== undefined) excluded.push({ feature: gone.binning.feature, iv: gone.binning.iv, reason: 'wrong_sign' });
      continue;
    }
    const features: ScorecardFeature[] = kept.map((c, i) => {
      const coefficient = fit.coefficients[i] as number;
      return {
        feature: c.binning.feature,
        kind: c.binning.kind,
        trend: c.binning.trend,
        iv: c.binning.iv,
        coefficient,
        standardError: fit.standardErrors[i] as number,
        bins: c.binning.bins.map((bin) => ({ ...bin, points: attributePoints(scaling, fit.intercept, coefficient, bin.woe, kept.length) })),
      };
    });
    const bads = dataset.target.reduce((s, t) => s + t, 0);
    return {
      target: targetName,
      rows: dataset.target.length,
      badRate: dataset.target.length > 0 ? bads / dataset.target.length : 0,
      intercept: fit.intercept,
      scaling,
      features,
      excluded,
      calibration: null,
    };
  }
}

export interface ScoreResult {
  readonly score: number;
  // Calibrated when the card has a calibration, else the card's own odds.
  readonly pd: number;
  readonly contributions: readonly Contribution[];
  readonly reasons: readonly ReasonCode[];
}

// A value with no class (unseen category, missing where training had none) gets the
// points of WoE 0, the population average.
function neutralPoints(model: ScorecardModel, feature: ScorecardFeature): number {
  return attributePoints(model.scaling, model.intercept, feature.coefficient, 0, model.features.length);
}

export function scoreObservation(model: ScorecardModel, observation: Observation, reasons = 4): ScoreResult {
  const contributions = model.features.map((feature): Contribution => {
    const binning: FeatureBinning = { feature: feature.feature, kind: feature.kind, bins: feature.bins, iv: feature.iv, trend: feature.trend };
    const i = binIndex(binning, observation[feature.feature]);
    const bin = feature.bins[i];
    const bestPoints = Math.max(...feature.bins.map((b) => b.points));
    return bin === undefined
      ? { feature: feature.feature, bin: 'unseen', points: neutralPoints(model, feature), bestPoints }
      : { feature: feature.feature, bin: bin.label, points: bin.points, bestPoints };
  });
  const score = contributions.reduce((s, c) => s + c.points, 0);
  const pd = model.calibration === null ? scoreToBadProbability(model.scaling, score) : calibratedPd(model.scaling, model.calibration, score);
  return { score, pd, contributions, reasons: reasonCodes(contributions, reasons) };
}

export function scoreDataset(model: ScorecardModel, observations: readonly Observation[]): Float64Array {
  return Float64Array.from(observations, (o) => scoreObservation(model, o, 0).score);
}
