// Points scaling as banks publish scorecards (Siddiqi, ch. 10): the score is linear in
// the log of the good:bad odds, with `pdo` points to double the odds and `baseScore`
// points at `baseOdds`:
//   factor = pdo / ln 2,   offset = baseScore − factor · ln(baseOdds)
//   score  = offset + factor · ln(odds good:bad)
// The model gives ln(odds bad) = α + Σ βᵢ·WoEᵢ, so with k characteristics each
// attribute is worth
//   pointsᵢⱼ = −(βᵢ·WoEᵢⱼ + α/k)·factor + offset/k
// and the points of an applicant's attributes add up to the score.
export interface Scaling {
  readonly pdo: number;
  readonly baseScore: number;
  // Good:bad odds at the base score.
  readonly baseOdds: number;
}

export const DEFAULT_SCALING: Scaling = { pdo: 20, baseScore: 600, baseOdds: 50 };

export function scalingConstants(scaling: Scaling): { factor: number; offset: number } {
  const factor = scaling.pdo / Math.LN2;
  return { factor, offset: scaling.baseScore - factor * Math.log(scaling.baseOdds) };
}

export function attributePoints(scaling: Scaling, intercept: number, coefficient: number, woe: number, characteristics: number): number {
  const { factor, offset } = scalingConstants(scaling);
  return -(coefficient * woe + intercept / characteristics) * factor + offset / characteristics;
}

// The score's own odds: ln(odds good:bad) = (score − offset) / factor.
export function scoreToBadProbability(scaling: Scaling, score: number): number {
  const { factor, offset } = scalingConstants(scaling);
  return 1 / (1 + Math.exp((score - offset) / factor));
}
