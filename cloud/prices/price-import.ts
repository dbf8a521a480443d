import type { PrismaClient } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import type { RevaluationSummary } from '../risk/revalue-series.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { loadCommodityTerms } from '../valuation/commodity-terms-repository.ts';
import { canonicalUnit } from '../valuation/units.ts';
import type { PriceCsvResult } from './price-csv.ts';
import { ewmaFromCloses, priceInSeriesUnit, seriesRisk, type SeriesSnapshot } from './price-series.ts';
import { dailyCloses, insertTicks, lockSeries, saveSeries, type StoredTick } from './price-store.ts';
import type { BadRowReason, PriceTick } from './price-tick.ts';
import type { Revalue } from './price-service.ts';

// Bad rows found after parsing, on top of price-row.ts's reasons.
export type ImportBadRowReason = 'bad_commodity' | 'unit_mismatch';

export interface ImportBadRow {
  readonly line: number;
  readonly reason: BadRowReason | ImportBadRowReason;
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

export interface ImportedSeries {
  readonly commodity: string;
  readonly currency: string;
  readonly unit: string;
  readonly imported: number;
  readonly duplicates: number;
  readonly lastPrice: string;
  readonly sigmaDaily: string | null;
  readonly haircut: string;
}

export interface ImportSummary {
  readonly rowsRead: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly badRowCount: number;
  readonly badRows: readonly ImportBadRow[];
  readonly series: readonly ImportedSeries[];
  readonly revaluations: readonly RevaluationSummary[];
}

export type ImportProgress = (done: { series: number; of: number; ticks: number }) => void;

export interface PriceImportDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly revalue: Revalue;
  readonly now?: () => Date;
}

const MAX_REPORTED = 1000;

/**
 * Stores what price-csv.ts parsed: ticks grouped by series, each series in one
 * transaction that inserts its ticks (duplicates of stored ticks are skipped), rebuilds
 * its EWMA from the stored daily closes (an import may reach into the past, where
 * folding tick by tick would drop the older ticks as late) and revalues its receipts.
 */
export function createPriceImporter(deps: PriceImportDeps) {
  const now = deps.now ?? (() => new Date());
  return async function importParsed(parsed: PriceCsvResult, options: { actor: string; source?: string; onProgress?: ImportProgress }): Promise<ImportSummary> {
    const badRows: ImportBadRow[] = [...parsed.badRows];
    let badRowCount = parsed.badRowCount;
    const reject = (row: ImportBadRow): void => {
      badRowCount += 1;
      if (badRows.length < MAX_REPORTED) badRows.push(row);
    };
    const groups = new Map<string, { commodity: string; currency: string; ticks: PriceTick[] }>();
    for (const tick of parsed.ticks) {
      const commodity = normaliseCommodity(tick.commodity);
      if (commodity === undefined) {
        reject({ line: tick.line ?? 0, reason: 'bad_commodity', column: 'commodity', value: tick.commodity, message: `"${tick.commodity}" is not a commodity code (letters, digits, spaces, _ or -)` });
        continue;
      }
      const key = `${commodity}\u0000${tick.currency}`;
      const group = groups.get(key) ?? { commodity, currency: tick.currency, ticks: [] };
      group.ticks.push(tick);
      groups.set(key, group);
    }

    const series: ImportedSeries[] = [];
    const revaluations: RevaluationSummary[] = [];
    let done = 0;
    let ticksDone = 0;
    for (const { commodity, currency, ticks } of groups.values()) {
      const at = now();
      const result = await inUnitOfWork(deps, async (tx, events) => {
        await lockSeries(tx, commodity, currency);
        const terms = await loadCommodityTerms(tx, commodity);
        const existing = await tx.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency } } });
        const firstUnit = ticks.find((t) => t.unit !== undefined)?.unit;
        const unit = existing?.unit ?? canonicalUnit(firstUnit ?? terms.priceUnit) ?? 't';
        const stored: StoredTick[] = [];
        for (const tick of ticks) {
          const converted = priceInSeriesUnit(tick.price, tick.unit, unit, terms.densityKgPerM3);
          if (!converted.ok) {
            reject({ line: tick.line ?? 0, reason: 'unit_mismatch', column: 'unit', ...(tick.unit === undefined ? {} : { value: tick.unit }), message: converted.message });
            continue;
          }
          stored.push({
            price: converted.price,
            unit,
            quotedPrice: converted.quoted?.price ?? null,
            quotedUnit: converted.quoted?.unit ?? null,
            ts: tick.ts,
            source: tick.source ?? options.source ?? 'csv',
          });
        }
        const imported = await insertTicks(tx, commodity, currency, stored);
        if (imported === 0 && existing === null) return undefined;
        const { closes, count } = await dailyCloses(tx, commodity, currency);
        const last = closes[closes.length - 1];
        if (last === undefined) return undefined;
        const snapshot: SeriesSnapshot = {
          commodity,
          currency,
          unit,
          lastPrice: last.price,
          lastTs: last.at,
          ewma: ewmaFromCloses(closes, terms.ewmaLambda),
          tickCount: count,
        };
        const risk = seriesRisk(snapshot.ewma, terms);
        await saveSeries(tx, snapshot, risk, at);
        const revaluation = imported > 0 ? await deps.revalue(tx, { commodity, currency }, { now: at, actor: options.actor, events }) : null;
        return {
          series: {
            commodity,
            currency,
            unit,
            imported,
            duplicates: stored.length - imported,
            lastPrice: snapshot.lastPrice,
            sigmaDaily: risk.sigmaDaily,
            haircut: risk.haircut.haircut,
          },
          revaluation,
          lastTs: snapshot.lastTs,
        };
      });
      if (result !== undefined && result.series.imported > 0) {
        deps.bus.emit('price.recorded', { commodity, currency, ts: result.lastTs.toISOString(), source: options.source ?? 'csv' });
      }
      done += 1;
      ticksDone += ticks.length;
      if (result !== undefined) {
        series.push(result.series);
        if (result.revaluation !== null) revaluations.push(result.revaluation);
      }
      options.onProgress?.({ series: done, of: groups.size, ticks: ticksDone });
    }
    badRows.sort((a, b) => a.line - b.line);
    return {
      rowsRead: parsed.rowsDone,
      imported: series.reduce((n, s) => n + s.imported, 0),
      duplicates: series.reduce((n, s) => n + s.duplicates, 0),
      badRowCount,
      badRows,
      series,
      revaluations,
    };
  };
}

export type PriceImporter = ReturnType<typeof createPriceImporter>;
