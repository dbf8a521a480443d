import { describe, expect, it } from 'vitest';
import type { EwmaState } from '../../../cloud/prices/ewma-volatility.ts';
import { ewmaVolatility } from '../../../cloud/prices/ewma-volatility.ts';
import { Dec, toPlain } from '../../../cloud/valuation/decimal.ts';
import { ltvFinding, watchListFinding, type FacilityFacts } from '../../../cloud/early-warning/facility-rules.ts';
import { priceMoveFinding, sigmaOf, stalePriceFinding, volatilityJumpFinding, type SeriesFacts } from '../../../cloud/early-warning/series-rules.ts';
import { DEFAULT_WARNING_RULES, type WarningRules } from '../../../cloud/early-warning/warning-rules.ts';

const NOW = new Date('2026-03-10T15:00:00Z');

/** An EWMA state with σ_daily = √variance over `returns` completed days, yesterday's close and today's latest price. */
function ewma(variance: string, returns: number, close: string, today: string | null): EwmaState {
  return {
    lambda: '0.94',
    lastClose: { day: '2026-03-09', price: close },
    pending: today === null ? null : { day: '2026-03-10', price: today, at: NOW.toISOString() },
    variance,
    returns,
    lateTicks: 0,
  };
}

function series(state: EwmaState, overrides: Partial<SeriesFacts> = {}): SeriesFacts {
  return { commodity: 'copper', currency: 'USD', classId: 'base_metals', lastPrice: state.pending?.price ?? '100', lastTs: NOW, ewma: state, now: NOW, ...overrides };
}

const rules = (patch: Partial<WarningRules>): WarningRules => ({ ...DEFAULT_WARNING_RULES, ...patch });

describe('price move beyond k·σ in a day', () => {
  // σ = 0.02 exactly (variance 0.0004); a fall from 100 to 90 is |ln 0.9| / 0.02 ≈ 5.27 σ.
  const state = ewma('0.0004', 30, '100', '90');
  const sigmas = Dec.ln(new Dec('0.9')).abs().dividedBy('0.02');
  const withK = (k: Dec) => rules({ priceMove: { k: toPlain(k), severity: 'warning' } });

  it('stays clear just under the threshold', () => {
    expect(priceMoveFinding(series(state), withK(sigmas.plus('1e-9'))).level).toBe('clear');
  });
  it('fires at the threshold, with the numbers', () => {
    const f = priceMoveFinding(series(state), withK(sigmas));
    expect(f.level).toBe('down');
    expect(f.severity).toBe('warning');
    expect(f.numbers).toMatchObject({ previousClose: '100', price: '90', changePercent: '-10', sigmaDaily: '0.02', sigmaBasis: 'estimate', returns: 30 });
    expect(f.title).toContain('fell -10 %');
  });
  it('fires just over the threshold, and on a rise too', () => {
    expect(priceMoveFinding(series(state), withK(sigmas.minus('1e-9'))).level).toBe('down');
    const up = ewma('0.0004', 30, '90', '100');
    expect(priceMoveFinding(series(up), withK(Dec.ln(new Dec(100).dividedBy(90)).dividedBy('0.02'))).level).toBe('up');
  });
  it('has nothing to say without a previous close or without a tick today', () => {
    expect(priceMoveFinding(series(ewma('0.0004', 30, '100', null)), DEFAULT_WARNING_RULES).level).toBe('clear');
  });
  it('uses the class default σ, not zero, when there are too few returns', () => {
    // 3 returns of σ = 0.001 would make a 1 % move a 10 σ event; base metals' default 0.02 makes it 0.5 σ.
    const young = ewma('0.000001', 3, '100', '99');
    expect(sigmaOf(young, 'base_metals', DEFAULT_WARNING_RULES)).toEqual({ sigmaDaily: '0.02', returns: 3, basis: 'default' });
    const f = priceMoveFinding(series(young), DEFAULT_WARNING_RULES);
    expect(f.level).toBe('clear');
    expect(f.numbers).toMatchObject({ sigmaBasis: 'default', sigmaDaily: '0.02' });
    expect(sigmaOf(ewma('0.000001', 10, '100', '99'), 'base_metals', DEFAULT_WARNING_RULES).basis).toBe('estimate');
    expect(sigmaOf({ ...young, variance: null, returns: 0 }, 'softs', DEFAULT_WARNING_RULES).sigmaDaily).toBe('0.03');
  });
});

