// Population stability of a scorecard's score and of each characteristic: the training
// population is the reference (score deciles; the characteristic's own classes), and a
// later population is compared with it by PSI.
import { binIndex } from './binning.ts';
import type { Observation } from './dataset.ts';
import { psi, PSI_SHIFT } from './metrics.ts';
import type { ScorecardFeature, ScorecardModel } from './scorecard.ts';

export interface ScoreReference {
  // Upper bounds of every class but the last (which is open above).
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export function scoreReference(scores: ArrayLike<number>, classes = 10): ScoreReference {
  const sorted = Float64Array.from(scores).sort();
  const edges: number[] = [];
  for (let q = 1; q < classes; q += 1) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / classes))];
    if (edge !== undefined && (edges.length === 0 || edge > (edges[edges.length - 1] as number))) edges.push(edge);
  }
  return { edges, counts: classCounts(edges, scores) };
}

function classCounts(edges: readonly number[], scores: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < scores.length; i += 1) {
    const s = scores[i] as number;
    let c = edges.findIndex((e) => s < e);
    if (c < 0) c = edges.length;
    counts[c] = (counts[c] as number) + 1;
  }
  return counts;
}

export function scorePsi(reference: ScoreReference, scores: ArrayLike<number>): number {
  return psi(reference.counts, classCounts(reference.edges, scores));
}

export function featurePsi(feature: ScorecardFeature, observations: readonly Observation[]): number {
  const binning = { feature: feature.feature, kind: feature.kind, bins: feature.bins, iv: feature.iv, trend: feature.trend };
  // One more class for values training never saw, with no reference mass.
  const actual = new Array<number>(feature.bins.length + 1).fill(0);
  for (const o of observations) {
    const i = binIndex(binning, o[feature.feature]);
    const c = i < 0 ? feature.bins.length : i;
    actual[c] = (actual[c] as number) + 1;
  }
  return psi([...feature.bins.map((b) => b.goods + b.bads), 0], actual);
}

export interface StabilityReport {
  readonly score: number;
  readonly inputs: readonly { readonly feature: string; readonly psi: number }[];
  readonly shifted: boolean;
}

export function stabilityReport(model: ScorecardModel, reference: ScoreReference, observations: readonly Observation[], scores: ArrayLike<number>): StabilityReport {
  const score = scorePsi(reference, scores);
  const inputs = model.features.map((f) => ({ feature: f.feature, psi: featurePsi(f, observations) }));
  return { score, inputs, shifted: score > PSI_SHIFT || inputs.some((i) => i.psi > PSI_SHIFT) };
}
