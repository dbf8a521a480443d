import { describe, expect, it } from 'vitest';
import { foldTicks, priceInSeriesUnit, seriesRisk } from '../../../cloud/prices/price-series.ts';
import { resolveCommodityTerms } from '../../../cloud/valuation/commodity-terms.ts';

const day = (d: number, h = 16) => new Date(Date.UTC(2024, 2, d, h));

describe('price series', () => {
  it('converts a tick to the series unit and keeps what was quoted', () => {
    expect(priceInSeriesUnit('8.5', 'kg', 't')).toEqual({ ok: true, price: '8500', quoted: { price: '8.5', unit: 'kg' } });
    expect(priceInSeriesUnit('8500', undefined, 't')).toEqual({ ok: true, price: '8500', quoted: null });
    expect(priceInSeriesUnit('8500', 'tonnes', 't')).toEqual({ ok: true, price: '8500', quoted: null });
    expect(priceInSeriesUnit('80', 'bbl', 't')).toMatchObject({ ok: false });
    // 850 kg/m³: 1 t is 1/0.85 m³ = 1.17647 m³ = 7.39977… bbl, so 80 USD/bbl is 591.98… USD/t.
    const viaDensity = priceInSeriesUnit('80', 'bbl', 't', '850');
    expect(viaDensity.ok && viaDensity.price.startsWith('591.982190158')).toBe(true);
    expect(priceInSeriesUnit('1', 'furlong', 't')).toMatchObject({ ok: false, message: 'unit "furlong" is not known' });
  });

  it('takes the latest price by time of quote, not by arrival, and folds every tick into the EWMA', () => {
    const series = foldTicks({ commodity: 'copper', currency: 'USD', unit: 't', lambda: '0.94' }, [
      { price: '8080', ts: day(2) },
      { price: '8000', ts: day(1) },
    ]);
    expect(series).toMatchObject({ lastPrice: '8080', tickCount: 2, ewma: { lastClose: { day: '2024-03-01', price: '8000' }, pending: { day: '2024-03-02' } } });
    const backfilled = foldTicks(series, [{ price: '7000', ts: day(1, 10) }]);
    expect(backfilled).toMatchObject({ lastPrice: '8080', tickCount: 3 });
    const next = foldTicks(series, [{ price: '8000', ts: day(3) }]);
    expect(next.lastPrice).toBe('8000');
    expect(next.ewma.returns).toBe(1);
  });

  it('sets the haircut from completed days only: the cap before any return, then z·σ·√days or the floor', () => {
    const terms = resolveCommodityTerms('copper', null);
    const fresh = foldTicks({ commodity: 'copper', currency: 'USD', unit: 't', lambda: '0.94' }, [{ price: '8000', ts: day(1) }]);
    expect(seriesRisk(fresh.ewma, terms)).toMatchObject({ sigmaDaily: null, haircut: { binding: 'no-volatility', haircut: '0.95' } });
    const calm = foldTicks(fresh, [
      { price: '8080', ts: day(2) },
      { price: '8000', ts: day(3) },
    ]);
    expect(seriesRisk(calm.ewma, terms)).toMatchObject({ haircut: { binding: 'floor', haircut: '0.1' } });
  });

  it('falls back to the class defaults for a commodity without configured terms', () => {
    expect(resolveCommodityTerms('cobalt', null)).toMatchObject({ classId: 'other', priceUnit: 't', ewmaLambda: '0.94', haircutCap: '0.95', haircut: { floor: '0.25', liquidationDays: 30 } });
    expect(resolveCommodityTerms('crude_oil', { haircutFloor: '0.2', liquidationDays: 5 })).toMatchObject({ classId: 'fuels', haircut: { floor: '0.2', z: '2.33', liquidationDays: 5 } });
  });
});
