import { describe, expect, it } from 'vitest';
import { binColumn, binIndex, woeOf } from '../../../../cloud/credit/model/binning.ts';
import type { Column } from '../../../../cloud/credit/model/dataset.ts';

// Ten values, ten rows each; bads per value chosen so the bad rate rises except at 6.
const BADS_PER_VALUE = [1, 1, 2, 2, 3, 2, 4, 5, 5, 6];

function table(extraMissing: { goods: number; bads: number } = { goods: 0, bads: 0 }): { column: Column; target: Uint8Array } {
  const values: number[] = [];
  const target: number[] = [];
  BADS_PER_VALUE.forEach((bads, i) => {
    for (let r = 0; r < 10; r += 1) {
      values.push(i + 1);
      target.push(r < bads ? 1 : 0);
    }
  });
  for (let r = 0; r < extraMissing.goods + extraMissing.bads; r += 1) {
    values.push(Number.NaN);
    target.push(r < extraMissing.bads ? 1 : 0);
  }
  return { column: { name: 'x', kind: 'numeric', values: Float64Array.from(values) }, target: Uint8Array.from(target) };
}

describe('coarse classing', () => {
  it('merges the class that breaks the rising bad rate, then the closest neighbours, as done by hand', () => {
    // Fine classes (one per value) have bad rates .1 .1 .2 .2 .3 .2 .4 .5 .5 .6.
    // Monotone (rising, the trend of the data): 6 (.2) breaks after 5 (.3) → pool 5–6 (5/20).
    // Nine classes remain; down to six by merging the neighbours with equal rates:
    // 1–2 (2/20), 3–4 (4/20), 8–9 (10/20).
    const { column, target } = table();
    const binning = binColumn(column, target, { fineClasses: 10, maxBins: 6, minBinShare: 0.05, monotone: true });
    expect(binning.trend).toBe('increasing');
    expect(binning.bins.map((b) => b.label)).toEqual(['≤ 2', '2 < x ≤ 4', '4 < x ≤ 6', '6 < x ≤ 7', '7 < x ≤ 9', '> 9']);
    expect(binning.bins.map((b) => b.bads)).toEqual([2, 4, 5, 4, 10, 6]);
    expect(binning.bins.map((b) => b.goods)).toEqual([18, 16, 15, 6, 10, 4]);
    // WoE falls as the bad rate rises (WoE is the log of good share over bad share).
    const woes = binning.bins.map((b) => b.woe);
    for (let i = 1; i < woes.length; i += 1) expect(woes[i]).toBeLessThan(woes[i - 1] as number);
    // First class by hand: goods 69 + 3 = 72, bads 31 + 3 = 34 (half a count in each of six classes);
    // WoE = ln((18.5/72)/(2.5/34)) = ln(0.256944/0.073529) = ln(3.494444) = 1.251174
    expect(woes[0]).toBeCloseTo(1.251174, 6);
  });

  it('keeps the raw shape when monotonicity is not asked for', () => {
    const { column, target } = table();
    const binning = binColumn(column, target, { fineClasses: 10, maxBins: 10, minBinShare: 0.05, monotone: false });
    expect(binning.trend).toBe('none');
    // Only the equal neighbours (1–2, 3–4, 8–9) could be pooled, and ten classes are allowed.
    expect(binning.bins).toHaveLength(10);
  });

  it('pools classes below the minimum size into the neighbour with the closer bad rate', () => {
    const { column, target } = table();
    // 30 % of the rows per class at least: ten classes of 10 % each must become three or fewer.
    const binning = binColumn(column, target, { fineClasses: 10, maxBins: 10, minBinShare: 0.3, monotone: false });
    for (const bin of binning.bins) expect(bin.goods + bin.bads).toBeGreaterThanOrEqual(30);
  });

  it('gives missing values their own class, and assigns values to classes by their bounds', () => {
    const { column, target } = table({ goods: 2, bads: 8 });
    const binning = binColumn(column, target, { fineClasses: 10, maxBins: 6, minBinShare: 0.05, monotone: true });
    const missing = binning.bins[binning.bins.length - 1];
    expect(missing?.label).toBe('missing');
    expect(binIndex(binning, null)).toBe(binning.bins.length - 1);
    expect(binIndex(binning, 2)).toBe(0);
    expect(binIndex(binning, 2.5)).toBe(1);
    expect(binIndex(binning, 1e9)).toBe(5);
    expect(binIndex(binning, -1e9)).toBe(0);
    expect(woeOf(binning, null)).toBeLessThan(0);
  });

  it('groups categories by bad rate and scores an unseen category as neutral', () => {
    const values: string[] = [];
    const target: number[] = [];
    const add = (category: string, goods: number, bads: number): void => {
      for (let i = 0; i < goods; i += 1) {
        values.push(category);
        target.push(0);
      }
      for (let i = 0; i < bads; i += 1) {
        values.push(category);
        target.push(1);
      }
    };
    add('grain', 45, 5);
    add('metal', 44, 6);
    add('fuel', 30, 20);
    const binning = binColumn({ name: 'sector', kind: 'categorical', values }, Uint8Array.from(target), { fineClasses: 20, maxBins: 2, minBinShare: 0.05, monotone: true });
    expect(binning.bins.map((b) => b.categories)).toEqual([['grain', 'metal'], ['fuel']]);
    expect(woeOf(binning, 'timber')).toBe(0);
  });
});
