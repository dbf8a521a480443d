import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import type { CollateralLookup } from '../monitoring/collateral-lookup.ts';
import { buildDailyReport } from '../monitoring/daily-report.ts';
import type { ReportData } from '../monitoring/report-data.ts';
import { localDay, zonedTime } from '../monitoring/zoned-day.ts';
import { reportNotice, type Notice } from '../notifications/notice.ts';

export interface ScheduledReportDeps {
  readonly prisma: PrismaClient;
  readonly collateral: CollateralLookup;
  readonly data: ReportData;
  /** Minutes after local midnight at which a bank's day closes, unless the bank set its own. */
  readonly cutoffMinutes: number;
  readonly notify: (notice: Notice) => Promise<void>;
}

/**
 * The daily stock, movement and variance report of every bank at every site where it
 * holds pledged goods, made once the site's local day reaches the cut-off (covering that
 * day from midnight to the cut-off), stored, and announced to the bank's report
 * subscribers. Run by the job runner; a report already stored for a bank, site and day is
 * not made again, so a late or repeated run changes nothing.
 */
export function createReportSchedule(deps: ScheduledReportDeps) {
  return async function run(now: Date): Promise<number> {
    const pairs = await deps.prisma.$queryRaw<{ bank: string; site: string; timezone: string; cutoff_minutes: number | null }[]>`
      SELECT DISTINCT r.holder_tenant_id AS bank, r.site_id AS site, s.timezone, t.report_cutoff_minutes AS cutoff_minutes
      FROM receipt r JOIN site s ON s.id = r.site_id JOIN tenant t ON t.id = r.holder_tenant_id
      WHERE r.status IN ('pledged', 'called') AND r.holder_tenant_id IS NOT NULL ORDER BY 1, 2`;
    let made = 0;
    for (const { bank, site, timezone, cutoff_minutes } of pairs) {
      const day = localDay(now, timezone);
      const cutoff = zonedTime(day, timezone, (cutoff_minutes ?? deps.cutoffMinutes) * 60_000);
      if (now.getTime() < cutoff.getTime()) continue;
      const exists = await deps.prisma.storedReport.findUnique({ where: { tenantId_siteId_day: { tenantId: bank, siteId: site, day } } });
      if (exists !== null) continue;
      const from = zonedTime(day, timezone);
      const receipts = await deps.collateral.receiptsAtSite(site, bank);
      const facts = await deps.data.siteFacts(site, from, cutoff, receipts, receipts.map((r) => r.lotId));
      const report = buildDailyReport({ kind: 'site', subject: site, date: day, timezone, from, to: cutoff, generatedAt: now, lots: facts });
      const id = randomUUID();
      const created = await deps.prisma.storedReport.createMany({ data: [{ id, tenantId: bank, siteId: site, day, generatedAt: now, body: report as unknown as Prisma.InputJsonValue }], skipDuplicates: true });
      if (created.count === 0) continue;
      made += 1;
      await deps.notify(reportNotice({ tenantId: bank, site, day, reportId: id, lots: report.totals.lots, lotsWithVariance: report.totals.lotsWithVariance }));
    }
    return made;
  };
}
