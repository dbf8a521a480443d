// Discrimination and stability measures used to validate and monitor scorecards.
// risk: higher means more likely bad (a PD, or minus the score). bad: 1 = bad.

// Area under the ROC curve as the Mann–Whitney statistic, ties counted half.
export function auc(risk: ArrayLike<number>, bad: ArrayLike<number>): number {
  const order = Array.from({ length: risk.length }, (_, i) => i).sort((a, b) => (risk[a] as number) - (risk[b] as number));
  let bads = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && risk[order[j + 1] as number] === risk[order[i] as number]) j += 1;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (bad[order[k] as number] === 1) {
        bads += 1;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const goods = order.length - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  return (rankSum - (bads * (bads + 1)) / 2) / (bads * goods);
}

export const gini = (areaUnderCurve: number): number => 2 * areaUnderCurve - 1;

// Kolmogorov–Smirnov: the largest gap between the cumulative shares of bads and goods
// over all cut-offs (cut only between distinct values).
export function ks(risk: ArrayLike<number>, bad: ArrayLike<number>): number {
  const order = Array.from({ length: risk.length }, (_, i) => i).sort((a, b) => (risk[b] as number) - (risk[a] as number));
  let totalBads = 0;
  for (let i = 0; i < bad.length; i += 1) totalBads += bad[i] === 1 ? 1 : 0;
  const totalGoods = bad.length - totalBads;
  if (totalBads === 0 || totalGoods === 0) return Number.NaN;
  let cumBads = 0;
  let cumGoods = 0;
  let best = 0;
  for (let i = 0; i < order.length; i += 1) {
    if (bad[order[i] as number] === 1) cumBads += 1;
    else cumGoods += 1;
    const next = order[i + 1];
    if (next !== undefined && risk[next] === risk[order[i] as number]) continue;
    best = Math.max(best, Math.abs(cumBads / totalBads - cumGoods / totalGoods));
  }
  return best;
}

// Population stability index between the shares of a reference population (training)
// and a current one over the same classes: Σ (a − e)·ln(a / e). An empty class is
// floored at 0.0001 so one empty class does not make the index infinite.
// Rule of thumb (FIELD-NOTES): < 0.1 stable, 0.1–0.25 watch, > 0.25 shifted.
export const PSI_FLOOR = 1e-4;
export const PSI_SHIFT = 0.25;

export function psi(expected: readonly number[], actual: readonly number[]): number {
  const share = (counts: readonly number[]): number[] => {
    const total = counts.reduce((s, c) => s + c, 0);
    return counts.map((c) => Math.max(PSI_FLOOR, total > 0 ? c / total : 0));
  };
  const e = share(expected);
  const a = share(actual);
  return e.reduce((sum, ei, i) => {
    const ai = a[i] as number;
    return sum + (ai - ei) * Math.log(ai / ei);
  }, 0);
}
