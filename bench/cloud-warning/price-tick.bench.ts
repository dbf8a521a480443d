// Early-warning benchmark: `npx tsx bench/cloud-warning/price-tick.bench.ts`.
// A copper tick moves 100,000 pledged receipts in 1,000 facilities; measured side by
// side in one run: the bare revaluation (price service: tick, EWMA, every line and
// facility figure, margin calls, commit) against the same tick followed by the
// evaluation of every early-warning rule (series: k·σ move, volatility jump; every
// facility: LTV level and the one-day 99 % forward look), with the rule states loaded and
// the cases of whatever changed opened. Issue 22 target: under 1 s on PostgreSQL.
// PostgreSQL when DATABASE_URL is set; PGlite otherwise at a tenth of the size (an
// in-memory PGlite of 100,000 receipts measures the embedded engine, not the design).
// BENCH_SCALE scales both. The last line printed is a JSON summary.
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../infra/logger.ts';
import { createCaseNotifier } from '../../cloud/alerts/case-notifier.ts';
import { createCaseOpener } from '../../cloud/alerts/case-opener.ts';
import { DEFAULT_SLA } from '../../cloud/alerts/case-sla.ts';
import { createDomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import { createEarlyWarning } from '../../cloud/early-warning/early-warning-service.ts';
import { createFacilityTenants } from '../../cloud/early-warning/facility-tenants.ts';
import { createMarketFacts } from '../../cloud/early-warning/market-facts.ts';
import { createSystemResolver } from '../../cloud/early-warning/system-resolve.ts';
import { createWarningSink } from '../../cloud/early-warning/warning-sink.ts';
import { DEFAULT_WARNING_RULES } from '../../cloud/early-warning/warning-rules.ts';
import { createLiveHub } from '../../cloud/live/live-hub.ts';
import { createPriceService } from '../../cloud/prices/price-service.ts';
import { revalueSeries } from '../../cloud/risk/revalue-series.ts';
import { createTenantDirectory } from '../../cloud/sites/tenant-directory.ts';
import { benchScale, median, openBenchDatabase } from '../cloud/bench-database.ts';
import { seed } from '../cloud/revaluation.bench.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function run(options: { log?: (line: string) => void; rounds?: number } = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const postgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
  const receipts = Math.max(1_000, Math.round((postgres ? 100_000 : 10_000) * benchScale()));
  const facilities = Math.ceil(receipts / 100);
  const rounds = options.rounds ?? 5;
  const db = await openBenchDatabase();
  try {
    const quiet = createLogger('bench', { level: 'silent' });
    const bus = createDomainEventBus(quiet);
    const prisma = db.prisma;
    const prices = createPriceService({ prisma, bus, revalue: revalueSeries });
    const rules = () => DEFAULT_WARNING_RULES;
    const now = () => new Date();
    const notifier = createCaseNotifier({ bus, live: createLiveHub() });
    const raise = createCaseOpener({ prisma, directory: createTenantDirectory(prisma), notifier, now, sla: DEFAULT_SLA });
    const sink = createWarningSink({ prisma, raise, resolve: createSystemResolver({ prisma, notifier }) });
    const warning = createEarlyWarning({ prisma, facts: createMarketFacts(prisma, rules), sink, raise, rules, facilityTenants: createFacilityTenants(prisma) });
    const actor = 'system:bench';
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    // A month of closes, so σ is estimated and the forward look uses it.
    for (let i = 0; i < 30; i += 1) {
      await prices.recordTick({ commodity: 'copper', price: String(8000 + (i % 2 === 0 ? 120 : -120)), currency: 'USD', unit: 't', ts: new Date(today - (30 - i) * DAY + 16 * HOUR), source: 'bench' }, actor);
    }
    log(`seeding ${receipts.toLocaleString('en')} pledged receipts in ${facilities} facilities on ${db.kind}`);
    await seed(db.sql, receipts, facilities);
    const key = { commodity: 'copper', currency: 'USD' };

    // The first evaluation finds every facility already past a level and opens its case; later ticks only what moved.
    const warmStarted = performance.now();
    const warm = await warning.onPriceRecorded(key, now());
    log(`first evaluation: ${warm.findings} findings, ${warm.raised} cases opened in ${(performance.now() - warmStarted).toFixed(0)} ms`);

    const bare: number[] = [];
    const full: number[] = [];
    const evaluate: number[] = [];
    let opened = 0;
    let findings = 0;
    for (let round = 0; round < rounds; round += 1) {
      const at = (k: number) => new Date(today + 9 * HOUR + (2 * round + k) * 60_000);
      const price = (k: number) => String(7900 + ((round * 37 + k * 11) % 200));
      const measures = [
        async () => {
          const started = performance.now();
          await prices.recordTick({ ...key, price: price(0), unit: 't', ts: at(0), source: 'bench' }, actor);
          bare.push(performance.now() - started);
        },
        async () => {
          const started = performance.now();
          await prices.recordTick({ ...key, price: price(1), unit: 't', ts: at(1), source: 'bench' }, actor);
          const evaluated = performance.now();
          const outcome = await warning.onPriceRecorded(key, now());
          full.push(performance.now() - started);
          evaluate.push(performance.now() - evaluated);
          opened += outcome.raised;
          findings = outcome.findings;
        },
      ];
      for (const measure of round % 2 === 0 ? measures : measures.reverse()) await measure();
      log(`round ${round + 1}: revaluation ${bare.at(-1)?.toFixed(0)} ms; revaluation + rules ${full.at(-1)?.toFixed(0)} ms (rules ${evaluate.at(-1)?.toFixed(0)} ms, ${findings} findings, ${opened} cases opened so far)`);
    }
    const tickMs = Math.round(median(full));
    const bareMs = Math.round(median(bare));
    const summary = {
      bench: 'cloud-warning-price-tick',
      database: db.kind,
      receipts,
      facilities,
      rounds,
      tickWithRulesMs: tickMs,
      bareRevaluationMs: bareMs,
      rulesMs: Math.round(median(evaluate)),
      ratio: Math.round((tickMs / bareMs) * 100) / 100,
      findingsPerTick: findings,
      casesOpenedInRounds: opened,
      firstEvaluation: { findings: warm.findings, casesOpened: warm.raised },
      target: { tickWithRulesMs: 1000 },
      met: { underOneSecond: tickMs < 1000 },
    };
    log(JSON.stringify(summary));
    return summary;
  } finally {
    await db.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
