import { describe, expect, it } from 'vitest';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import {
  ewmaFromSeries,
  ewmaVolatility,
  initialEwmaState,
  updateEwma,
  type EwmaState,
} from '../../../cloud/prices/ewma-volatility.ts';

const day = (d: number, time = '16:00:00'): Date => new Date(`2024-03-${String(d).padStart(2, '0')}T${time}Z`);

// Four daily closes and the by-hand RiskMetrics recursion (λ = 0.94):
//   closes 100, 102, 99, 101
//   r1 = ln(102/100) = 0.0198026272961797…   r1² = 0.000392144047831401…
//   r2 = ln( 99/102) = −0.0298529631496811…  r2² = 0.000891199408816220…
//   r3 = ln(101/ 99) = 0.0200006667066695…   r3² = 0.000400026668711278…
//   σ²1 = r1²                              = 0.000392144047831401…
//   σ²2 = 0.94·σ²1 + 0.06·r2²              = 0.000422087369490490…
//   σ²3 = 0.94·σ²2 + 0.06·r3²              = 0.000420763727443738…
//   σ_daily = √σ²3 = 0.0205125261107387…;  σ_annual = σ_daily·√252 = 0.325626257104401…
const closes = [
  { price: '100', at: day(1) },
  { price: '102', at: day(2) },
  { price: '99', at: day(3) },
  { price: '101', at: day(4) },
];

// The hand-worked figures are written to 15 significant digits; compare as decimals.
function closeTo(actual: string | undefined, expected: string): void {
  expect(actual).toBeDefined();
  const error = new Dec(actual ?? 'NaN').minus(expected).abs().dividedBy(expected);
  expect(error.lessThan('1e-14'), `${actual} ≉ ${expected}`).toBe(true);
}

describe('RiskMetrics EWMA volatility', () => {
  it('matches the hand-worked recursion once the last day is closed by a later tick', () => {
    // The close of 4 March becomes final only when a tick of a later day arrives.
    const state = updateEwma(ewmaFromSeries(closes), '100', day(5));
    const vol = ewmaVolatility(state);
    closeTo(vol?.variance, '0.000420763727443738');
    closeTo(vol?.sigmaDaily, '0.0205125261107387');
    closeTo(vol?.sigmaAnnual, '0.325626257104401');
    expect(vol?.returns).toBe(3);
    expect(vol?.asOfDay).toBe('2024-03-04');
    expect(vol?.provisional).toBe(false);
  });

  it('counts the pending day only when asked, as a provisional figure', () => {
    const state = ewmaFromSeries(closes);
    // 4 March is still open: two completed returns, σ²2 = 0.000422087369490490…
    closeTo(ewmaVolatility(state)?.variance, '0.000422087369490490');
    const provisional = ewmaVolatility(state, { includePending: true });
    closeTo(provisional?.variance, '0.000420763727443738');
    expect(provisional?.provisional).toBe(true);
    expect(ewmaVolatility(state)?.returns).toBe(2);
  });

  it('aggregates irregular ticks to the last tick of each UTC day and drops late ticks', () => {
    let state: EwmaState = initialEwmaState();
    state = updateEwma(state, '100', day(1, '09:00:00'));
    state = updateEwma(state, '250', day(1, '12:00:00'));
    state = updateEwma(state, '100', day(1, '23:59:59')); // close of 1 March
    state = updateEwma(state, '300', day(1, '10:00:00')); // older than the pending tick: ignored
    state = updateEwma(state, '102', day(2, '08:00:00')); // close of 2 March (only tick)
    state = updateEwma(state, '99', day(4, '08:00:00')); // 3 March had no ticks: the return spans the gap
    state = updateEwma(state, '500', day(2, '18:00:00')); // 2 March is closed: late
    state = updateEwma(state, '101', day(5)); // closes 4 March
    state = updateEwma(state, '101', day(6)); // closes 5 March
    expect(state.lateTicks).toBe(1);
    // Same closes 100, 102, 99, 101 as the hand-worked series.
    closeTo(ewmaVolatility(state)?.variance, '0.000420763727443738');
  });

  it('gives the same state incrementally and in batch, whatever the input order', () => {
    const shuffled = [closes[2], closes[0], closes[3], closes[1]].filter((c) => c !== undefined);
    const incremental = closes.reduce((s, c) => updateEwma(s, c.price, c.at), initialEwmaState());
    expect(ewmaFromSeries(shuffled)).toEqual(incremental);
    // The state is plain data and survives a JSON round trip (it is stored per commodity).
    expect(JSON.parse(JSON.stringify(incremental))).toEqual(incremental);
  });

  it('has no volatility before the first return, and validates λ and prices', () => {
    expect(ewmaVolatility(initialEwmaState())).toBeUndefined();
    expect(ewmaVolatility(updateEwma(updateEwma(initialEwmaState(), '1', day(1)), '1', day(2)))).toBeUndefined();
    expect(() => initialEwmaState('1')).toThrow(RangeError);
    expect(() => initialEwmaState('0')).toThrow(RangeError);
    expect(() => updateEwma(initialEwmaState(), '0', day(1))).toThrow(RangeError);
    // λ = 0.97 (RiskMetrics' monthly factor) is accepted: σ²2 = 0.97·r1² + 0.03·r2²
    //   = 0.000380379726396459 + 0.0000267359822644866 = 0.000407115708660946…
    const monthly = updateEwma(ewmaFromSeries(closes.slice(0, 3), '0.97'), '1', day(9));
    closeTo(ewmaVolatility(monthly)?.variance, '0.000407115708660946');
  });
});
