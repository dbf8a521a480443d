import type { PrismaClient, PriceSeries } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { badRequest } from '../errors.ts';
import type { RevaluationContext, RevaluationSummary, SeriesKey } from '../risk/revalue-series.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { loadCommodityTerms } from '../valuation/commodity-terms-repository.ts';
import { canonicalUnit } from '../valuation/units.ts';
import { parseDecimal, toPlain } from '../valuation/decimal.ts';
import { ewmaFromCloses, foldTicks, priceInSeriesUnit, seriesRisk } from './price-series.ts';
import { dailyCloses, insertTicks, lockSeries, saveSeries, snapshotOf } from './price-store.ts';

export type Revalue = (tx: Tx, key: SeriesKey, context: RevaluationContext) => Promise<RevaluationSummary>;

export interface PriceServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly revalue: Revalue;
  readonly now?: () => Date;
}

export interface TickInput {
  readonly commodity: string;
  readonly price: string;
  readonly currency: string;
  readonly unit?: string | undefined;
  /** When the price was quoted; now (the service's clock) when the caller does not say. */
  readonly ts?: Date | undefined;
  readonly source: string;
}

export interface TickOutcome {
  readonly duplicate: boolean;
  readonly series: PriceSeries;
  readonly revaluation: RevaluationSummary | null;
}

/**
 * Records a price tick and, in the same transaction, revalues every pledged receipt of
 * the series and every facility holding one (the "risk trigger on every price
 * tick"): the new figures and any margin call commit together with the price, or none
 * of them do. A tick already stored (same series, source and time) changes nothing.
 */
export function createPriceService(deps: PriceServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function recordTick(input: TickInput, actor: string): Promise<TickOutcome> {
    const commodity = normaliseCommodity(input.commodity);
    if (commodity === undefined) throw badRequest(`commodity "${input.commodity}" is not a commodity code`);
    const price = parseDecimal(input.price);
    if (price === undefined || !price.greaterThan(0)) throw badRequest(`price must be a positive decimal, got "${input.price}"`);
    const at = now();
    const ts = input.ts ?? at;
    const outcome = await inUnitOfWork(deps, async (tx, events) => {
      await lockSeries(tx, commodity, input.currency);
      const terms = await loadCommodityTerms(tx, commodity);
      const existing = await tx.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency: input.currency } } });
      const seriesUnit = existing?.unit ?? canonicalUnit(input.unit ?? terms.priceUnit);
      if (seriesUnit === undefined) throw badRequest(`unit "${input.unit ?? terms.priceUnit}" is not known`);
      const converted = priceInSeriesUnit(toPlain(price), input.unit, seriesUnit, terms.densityKgPerM3);
      if (!converted.ok) throw badRequest(converted.message);
      const inserted = await insertTicks(tx, commodity, input.currency, [
        { price: converted.price, unit: seriesUnit, quotedPrice: converted.quoted?.price ?? null, quotedUnit: converted.quoted?.unit ?? null, ts, source: input.source },
      ]);
      if (inserted === 0 && existing !== null) return { duplicate: true, series: existing, revaluation: null };
      const snapshot = foldTicks(
        existing === null ? { commodity, currency: input.currency, unit: seriesUnit, lambda: terms.ewmaLambda } : snapshotOf(existing),
        [{ price: converted.price, ts }],
      );
      const series = await saveSeries(tx, snapshot, seriesRisk(snapshot.ewma, terms), at);
      const revaluation = await deps.revalue(tx, { commodity, currency: input.currency }, { now: at, actor, events });
      return { duplicate: false, series, revaluation };
    });
    if (!outcome.duplicate) deps.bus.emit('price.recorded', { commodity, currency: input.currency, ts: ts.toISOString(), source: input.source });
    return outcome;
  }

  /** Recomputes a series' haircut after its commodity's terms changed, and revalues. */
  async function reapplyTerms(commodity: string, actor: string): Promise<RevaluationSummary[]> {
    const series = await deps.prisma.priceSeries.findMany({ where: { commodity }, select: { currency: true } });
    const summaries: RevaluationSummary[] = [];
    for (const { currency } of series) {
      const at = now();
      summaries.push(
        await inUnitOfWork(deps, async (tx, events) => {
          await lockSeries(tx, commodity, currency);
          const terms = await loadCommodityTerms(tx, commodity);
          const row = await tx.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency } } });
          if (row === null) return deps.revalue(tx, { commodity, currency }, { now: at, actor, events });
          const stored = snapshotOf(row);
          // A new λ applies to the whole history, not only to returns from now on.
          const snapshot = stored.ewma.lambda === terms.ewmaLambda
            ? stored
            : { ...stored, ewma: ewmaFromCloses((await dailyCloses(tx, commodity, currency)).closes, terms.ewmaLambda) };
          await saveSeries(tx, snapshot, seriesRisk(snapshot.ewma, terms), at);
          return deps.revalue(tx, { commodity, currency }, { now: at, actor, events });
        }),
      );
    }
    return summaries;
  }

  return { recordTick, reapplyTerms };
}

export type PriceService = ReturnType<typeof createPriceService>;
