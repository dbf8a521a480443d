import type { EwmaState } from '../prices/ewma-volatility.ts';
import { ewmaVolatility } from '../prices/ewma-volatility.ts';
import type { CommodityClassId } from '../valuation/commodity-classes.ts';
import { Dec, toPlain } from '../valuation/decimal.ts';
import { CLEAR, type Finding } from './finding.ts';
import type { WarningRules } from './warning-rules.ts';

/** What the series rules need to know of one price series. */
export interface SeriesFacts {
  readonly commodity: string;
  readonly currency: string;
  readonly classId: CommodityClassId;
  readonly lastPrice: string;
  readonly lastTs: Date;
  readonly ewma: EwmaState;
  readonly now: Date;
}

export interface SigmaEstimate {
  readonly sigmaDaily: string;
  readonly returns: number;
  /** 'estimate' from the series' own returns, or the class 'default' while they are too few. */
  readonly basis: 'estimate' | 'default';
}

/** σ_daily of the completed days, or the class's conservative default while returns < minReturns. */
export function sigmaOf(ewma: EwmaState, classId: CommodityClassId, rules: Pick<WarningRules, 'minReturns' | 'defaultSigmaDaily'>): SigmaEstimate {
  const vol = ewmaVolatility(ewma);
  const returns = vol?.returns ?? 0;
  if (vol === undefined || returns < rules.minReturns) return { sigmaDaily: rules.defaultSigmaDaily[classId], returns, basis: 'default' };
  return { sigmaDaily: vol.sigmaDaily, returns, basis: 'estimate' };
}

const round = (d: Dec, places = 6): string => toPlain(d.toDecimalPlaces(places));

export function subjectOfSeries(commodity: string, currency: string): string {
  return `series:${commodity}/${currency}`;
}

/**
 * The previous close the day's move is measured from, and the day's latest price: the
 * EWMA state holds both (ewma-volatility.ts aggregates ticks to one close per UTC day).
 */
function dayMove(ewma: EwmaState): { from: string; to: string } | undefined {
  if (ewma.pending === null || ewma.lastClose === null) return undefined;
  return { from: ewma.lastClose.price, to: ewma.pending.price };
}

export function priceMoveFinding(facts: SeriesFacts, rules: WarningRules): Finding {
  const subject = subjectOfSeries(facts.commodity, facts.currency);
  const sigma = sigmaOf(facts.ewma, facts.classId, rules);
  const move = dayMove(facts.ewma);
  const base = { rule: 'market.price_move' as const, subject };
  if (move === undefined) return { ...base, level: CLEAR, severity: null, title: '', numbers: {} };
  const logReturn = Dec.ln(new Dec(move.to).dividedBy(move.from));
  const sigmas = logReturn.abs().dividedBy(sigma.sigmaDaily);
  const k = new Dec(rules.priceMove.k);
  const numbers = {
    previousClose: move.from,
    price: move.to,
    currency: facts.currency,
    changePercent: round(new Dec(move.to).dividedBy(move.from).minus(1).times(100), 2),
    logReturn: round(logReturn),
    sigmaDaily: sigma.sigmaDaily,
    sigmaBasis: sigma.basis,
    returns: sigma.returns,
    sigmas: round(sigmas, 2),
    k: rules.priceMove.k,
  };
  if (sigmas.lessThan(k)) return { ...base, level: CLEAR, severity: null, title: '', numbers };
  const direction = logReturn.isNegative() ? 'fell' : 'rose';
  return {
    ...base,
    level: logReturn.isNegative() ? 'down' : 'up',
    severity: rules.priceMove.severity,
    title: `${facts.commodity} ${direction} ${numbers.changePercent} % in a day (${numbers.sigmas} σ, threshold ${k.toString()} σ)`,
    numbers,
  };
}

export function volatilityJumpFinding(facts: SeriesFacts, rules: WarningRules): Finding {
  const subject = subjectOfSeries(facts.commodity, facts.currency);
  const base = { rule: 'market.volatility_jump' as const, subject };
  const completed = ewmaVolatility(facts.ewma);
  const intraday = ewmaVolatility(facts.ewma, { includePending: true });
  // A jump needs a σ of its own to jump from; the default σ is a floor, not a history.
  if (completed === undefined || intraday === undefined || !intraday.provisional || completed.returns < rules.minReturns || new Dec(completed.sigmaDaily).isZero()) {
    return { ...base, level: CLEAR, severity: null, title: '', numbers: {} };
  }
  const ratio = new Dec(intraday.sigmaDaily).dividedBy(completed.sigmaDaily);
  const numbers = { sigmaDaily: completed.sigmaDaily, sigmaWithToday: intraday.sigmaDaily, ratio: round(ratio, 4), threshold: rules.volatilityJump.ratio, returns: completed.returns };
  if (ratio.lessThan(rules.volatilityJump.ratio)) return { ...base, level: CLEAR, severity: null, title: '', numbers };
  return {
    ...base,
    level: 'jump',
    severity: rules.volatilityJump.severity,
    title: `${facts.commodity} volatility jumped ×${round(ratio, 2)} (σ ${round(new Dec(completed.sigmaDaily).times(100), 2)} % → ${round(new Dec(intraday.sigmaDaily).times(100), 2)} % a day)`,
    numbers,
  };
}

export function expectedIntervalMs(commodity: string, rules: WarningRules): number {
  return rules.stalePrice.intervalMs[commodity] ?? rules.stalePrice.defaultIntervalMs;
}

export function stalePriceFinding(facts: Pick<SeriesFacts, 'commodity' | 'currency' | 'lastTs' | 'lastPrice' | 'now'>, rules: WarningRules): Finding {
  const subject = subjectOfSeries(facts.commodity, facts.currency);
  const interval = expectedIntervalMs(facts.commodity, rules);
  const ageMs = facts.now.getTime() - facts.lastTs.getTime();
  const numbers = { lastPrice: facts.lastPrice, lastTs: facts.lastTs.toISOString(), ageMs, expectedIntervalMs: interval };
  const base = { rule: 'market.stale_price' as const, subject, numbers };
  if (ageMs <= interval) return { ...base, level: CLEAR, severity: null, title: '' };
  return {
    ...base,
    level: 'stale',
    severity: rules.stalePrice.severity,
    title: `No ${facts.commodity}/${facts.currency} price for ${Math.round(ageMs / 60_000)} min (expected every ${Math.round(interval / 60_000)} min)`,
  };
}

/** Every series rule that is evaluated on a tick (staleness is the watchdog's, on a clock). */
export function evaluateSeries(facts: SeriesFacts, rules: WarningRules): Finding[] {
  return [priceMoveFinding(facts, rules), volatilityJumpFinding(facts, rules)];
}