describe('volatility jump', () => {
  const state = ewma('0.0001', 30, '100', '95');
  const completed = ewmaVolatility(state);
  const intraday = ewmaVolatility(state, { includePending: true });
  const ratio = new Dec(intraday?.sigmaDaily ?? '0').dividedBy(completed?.sigmaDaily ?? '1');
  const withRatio = (r: Dec) => rules({ volatilityJump: { ratio: toPlain(r), severity: 'warning' } });

  it('stays clear just under the ratio', () => {
    expect(volatilityJumpFinding(series(state), withRatio(ratio.plus('1e-12'))).level).toBe('clear');
  });
  it('fires at the ratio', () => {
    const f = volatilityJumpFinding(series(state), withRatio(ratio));
    expect(f.level).toBe('jump');
    expect(f.numbers).toMatchObject({ sigmaDaily: completed?.sigmaDaily, sigmaWithToday: intraday?.sigmaDaily, returns: 30 });
  });
  it('fires just over the ratio', () => {
    expect(volatilityJumpFinding(series(state), withRatio(ratio.minus('1e-12'))).level).toBe('jump');
  });
  it('needs a σ history of its own', () => {
    expect(volatilityJumpFinding(series(ewma('0.0001', 5, '100', '50')), DEFAULT_WARNING_RULES).level).toBe('clear');
  });
});

describe('stale price', () => {
  const interval = 3_600_000;
  const staleRules = rules({ stalePrice: { defaultIntervalMs: 86_400_000, intervalMs: { copper: interval }, severity: 'warning' } });
  const at = (ageMs: number) => stalePriceFinding({ commodity: 'copper', currency: 'USD', lastPrice: '100', lastTs: new Date(NOW.getTime() - ageMs), now: NOW }, staleRules);

  it('is fresh just under and at its expected interval', () => {
    expect(at(interval - 1).level).toBe('clear');
    expect(at(interval).level).toBe('clear');
  });
  it('is stale just over it, with the age and the interval', () => {
    const f = at(interval + 1);
    expect(f.level).toBe('stale');
    expect(f.numbers).toMatchObject({ ageMs: interval + 1, expectedIntervalMs: interval });
  });
  it('falls back to the default interval for a commodity without its own', () => {
    const f = stalePriceFinding({ commodity: 'cocoa', currency: 'USD', lastPrice: '1', lastTs: new Date(NOW.getTime() - interval - 1), now: NOW }, staleRules);
    expect(f.level).toBe('clear');
  });
});

function facility(outstanding: string, lendingValue = '1000', sigma = '0.02'): FacilityFacts {
  return {
    id: 'f-1',
    reference: 'RF-1',
    currency: 'USD',
    outstanding,
    thresholds: { warning: '0.80', marginCall: '0.85', liquidation: '0.90' },
    exposures: [{ commodity: 'copper', lendingValue, sigma: { sigmaDaily: sigma, returns: 30, basis: 'estimate' } }],
  };
}

describe('facility LTV levels (lending value 1,000; thresholds 0.80 / 0.85 / 0.90)', () => {
  it.each([
    ['799.99', 'clear', null],
    ['800', 'warning', 'warning'],
    ['800.01', 'warning', 'warning'],
    ['849.99', 'warning', 'warning'],
    ['850', 'margin-call', 'critical'],
    ['850.01', 'margin-call', 'critical'],
    ['899.99', 'margin-call', 'critical'],
    ['900', 'liquidation', 'critical'],
    ['900.01', 'liquidation', 'critical'],
  ])('outstanding %s is %s', (outstanding, level, severity) => {
    const f = ltvFinding(facility(outstanding), DEFAULT_WARNING_RULES);
    expect(f.level).toBe(level);
    expect(f.severity).toBe(severity);
    expect(f.numbers).toMatchObject({ outstanding, lendingValue: '1000', marginCall: '0.85' });
  });
  it('carries what cures it', () => {
    expect(ltvFinding(facility('850'), DEFAULT_WARNING_RULES).numbers).toMatchObject({ ltv: '0.85', repaymentToCure: '50.01' });
  });
});

describe('forward look: LTV after a one-day 99 % move (2.33 σ)', () => {
  // σ 0.02 → a 4.66 % fall: lending value 1,000 → 953.40; 0.85 × 953.40 = 810.39.
  it('leaves the facility off the watch list just under', () => {
    expect(watchListFinding(facility('810.38'), DEFAULT_WARNING_RULES).level).toBe('clear');
  });
  it('puts it on at the margin-call level after the move, with the numbers', () => {
    const f = watchListFinding(facility('810.39'), DEFAULT_WARNING_RULES);
    expect(f.level).toBe('watch');
    expect(f.numbers).toMatchObject({ stressedLendingValue: '953.4', stressedLtv: '0.85', z: '2.33', ltv: '0.81039' });
  });
  it('puts it on just over', () => {
    expect(watchListFinding(facility('810.40'), DEFAULT_WARNING_RULES).level).toBe('watch');
  });
  it('takes it off once the facility is at the margin call itself (that case takes over)', () => {
    expect(watchListFinding(facility('850'), DEFAULT_WARNING_RULES).level).toBe('clear');
  });
  it('is blind to nothing: a young series stresses with the class default σ', () => {
    const young = { ...facility('810.39'), exposures: [{ commodity: 'copper', lendingValue: '1000', sigma: { sigmaDaily: '0.02', returns: 2, basis: 'default' as const } }] };
    expect(watchListFinding(young, DEFAULT_WARNING_RULES).numbers.sigmas).toBe('copper:0.02 (class default)');
  });
});
