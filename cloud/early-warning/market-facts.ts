import type { PrismaClient } from '../db/generated/client.ts';
import type { EwmaState } from '../prices/ewma-volatility.ts';
import { loadCommodityTerms } from '../valuation/commodity-terms-repository.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import type { FacilityFacts } from './facility-rules.ts';
import { sigmaOf, type SeriesFacts, type SigmaEstimate } from './series-rules.ts';
import type { WarningRules } from './warning-rules.ts';

type DecimalLike = { toFixed(): string };

interface ExposureRow {
  id: string;
  reference: string;
  bank_tenant_id: string;
  currency: string;
  outstanding: DecimalLike;
  ltv_warning: DecimalLike;
  ltv_margin_call: DecimalLike;
  ltv_liquidation: DecimalLike;
  commodity: string;
  lv: DecimalLike;
}

export interface FacilityWithTenant extends FacilityFacts {
  readonly bankTenantId: string;
}

/** Reads what the rules need: series with their σ, and facilities with their lending value per commodity. */
export function createMarketFacts(prisma: PrismaClient, rules: () => WarningRules) {
  async function seriesFacts(commodity: string, currency: string, now: Date): Promise<SeriesFacts | undefined> {
    const row = await prisma.priceSeries.findUnique({ where: { commodity_currency: { commodity, currency } } });
    if (row === null) return undefined;
    const terms = await loadCommodityTerms(prisma, commodity);
    return { commodity, currency, classId: terms.classId, lastPrice: fromDb(row.lastPrice), lastTs: row.lastTs, ewma: row.ewma as unknown as EwmaState, now };
  }

  async function sigmas(pairs: readonly { commodity: string; currency: string }[]): Promise<Map<string, SigmaEstimate>> {
    const out = new Map<string, SigmaEstimate>();
    if (pairs.length === 0) return out;
    const commodities = [...new Set(pairs.map((p) => p.commodity))];
    const rows = await prisma.priceSeries.findMany({ where: { commodity: { in: commodities } }, select: { commodity: true, currency: true, ewma: true } });
    const stored = new Map(rows.map((r) => [`${r.commodity}/${r.currency}`, r.ewma as unknown as EwmaState] as const));
    for (const commodity of commodities) {
      const terms = await loadCommodityTerms(prisma, commodity);
      for (const p of pairs.filter((x) => x.commodity === commodity)) {
        const ewma = stored.get(`${commodity}/${p.currency}`);
        const sigma = ewma === undefined
          ? { sigmaDaily: rules().defaultSigmaDaily[terms.classId], returns: 0, basis: 'default' as const }
          : sigmaOf(ewma, terms.classId, rules());
        out.set(`${commodity}/${p.currency}`, sigma);
      }
    }
    return out;
  }

  /** Facilities holding the series (or the ones named), each with its lending value per commodity: one aggregate query. */
  async function facilityFacts(scope: { series: { commodity: string; currency: string } } | { ids: readonly string[] }): Promise<FacilityWithTenant[]> {
    const where = 'series' in scope
      ? 'f.id IN (SELECT DISTINCT facility_id FROM collateral_line WHERE commodity = $1 AND currency = $2)'
      : 'f.id = ANY($1::uuid[])';
    const params = 'series' in scope ? [scope.series.commodity, scope.series.currency] : [[...scope.ids]];
    const rows = await prisma.$queryRawUnsafe<ExposureRow[]>(
      `SELECT f.id::text AS id, f.reference, f.bank_tenant_id, f.currency, f.outstanding, f.ltv_warning, f.ltv_margin_call, f.ltv_liquidation,
              l.commodity, sum(l.lending_value) AS lv
       FROM facility f JOIN collateral_line l ON l.facility_id = f.id
       WHERE ${where}
       GROUP BY f.id, l.commodity
       ORDER BY f.id, l.commodity`,
      ...params,
    );
    const sigma = await sigmas([...new Map(rows.map((r) => [`${r.commodity}/${r.currency}`, { commodity: r.commodity, currency: r.currency }])).values()]);
    const byFacility = new Map<string, FacilityWithTenant>();
    for (const r of rows) {
      const exposure = { commodity: r.commodity, lendingValue: fromDb(r.lv), sigma: sigma.get(`${r.commodity}/${r.currency}`) ?? { sigmaDaily: '0', returns: 0, basis: 'default' as const } };
      const seen = byFacility.get(r.id);
      if (seen !== undefined) {
        byFacility.set(r.id, { ...seen, exposures: [...seen.exposures, exposure] });
        continue;
      }
      byFacility.set(r.id, {
        id: r.id,
        reference: r.reference,
        bankTenantId: r.bank_tenant_id,
        currency: r.currency,
        outstanding: fromDb(r.outstanding),
        thresholds: { warning: fromDb(r.ltv_warning), marginCall: fromDb(r.ltv_margin_call), liquidation: fromDb(r.ltv_liquidation) },
        exposures: [exposure],
      });
    }
    return [...byFacility.values()];
  }

  /** Banks with collateral in a series: they see its market cases. */
  async function banksHolding(commodity: string, currency: string): Promise<string[]> {
    const rows = await prisma.$queryRaw<{ bank_tenant_id: string }[]>`
      SELECT DISTINCT f.bank_tenant_id FROM facility f JOIN collateral_line l ON l.facility_id = f.id
      WHERE l.commodity = ${commodity} AND l.currency = ${currency} ORDER BY 1`;
    return rows.map((r) => r.bank_tenant_id);
  }

  return { seriesFacts, facilityFacts, banksHolding };
}

export type MarketFacts = ReturnType<typeof createMarketFacts>;
