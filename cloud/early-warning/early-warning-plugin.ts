import { Type } from 'typebox';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/principal.ts';
import { createCaseNotifier } from '../alerts/case-notifier.ts';
import type { Database } from '../db/database.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { BANK_READERS } from '../risk/actor.ts';
import { interestPostingJob } from '../borrower/interest-job.ts';
import { startJobRunner, type IntervalJob, type JobRunner } from '../jobs/job-runner.ts';
import type { FeedConfig } from '../market-data/feed-config.ts';
import { createFeedPuller, type PullSummary } from '../market-data/feed-puller.ts';
import { marketDataPlugin } from '../market-data/market-data-plugin.ts';
import { notificationsPlugin } from '../notifications/notifications-plugin.ts';
import { marginCallsPlugin } from '../margin-calls/margin-calls-plugin.ts';
import { createCollateralLookup } from '../monitoring/collateral-lookup.ts';
import { createReportData } from '../monitoring/report-data.ts';
import { createReportSchedule } from '../scheduled-reports/report-schedule.ts';
import { storedReportsPlugin } from '../scheduled-reports/stored-reports-plugin.ts';
import { createTenantDirectory } from '../sites/tenant-directory.ts';
import { createPriceService } from '../prices/price-service.ts';
import { revalueSeries } from '../risk/revalue-series.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { createWatchdogs, type Watchdogs } from '../watchdogs/watchdog-service.ts';
import { loadEarlyWarningConfig, type EarlyWarningConfig } from './early-warning-config.ts';
import { createEarlyWarning, type EarlyWarning } from './early-warning-service.ts';
import { createFacilityTenants } from './facility-tenants.ts';
import { createMarketFacts } from './market-facts.ts';
import { createSerialQueue } from './serial-queue.ts';
import { createSystemResolver } from './system-resolve.ts';
import { createWarningSink, type WarningSink } from './warning-sink.ts';
import { DEFAULT_WARNING_RULES, type WarningRules } from './warning-rules.ts';

export interface EarlyWarningPluginOptions {
  db: Database;
  bus: DomainEventBus;
  now?: () => Date;
  config?: EarlyWarningConfig;
  /** The rules in force; the defaults with the configured staleness otherwise. */
  rules?: WarningRules;
}

export interface EarlyWarningHandle {
  readonly service: EarlyWarning;
  readonly sink: WarningSink;
  readonly rules: WarningRules;
  readonly watchdogs: Watchdogs;
  readonly jobs: JobRunner;
  /** Every evaluation queued so far has finished. */
  idle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    earlyWarning: EarlyWarningHandle;
  }
}

const OWNER = 'early-warning';
const REPORT_CHECK_MS = 15 * 60_000;
const CREDIT_EVENTS = new Set(['margin_call.expired', 'facility.frozen']);
// Bookkeeping that moves no figure: nothing for the rules to look at.
const NOT_FIGURES = new Set(['revaluation', 'margin_call.acknowledged']);

const WatchEntry = Type.Object({
  facilityId: Type.String(),
  reference: Type.String(),
  since: Type.String(),
  numbers: Type.Record(Type.String(), Type.Unknown()),
  caseId: Type.Union([Type.String(), Type.Null()]),
});

