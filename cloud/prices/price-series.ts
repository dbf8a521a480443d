import { parseDecimal, toPlain } from '../valuation/decimal.ts';
import { computeHaircut, type HaircutBreakdown } from '../valuation/haircut.ts';
import { conversionFactor, canonicalUnit } from '../valuation/units.ts';
import type { CommodityTerms } from '../valuation/commodity-terms.ts';
import { ewmaFromSeries, ewmaVolatility, initialEwmaState, updateEwma, type EwmaState, type PricePoint } from './ewma-volatility.ts';

// One price series: a commodity quoted in one currency, in one unit.
export interface SeriesSnapshot {
  readonly commodity: string;
  readonly currency: string;
  readonly unit: string;
  readonly lastPrice: string;
  readonly lastTs: Date;
  readonly ewma: EwmaState;
  readonly tickCount: number;
}

export type TickInUnit =
  | { readonly ok: true; readonly price: string; readonly quoted: { readonly price: string; readonly unit: string } | null }
  | { readonly ok: false; readonly message: string };

// A series keeps the unit of its first tick (or the commodity's configured price unit);
// a later tick quoted per another unit is converted, so the EWMA never mixes a price per
// kg with a price per tonne. price per series unit = price per tick unit × (tick units
// in one series unit).
export function priceInSeriesUnit(price: string, tickUnit: string | undefined, seriesUnit: string, densityKgPerM3?: string): TickInUnit {
  const unit = tickUnit === undefined ? seriesUnit : canonicalUnit(tickUnit);
  if (unit === undefined) return { ok: false, message: `unit "${tickUnit}" is not known` };
  if (unit === seriesUnit) return { ok: true, price, quoted: null };
  const density = densityKgPerM3 === undefined ? undefined : parseDecimal(densityKgPerM3);
  const conversion = conversionFactor(seriesUnit, unit, density);
  if (!conversion.ok) {
    return { ok: false, message: `price per ${unit} cannot be converted to the series unit ${seriesUnit} (${conversion.error.code})` };
  }
  return { ok: true, price: toPlain(conversion.factor.times(price)), quoted: { price, unit } };
}

export interface SeriesTick {
  readonly price: string;
  readonly ts: Date;
}

// Folds ticks (already in the series unit) into the series in time order. The latest
// price is the one with the latest timestamp, not the last to arrive: a late tick
// (a backfill) enters the history but does not move the current price.
export function foldTicks(
  base: SeriesSnapshot | { readonly commodity: string; readonly currency: string; readonly unit: string; readonly lambda: string },
  ticks: readonly SeriesTick[],
): SeriesSnapshot {
  const sorted = [...ticks].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const first = sorted[0];
  if ('ewma' in base) {
    let snapshot = base;
    for (const tick of sorted) {
      const newer = tick.ts.getTime() >= snapshot.lastTs.getTime();
      snapshot = {
        ...snapshot,
        ewma: updateEwma(snapshot.ewma, tick.price, tick.ts),
        tickCount: snapshot.tickCount + 1,
        ...(newer ? { lastPrice: tick.price, lastTs: tick.ts } : {}),
      };
    }
    return snapshot;
  }
  if (first === undefined) throw new RangeError('a new series needs at least one tick');
  const last = sorted[sorted.length - 1] ?? first;
  return {
    commodity: base.commodity,
    currency: base.currency,
    unit: base.unit,
    lastPrice: last.price,
    lastTs: last.ts,
    ewma: sorted.reduce((state, t) => updateEwma(state, t.price, t.ts), initialEwmaState(base.lambda)),
    tickCount: sorted.length,
  };
}

// Rebuilds the EWMA state from stored daily closes (the latest tick of each UTC day);
// used after an import that reached into the past, where folding tick by tick would
// count the older ticks as late and drop them.
export function ewmaFromCloses(closes: readonly PricePoint[], lambda: string): EwmaState {
  return ewmaFromSeries(closes, lambda);
}

export interface SeriesRisk {
  readonly sigmaDaily: string | null;
  readonly haircut: HaircutBreakdown;
}

// The haircut uses the volatility of completed days only, so it moves once a day when a
// close is added, not with every intraday tick.
export function seriesRisk(ewma: EwmaState, terms: CommodityTerms): SeriesRisk {
  const sigma = ewmaVolatility(ewma)?.sigmaDaily;
  return { sigmaDaily: sigma ?? null, haircut: computeHaircut(sigma, terms.haircut, terms.haircutCap) };
}
