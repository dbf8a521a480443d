// Weight of evidence and information value, as scorecard builders define them
// (Siddiqi, "Credit Risk Scorecards", ch. 6): for a bin with g goods and b bads out of
// G goods and B bads,
//   WoE = ln( (g/G) / (b/B) )          positive: safer than average
//   IV  = Σ (g/G − b/B) · WoE
// A bin with no goods or no bads would have an infinite WoE; half a count is added to
// both cells of every bin (the usual Laplace-style correction) so WoE stays finite.
export const WOE_SMOOTHING = 0.5;

export interface BinCounts {
  readonly goods: number;
  readonly bads: number;
}

export interface WoeTable {
  readonly woe: readonly number[];
  readonly iv: number;
}

export function woeTable(bins: readonly BinCounts[]): WoeTable {
  const k = bins.length;
  const totalGoods = bins.reduce((s, b) => s + b.goods, 0) + WOE_SMOOTHING * k;
  const totalBads = bins.reduce((s, b) => s + b.bads, 0) + WOE_SMOOTHING * k;
  let iv = 0;
  const woe = bins.map((bin) => {
    const goodShare = (bin.goods + WOE_SMOOTHING) / totalGoods;
    const badShare = (bin.bads + WOE_SMOOTHING) / totalBads;
    const w = Math.log(goodShare / badShare);
    iv += (goodShare - badShare) * w;
    return w;
  });
  return { woe, iv };
}
