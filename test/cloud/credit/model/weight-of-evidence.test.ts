import { describe, expect, it } from 'vitest';
import { woeTable } from '../../../../cloud/credit/model/weight-of-evidence.ts';

describe('weight of evidence and information value', () => {
  it('matches a two-class table worked by hand', () => {
    // Class A: 90 goods, 10 bads; class B: 60 goods, 40 bads. Half a count added per cell:
    //   goods 150 + 2·0.5 = 151, bads 50 + 2·0.5 = 51
    //   A: g = 90.5/151 = 0.599338, b = 10.5/51 = 0.205882, WoE = ln(0.599338/0.205882) =  1.068520
    //   B: g = 60.5/151 = 0.400662, b = 40.5/51 = 0.794118, WoE = ln(0.400662/0.794118) = −0.684113
    //   IV = (0.599338 − 0.205882)·1.068520 + (0.400662 − 0.794118)·(−0.684113)
    //      = 0.420416 + 0.269168 = 0.689584
    const table = woeTable([
      { goods: 90, bads: 10 },
      { goods: 60, bads: 40 },
    ]);
    expect(table.woe[0]).toBeCloseTo(1.06852, 5);
    expect(table.woe[1]).toBeCloseTo(-0.684113, 5);
    expect(table.iv).toBeCloseTo(0.689584, 5);
  });

  it('stays finite for a class with no bads, and an uninformative split has IV 0', () => {
    const pure = woeTable([
      { goods: 50, bads: 0 },
      { goods: 50, bads: 10 },
    ]);
    // A: ln((50.5/101)/(0.5/11)) = ln(11) = 2.397895
    expect(pure.woe[0]).toBeCloseTo(Math.log(11), 9);
    const flat = woeTable([
      { goods: 40, bads: 10 },
      { goods: 40, bads: 10 },
    ]);
    expect(flat.woe).toEqual([0, 0]);
    expect(flat.iv).toBe(0);
  });
});