/** Early warning on market value (issue 22): rules evaluated on every tick and facility change. */
const plugin: FastifyPluginAsync<EarlyWarningPluginOptions> = async (fastify, options) => {
  const { db, bus } = options;
  const prisma = db.prisma;
  const now = options.now ?? (() => new Date());
  const config = options.config ?? loadEarlyWarningConfig({ JOB_POLL_MS: '0' });
  const rules = options.rules ?? rulesFor(config);
  const raise = fastify.monitoring.raise;
  const notifier = createCaseNotifier({ bus, live: fastify.monitoring.live });
  const sink = createWarningSink({ prisma, raise, resolve: createSystemResolver({ prisma, notifier }) });
  const facts = createMarketFacts(prisma, () => rules);
  const service = createEarlyWarning({ prisma, facts, sink, raise, rules: () => rules, facilityTenants: createFacilityTenants(prisma) });
  const watchdogs = createWatchdogs({ prisma, sink, facts, rules: () => rules, settings: config });
  const prices = createPriceService({ prisma, bus, revalue: revalueSeries, now });
  const pull = createFeedPuller({ prices, now });
  const lastPulls = new Map<string, PullSummary>();
  const queue = createSerialQueue((error) => fastify.log.error({ err: error }, 'early warning evaluation failed'));
  let last: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<unknown>): Promise<void> => (last = queue(task));

  bus.on('price.recorded', OWNER, (tick) => enqueue(() => service.onPriceRecorded(tick, now())));
  bus.on('gateway.events', OWNER, (batch) => enqueue(() => watchdogs.onGatewayContact(batch.gatewayId, now())));
  bus.on('collateral.changed', OWNER, (change) => {
    if (change.facilityId === null || NOT_FIGURES.has(change.reason)) return undefined;
    const facilityId = change.facilityId;
    if (CREDIT_EVENTS.has(change.reason)) return enqueue(() => service.onCreditEvent(change, now()));
    return enqueue(() => service.onFacilityChanged([facilityId], now()));
  });
  await fastify.register(notificationsPlugin, { prisma, live: fastify.monitoring.live, now, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, pollMs: config.jobPollMs });
  const collateral = createCollateralLookup(prisma, createTenantDirectory(prisma));
  const reports = createReportSchedule({
    prisma,
    collateral,
    data: createReportData(prisma, collateral),
    cutoffMinutes: config.reportCutoffMinutes,
    notify: (notice) => fastify.notifications.notify(notice),
  });
  const jobList: IntervalJob[] = [
    // Every 15 minutes: a site's report is made within 15 minutes after its cut-off.
    { name: 'daily-reports', intervalMs: REPORT_CHECK_MS, run: (at) => reports(at) },
    { name: 'watchdogs', intervalMs: config.watchdogIntervalMs, run: (at) => enqueue(() => watchdogs.run(at)) },
    // Monthly interest of every facility, posted the day after each month ends (issue 23).
    interestPostingJob({ prisma }),
    ...config.feeds.map((feed) => ({
      name: `feed:${feed.name}`,
      intervalMs: feed.intervalMs,
      run: async () => {
        const summary = await pull(feed);
        lastPulls.set(feed.name, summary);
        if (summary.error !== null) fastify.log.warn({ feed: feed.name, error: summary.error }, 'price feed pull failed');
      },
    })),
  ];
  const jobs = startJobRunner({ prisma, jobs: jobList, now, pollMs: config.jobPollMs, log: fastify.log });
  fastify.addHook('onClose', async () => {
    await jobs.stop();
    bus.removeOwner(OWNER);
    await last;
  });
  fastify.decorate('earlyWarning', { service, sink, rules, watchdogs, jobs, idle: () => last } satisfies EarlyWarningHandle);
  await fastify.register(marginCallsPlugin, { prisma, bus, now });
  await fastify.register(storedReportsPlugin, { prisma, defaultCutoffMinutes: config.reportCutoffMinutes });
  await fastify.register(marketDataPlugin, { prices, feeds: config.feeds, pull, lastPulls, marketDataToken: config.marketDataToken });

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['early-warning']);
  app.get(
    '/api/v1/early-warning/watch-list',
    {
      onRequest: fastify.requireRole(...BANK_READERS),
      schema: docs(
        "Facilities on the watch list: below their margin-call level today, at or above it after a one-day 99 % adverse move",
        { response: { 200: Type.Object({ items: Type.Array(WatchEntry) }) } },
        [403],
      ),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const rows = await prisma.warningState.findMany({
        where: { rule: 'facility.watch_list', level: 'watch', ...(tenant === undefined ? {} : { tenantId: tenant }) },
        orderBy: { since: 'asc' },
      });
      return {
        items: rows.map((r) => ({
          facilityId: r.subject.replace(/^facility:/, ''),
          reference: String((r.numbers as Record<string, unknown>).reference ?? ''),
          since: r.since.toISOString(),
          numbers: r.numbers as Record<string, unknown>,
          caseId: r.caseId,
        })),
      };
    },
  );
  app.get(
    '/api/v1/early-warning/rules',
    { onRequest: fastify.requireRole(...BANK_READERS), schema: docs('The early-warning rules in force (thresholds and severities)', { response: { 200: Type.Record(Type.String(), Type.Unknown()) } }, [403]) },
    async () => rules as unknown as Record<string, unknown>,
  );
};

/**
 * The configured staleness: a series fed by a scheduled feed is expected every two pulls
 * (one missed pull is tolerated, since a quote's own time lags the pull), others within
 * PRICE_STALE_MS.
 */
export function rulesFor(config: Pick<EarlyWarningConfig, 'priceStaleMs' | 'feeds'>, base: WarningRules = DEFAULT_WARNING_RULES): WarningRules {
  const intervalMs: Record<string, number> = {};
  for (const feed of config.feeds as readonly FeedConfig[]) {
    for (const symbol of Object.values(feed.symbols)) {
      const commodity = normaliseCommodity(symbol);
      if (commodity !== undefined) intervalMs[commodity] = Math.min(intervalMs[commodity] ?? Infinity, 2 * feed.intervalMs);
    }
  }
  return { ...base, stalePrice: { ...base.stalePrice, defaultIntervalMs: config.priceStaleMs, intervalMs } };
}

export const earlyWarningPlugin = fp(plugin, { name: 'early-warning', dependencies: ['monitoring'] });
