// Coarse classing of one characteristic, as a scorecard developer does it by hand:
// start from fine classes (quantiles for numbers, one class per category), pool classes
// too small to trust, make the bad rate monotone in the value where the characteristic
// should be monotone (pool-adjacent-violators: merge neighbours that break the trend),
// and keep at most a handful of classes by merging the neighbours whose bad rates are
// closest. Missing values keep a class of their own, as banks do: "no data" is itself
// evidence. Unseen categories and missing values without a class score as neutral (WoE 0).
import type { Column } from './dataset.ts';
import { woeTable, type BinCounts } from './weight-of-evidence.ts';

export interface Bin extends BinCounts {
  readonly label: string;
  // Numeric classes: values ≤ upper (null: no upper bound); the lower bound is the
  // previous class's upper.
  readonly upper?: number | null;
  readonly categories?: readonly string[];
  readonly missing?: true;
  readonly woe: number;
}

export type Trend = 'increasing' | 'decreasing' | 'none';

export interface FeatureBinning {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly bins: readonly Bin[];
  readonly iv: number;
  // Direction of the bad rate in the value after monotone merging ('none': not forced).
  readonly trend: Trend;
}

export interface BinningOptions {
  readonly fineClasses: number;
  readonly maxBins: number;
  // Smallest class as a share of the rows with a value.
  readonly minBinShare: number;
  readonly monotone: boolean;
}

export const DEFAULT_BINNING: BinningOptions = { fineClasses: 20, maxBins: 6, minBinShare: 0.05, monotone: true };

interface Draft {
  goods: number;
  bads: number;
  upper: number | null;
  categories: string[];
}

const rate = (d: BinCounts): number => (d.bads + 0.5) / (d.goods + d.bads + 1);
const size = (d: BinCounts): number => d.goods + d.bads;

function mergeAt(drafts: Draft[], i: number): void {
  const a = drafts[i];
  const b = drafts[i + 1];
  if (a === undefined || b === undefined) return;
  drafts.splice(i, 2, { goods: a.goods + b.goods, bads: a.bads + b.bads, upper: b.upper, categories: [...a.categories, ...b.categories] });
}

// Merges each class below the minimum into the neighbour with the closer bad rate.
function poolSmall(drafts: Draft[], minRows: number): void {
  for (;;) {
    if (drafts.length <= 1) return;
    let smallest = -1;
    for (let i = 0; i < drafts.length; i += 1) {
      const d = drafts[i] as Draft;
      if (size(d) < minRows && (smallest < 0 || size(d) < size(drafts[smallest] as Draft))) smallest = i;
    }
    if (smallest < 0) return;
    const here = rate(drafts[smallest] as Draft);
    const left = drafts[smallest - 1];
    const right = drafts[smallest + 1];
    const useLeft = right === undefined || (left !== undefined && Math.abs(rate(left) - here) <= Math.abs(rate(right) - here));
    mergeAt(drafts, useLeft ? smallest - 1 : smallest);
  }
}

// The trend the data lean to: the sign of the size-weighted covariance of class order
// and bad rate.
function trendOf(drafts: readonly Draft[]): Trend {
  const n = drafts.reduce((s, d) => s + size(d), 0);
  if (n === 0) return 'none';
  let meanI = 0;
  let meanR = 0;
  drafts.forEach((d, i) => {
    meanI += (i * size(d)) / n;
    meanR += (rate(d) * size(d)) / n;
  });
  let cov = 0;
  drafts.forEach((d, i) => {
    cov += size(d) * (i - meanI) * (rate(d) - meanR);
  });
  return cov >= 0 ? 'increasing' : 'decreasing';
}

function makeMonotone(drafts: Draft[], trend: Trend): void {
  const breaks = (a: Draft, b: Draft): boolean => (trend === 'increasing' ? rate(b) < rate(a) : rate(b) > rate(a));
  for (let i = 0; i < drafts.length - 1; ) {
    if (breaks(drafts[i] as Draft, drafts[i + 1] as Draft)) {
      mergeAt(drafts, i);
      i = Math.max(0, i - 1);
    } else {
      i += 1;
    }
  }
}

