import { Dec, parseDecimal, toPlain } from '../valuation/decimal.ts';

// RiskMetrics (J.P. Morgan/Reuters, RiskMetrics Technical Document, 4th ed., 1996, §5.3)
// decay factor for daily data: 0.94.
export const RISKMETRICS_LAMBDA = '0.94';

// Annualisation by √252, the usual count of trading days a year: returns are measured
// between consecutive trading-day closes (weekends and holidays carry no close), so a
// year holds about 252 of them, not 365.
export const TRADING_DAYS_PER_YEAR = 252;

// Plain, JSON-serialisable state, so it can be stored per commodity and updated tick by tick.
export interface EwmaState {
  readonly lambda: string;
  // Last completed UTC day's close.
  readonly lastClose: { readonly day: string; readonly price: string } | null;
  // Latest tick of the current, not yet completed UTC day; its price becomes the day's
  // close once a tick of a later day arrives.
  readonly pending: { readonly day: string; readonly price: string; readonly at: string } | null;
  // EWMA variance of daily log returns over the completed days; null before the first return.
  readonly variance: string | null;
  readonly returns: number;
  // Ticks for a day already closed, which cannot change the past and are dropped.
  readonly lateTicks: number;
}

export interface EwmaVolatility {
  readonly variance: string;
  readonly sigmaDaily: string;
  // sigmaAnnual = sigmaDaily × √252
  readonly sigmaAnnual: string;
  readonly returns: number;
  // Last day whose close is included.
  readonly asOfDay: string;
  readonly provisional: boolean;
}

export function initialEwmaState(lambda: string = RISKMETRICS_LAMBDA): EwmaState {
  const value = parseDecimal(lambda);
  if (value === undefined || value.lessThanOrEqualTo(0) || value.greaterThanOrEqualTo(1)) {
    throw new RangeError(`lambda must be in (0, 1), got "${lambda}"`);
  }
  return { lambda: toPlain(value), lastClose: null, pending: null, variance: null, returns: 0, lateTicks: 0 };
}

function utcDay(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('tick time is not a valid date');
  return at.toISOString().slice(0, 10);
}

function positivePrice(price: string): Dec {
  const value = parseDecimal(price);
  if (value === undefined || value.lessThanOrEqualTo(0)) {
    // Prices reach this core through price-csv.ts or the API, both of which reject
    // non-positive prices; one here is a programming error, not data to skip.
    throw new RangeError(`price must be a positive decimal, got "${price}"`);
  }
  return value;
}

// RiskMetrics zero-mean EWMA: σ²ₜ = λ·σ²ₜ₋₁ + (1 − λ)·r²ₜ with rₜ = ln(Pₜ / Pₜ₋₁).
// The recursion is seeded with the first squared return (σ²₁ = r²₁); its weight decays
// as λⁿ, below 1% after 75 returns at λ = 0.94.
function foldReturn(variance: string | null, lambda: Dec, previousClose: string, close: string): Dec {
  const r = Dec.ln(new Dec(close).dividedBy(previousClose));
  const r2 = r.times(r);
  return variance === null ? r2 : lambda.times(variance).plus(new Dec(1).minus(lambda).times(r2));
}

function closeDay(state: EwmaState): EwmaState {
  const { pending } = state;
  if (pending === null) return state;
  const lastClose = { day: pending.day, price: pending.price };
  if (state.lastClose === null) return { ...state, lastClose, pending: null };
  const variance = foldReturn(state.variance, new Dec(state.lambda), state.lastClose.price, pending.price);
  return { ...state, lastClose, pending: null, variance: toPlain(variance), returns: state.returns + 1 };
}

// Irregular ticks are aggregated to one close per UTC calendar day: the latest tick of a
// day is its close. Daily closes are what RiskMetrics' daily λ assumes; using every tick
// would make σ depend on how often a source happens to publish. A day without ticks
// (weekend, holiday, feed outage) is skipped, so the next return spans the gap, as
// close-to-close returns on exchange data do. Ticks for a day already closed are counted
// in lateTicks and dropped; ticks older than the pending one on the same day are ignored.
export function updateEwma(state: EwmaState, price: string, at: Date): EwmaState {
  const value = positivePrice(price);
  const day = utcDay(at);
  const tick = { day, price: toPlain(value), at: at.toISOString() };
  const { pending } = state;
  if (pending === null) {
    if (state.lastClose !== null && day <= state.lastClose.day) return { ...state, lateTicks: state.lateTicks + 1 };
    return { ...state, pending: tick };
  }
  if (day === pending.day) return tick.at >= pending.at ? { ...state, pending: tick } : state;
  if (day < pending.day) return { ...state, lateTicks: state.lateTicks + 1 };
  return { ...closeDay(state), pending: tick };
}

export interface PricePoint {
  readonly price: string;
  readonly at: Date;
}

// Batch form: sorts by time (stable for equal times) and folds updateEwma.
export function ewmaFromSeries(points: readonly PricePoint[], lambda: string = RISKMETRICS_LAMBDA): EwmaState {
  const sorted = [...points].sort((a, b) => a.at.getTime() - b.at.getTime());
  return sorted.reduce((state, p) => updateEwma(state, p.price, p.at), initialEwmaState(lambda));
}

// Volatility from the completed days. With includePending the current day's latest tick
// is folded in as if it were the close (provisional, for intraday views); the state is
// not changed. Undefined until at least one return has been observed.
export function ewmaVolatility(state: EwmaState, options: { readonly includePending?: boolean } = {}): EwmaVolatility | undefined {
  const provisional = options.includePending === true && state.pending !== null && state.lastClose !== null;
  const view = provisional ? closeDay(state) : state;
  if (view.variance === null || view.lastClose === null) return undefined;
  const sigmaDaily = new Dec(view.variance).sqrt();
  return {
    variance: view.variance,
    sigmaDaily: toPlain(sigmaDaily),
    sigmaAnnual: toPlain(sigmaDaily.times(new Dec(TRADING_DAYS_PER_YEAR).sqrt())),
    returns: view.returns,
    asOfDay: view.lastClose.day,
    provisional,
  };
}
