import { describe, expect, it } from 'vitest';
import { attributePoints, scalingConstants, scoreToBadProbability } from '../../../../cloud/credit/model/points-scaling.ts';

const SCALING = { pdo: 20, baseScore: 600, baseOdds: 50 };

describe('points scaling', () => {
  it('gives the factor and offset of 600 points at 50:1 and 20 points to double the odds', () => {
    // factor = 20 / ln 2 = 28.853901;  offset = 600 − 28.853901 · ln 50 = 600 − 28.853901 · 3.912023 = 487.122876
    const { factor, offset } = scalingConstants(SCALING);
    expect(factor).toBeCloseTo(28.853901, 6);
    expect(offset).toBeCloseTo(487.122876, 6);
  });

  it('prices one attribute as worked by hand', () => {
    // α = −2, β = −0.8, WoE = 0.5, four characteristics:
    //   −(−0.8 · 0.5 + (−2)/4) · 28.853901 + 487.122876/4 = 0.9 · 28.853901 + 121.780719 = 147.749230
    expect(attributePoints(SCALING, -2, -0.8, 0.5, 4)).toBeCloseTo(147.74923, 5);
  });

  it('doubles the odds every 20 points and sits at 50:1 on 600', () => {
    const oddsAt = (score: number): number => {
      const p = scoreToBadProbability(SCALING, score);
      return (1 - p) / p;
    };
    expect(oddsAt(600)).toBeCloseTo(50, 9);
    expect(oddsAt(620)).toBeCloseTo(100, 9);
    expect(oddsAt(580)).toBeCloseTo(25, 9);
  });
});