function limitCount(drafts: Draft[], maxBins: number): void {
  while (drafts.length > maxBins) {
    let best = 0;
    let bestGap = Number.POSITIVE_INFINITY;
    for (let i = 0; i < drafts.length - 1; i += 1) {
      const gap = Math.abs(rate(drafts[i] as Draft) - rate(drafts[i + 1] as Draft));
      if (gap < bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    mergeAt(drafts, best);
  }
}

function fineNumericClasses(values: Float64Array, target: Uint8Array, fineClasses: number): { drafts: Draft[]; missing: BinCounts } {
  const present: number[] = [];
  const missing = { goods: 0, bads: 0 };
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      if (target[i] === 1) missing.bads += 1;
      else missing.goods += 1;
    } else {
      present.push(i);
    }
  });
  present.sort((a, b) => (values[a] as number) - (values[b] as number));
  const drafts: Draft[] = [];
  // Cut at quantiles, never inside a run of equal values.
  let start = 0;
  for (let q = 1; q <= fineClasses && start < present.length; q += 1) {
    let end = q === fineClasses ? present.length : Math.max(start + 1, Math.round((q * present.length) / fineClasses));
    const edge = values[present[end - 1] as number] as number;
    while (end < present.length && values[present[end] as number] === edge) end += 1;
    const draft: Draft = { goods: 0, bads: 0, upper: edge, categories: [] };
    for (let k = start; k < end; k += 1) {
      if (target[present[k] as number] === 1) draft.bads += 1;
      else draft.goods += 1;
    }
    drafts.push(draft);
    start = end;
  }
  const last = drafts[drafts.length - 1];
  if (last !== undefined) last.upper = null;
  return { drafts, missing };
}

function fineCategoricalClasses(values: readonly string[], target: Uint8Array): { drafts: Draft[]; missing: BinCounts } {
  const byCategory = new Map<string, Draft>();
  const missing = { goods: 0, bads: 0 };
  values.forEach((v, i) => {
    const cell = v === '' ? missing : (byCategory.get(v) ?? byCategory.set(v, { goods: 0, bads: 0, upper: null, categories: [v] }).get(v));
    if (cell === undefined) return;
    if (target[i] === 1) cell.bads += 1;
    else cell.goods += 1;
  });
  // Ordered by bad rate, categories become a sequence that can be pooled like numbers.
  const drafts = [...byCategory.values()].sort((a, b) => rate(a) - rate(b) || (a.categories[0] ?? '').localeCompare(b.categories[0] ?? ''));
  return { drafts, missing };
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());

export function binColumn(column: Column, target: Uint8Array, options: BinningOptions = DEFAULT_BINNING): FeatureBinning {
  const { drafts, missing } =
    column.kind === 'numeric' ? fineNumericClasses(column.values, target, options.fineClasses) : fineCategoricalClasses(column.values, target);
  const withValue = drafts.reduce((s, d) => s + size(d), 0);
  poolSmall(drafts, Math.max(1, Math.ceil(options.minBinShare * withValue)));
  const trend: Trend = column.kind === 'numeric' && options.monotone ? trendOf(drafts) : 'none';
  if (trend !== 'none') makeMonotone(drafts, trend);
  limitCount(drafts, options.maxBins);

  const counts: BinCounts[] = drafts.map((d) => ({ goods: d.goods, bads: d.bads }));
  if (size(missing) > 0) counts.push(missing);
  const table = woeTable(counts);
  const bins: Bin[] = drafts.map((d, i) => {
    const woe = table.woe[i] as number;
    if (column.kind === 'categorical') return { label: d.categories.join(' | '), categories: [...d.categories].sort(), goods: d.goods, bads: d.bads, woe };
    const lower = i === 0 ? undefined : drafts[i - 1]?.upper;
    const label =
      drafts.length === 1 ? 'any value' : lower === undefined || lower === null ? `≤ ${fmt(d.upper as number)}` : d.upper === null ? `> ${fmt(lower)}` : `${fmt(lower)} < x ≤ ${fmt(d.upper)}`;
    return { label, upper: d.upper, goods: d.goods, bads: d.bads, woe };
  });
  if (size(missing) > 0) bins.push({ label: 'missing', missing: true, goods: missing.goods, bads: missing.bads, woe: table.woe[table.woe.length - 1] as number });
  return { feature: column.name, kind: column.kind, bins, iv: table.iv, trend };
}

// The class a value falls in, or -1 when it has none (an unseen category, or a missing
// value when training saw none): such a value scores as neutral.
export function binIndex(binning: FeatureBinning, value: number | string | null | undefined): number {
  const isMissing = value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
  if (isMissing) return binning.bins.findIndex((b) => b.missing === true);
  if (binning.kind === 'categorical') return binning.bins.findIndex((b) => b.categories?.includes(String(value)) === true);
  const x = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(x)) return -1;
  return binning.bins.findIndex((b) => b.missing !== true && (b.upper === null || b.upper === undefined || x <= b.upper));
}

export function woeOf(binning: FeatureBinning, value: number | string | null | undefined): number {
  const i = binIndex(binning, value);
  return i < 0 ? 0 : (binning.bins[i]?.woe ?? 0);
}
