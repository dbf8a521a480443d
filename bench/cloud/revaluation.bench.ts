// Price-tick revaluation benchmark: `npx tsx bench/cloud/revaluation.bench.ts`.
// One copper tick moves every pledged receipt (100,000, spread over 1,000 facilities);
// the time from POST-equivalent (price service) to commit, with every line and facility
// figure and margin call persisted, is compared with one plain SQL UPDATE of the same
// collateral_line rows in the same run. Issue 7 targets: under 1 s on PostgreSQL and
// within 3x of that UPDATE. PostgreSQL when DATABASE_URL is set, PGlite otherwise;
// BENCH_SCALE=small runs a tenth. The last line printed is a JSON summary.
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../infra/logger.ts';
import { createDomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import { createPriceService } from '../../cloud/prices/price-service.ts';
import { revalueSeries } from '../../cloud/risk/revalue-series.ts';
import type { SqlExecutor } from '../../cloud/db/sql-executor.ts';
import { benchScale, median, openBenchDatabase } from './bench-database.ts';

export interface RevaluationBenchOptions {
  readonly receipts?: number;
  readonly receiptsPerFacility?: number;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

export interface RevaluationBenchSummary {
  readonly bench: 'cloud-revaluation';
  readonly database: 'pglite' | 'postgresql';
  readonly receipts: number;
  readonly facilities: number;
  readonly rounds: number;
  /** Median wall time of one tick: insert, EWMA, revalue every line and facility, margin calls, audit, commit. */
  readonly tickMs: number;
  /** Median wall time of `UPDATE collateral_line SET price = …` over the same rows, in its own transaction. */
  readonly baselineUpdateMs: number;
  readonly ratio: number;
  readonly linesRevalued: number;
  readonly facilitiesUpdated: number;
  readonly marginCallsOpened: number;
  readonly marginCallsCured: number;
  readonly targets: { readonly tickMs: 1000; readonly ratio: 3 };
  readonly met: { readonly underOneSecond: boolean; readonly withinRatio: boolean };
}

const DAY = 86_400_000;

export async function run(options: RevaluationBenchOptions = {}): Promise<RevaluationBenchSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const receipts = options.receipts ?? Math.max(1_000, Math.round(100_000 * benchScale()));
  const perFacility = options.receiptsPerFacility ?? 100;
  const facilities = Math.ceil(receipts / perFacility);
  const rounds = options.rounds ?? 5;
  const db = await openBenchDatabase();
  try {
    const bus = createDomainEventBus(createLogger('bench', { level: 'silent' }));
    const prices = createPriceService({ prisma: db.prisma, bus, revalue: revalueSeries });
    const actor = 'system:bench';
    // Price history first (three daily closes), so the haircut is the volatility's.
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    for (const [i, price] of ['8000', '8120', '7990'].entries()) {
      await prices.recordTick({ commodity: 'copper', price, currency: 'USD', unit: 't', ts: new Date(today - (3 - i) * DAY + 16 * 3_600_000), source: 'bench' }, actor);
    }
    log(`seeding ${receipts.toLocaleString('en')} pledged receipts in ${facilities} facilities on ${db.kind}`);
    const seedStarted = Date.now();
    await seed(db.sql, receipts, facilities);
    log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const tickTimes: number[] = [];
    const updateTimes: number[] = [];
    let last = { lines: 0, facilities: 0, opened: 0, cured: 0 };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always meets a colder cache.
      const price = (7900 + ((round * 37) % 200)).toString();
      const measures = [
        async () => {
          const started = performance.now();
          await db.sql.transaction((tx) => tx.query(`UPDATE collateral_line SET price = $1::numeric, valued_at = now() WHERE commodity = 'copper' AND currency = 'USD'`, [price]));
          updateTimes.push(performance.now() - started);
        },
        async () => {
          const started = performance.now();
          const outcome = await prices.recordTick({ commodity: 'copper', price, currency: 'USD', unit: 't', ts: new Date(today + 9 * 3_600_000 + round * 60_000), source: 'bench' }, actor);
          tickTimes.push(performance.now() - started);
          const r = outcome.revaluation;
          last = { lines: r?.lines ?? 0, facilities: r?.facilities ?? 0, opened: last.opened + (r?.marginCalls.opened ?? 0), cured: last.cured + (r?.marginCalls.cured ?? 0) };
        },
      ];
      for (const measure of round % 2 === 0 ? measures : measures.reverse()) await measure();
      log(`round ${round + 1} at ${price}: tick ${tickTimes.at(-1)?.toFixed(0)} ms (${last.lines} lines, ${last.facilities} facilities; margin calls so far ${last.opened} opened, ${last.cured} cured), UPDATE ${updateTimes.at(-1)?.toFixed(0)} ms`);
    }
    const tickMs = Math.round(median(tickTimes));
    const baselineUpdateMs = Math.round(median(updateTimes));
    const ratio = Math.round((tickMs / baselineUpdateMs) * 100) / 100;
    const summary: RevaluationBenchSummary = {
      bench: 'cloud-revaluation',
      database: db.kind,
      receipts,
      facilities,
      rounds,
      tickMs,
      baselineUpdateMs,
      ratio,
      linesRevalued: last.lines,
      facilitiesUpdated: last.facilities,
      marginCallsOpened: last.opened,
      marginCallsCured: last.cured,
      targets: { tickMs: 1000, ratio: 3 },
      met: { underOneSecond: tickMs < 1000, withinRatio: ratio <= 3 },
    };
    log(JSON.stringify(summary));
    return summary;
  } finally {
    await db.close();
  }
}

/**
 * Bulk rows through SQL: one bank, one warehouse, N receipts of 50–149 t of copper at
 * grade 1, each pledged to facility i mod F, with its collateral line valued at the
 * current price (unit value = quantity: grade 1, no shrinkage, priced per t). Facilities
 * are drawn to between 60 % and 84 % of their lending value, so the ticks' small moves
 * take a few of them across the margin-call threshold and back (calls opened and cured).
 */
export async function seed(sql: SqlExecutor, receipts: number, facilities: number): Promise<void> {
  await sql.exec(`
    INSERT INTO tenant (id, name, kind) VALUES ('bench-bank', 'Bench bank', 'bank'), ('bench-wh', 'Bench warehouse', 'warehouse_operator');
    INSERT INTO site (id, tenant_id, name) VALUES ('bench-site', 'bench-wh', 'Bench site');`);
  await sql.query(
    `INSERT INTO facility (id, bank_tenant_id, reference, borrower_ref, borrower_name, currency, limit_amount, valid_from, valid_until,
       annual_rate, day_count, ltv_warning, ltv_margin_call, ltv_liquidation, cure_period_seconds, created_by)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(f), 12, '0'))::uuid, 'bench-bank', 'F-' || f, 'B-' || f, 'Borrower ' || f, 'USD',
       100000000, now() - interval '1 day', now() + interval '365 days', 0.08, 'ACT/360', 0.8, 0.85, 0.9, 172800, 'bench'
     FROM generate_series(0, $1::int - 1) AS f`,
    [facilities],
  );
  await sql.query(
    `INSERT INTO receipt (id, number, issuer_tenant_id, site_id, zone, lot_id, commodity, grade, quantity, original_quantity, unit,
       verified_quantity, depositor_ref, depositor_name, status, holder_tenant_id, valid_from, valid_until)
     SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'R-' || i, 'bench-wh', 'bench-site', 'Z', 'L-' || i, 'copper', 'A',
       50 + i % 100, 50 + i % 100, 't', 50 + i % 100, 'B-' || (i % $2::int), 'Borrower', 'pledged', 'bench-bank', now() - interval '1 day', now() + interval '365 days'
     FROM generate_series(0, $1::int - 1) AS i`,
    [receipts, facilities],
  );
  await sql.query(
    `INSERT INTO pledge (id, receipt_id, facility_id, bank_tenant_id, status, pledged_at, pledged_by)
     SELECT ('20000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(i % $2::int), 12, '0'))::uuid, 'bench-bank', 'active', now(), 'bench'
     FROM generate_series(0, $1::int - 1) AS i`,
    [receipts, facilities],
  );
  await sql.query(
    `INSERT INTO collateral_line (pledge_id, receipt_id, facility_id, commodity, currency, advance_rate, price_unit, unit_value, price, haircut,
       collateral_value, lending_value, valued_at)
     SELECT p.id, p.receipt_id, p.facility_id, 'copper', 'USD', 0.7, 't', r.verified_quantity, s.last_price, s.haircut,
       r.verified_quantity * s.last_price, round(r.verified_quantity * s.last_price * (1 - s.haircut), 12), now()
     FROM pledge p JOIN receipt r ON r.id = p.receipt_id CROSS JOIN price_series s WHERE s.commodity = 'copper' AND s.currency = 'USD'`,
  );
  await sql.exec(`
    UPDATE facility f SET lending_value = a.lv, collateral_value = a.cv, outstanding = round(a.lv * (0.6 + (substring(f.reference FROM 3)::int % 25) / 100.0), 2)
    FROM (SELECT facility_id, sum(lending_value) AS lv, sum(collateral_value) AS cv FROM collateral_line GROUP BY facility_id) a
    WHERE f.id = a.facility_id;
    ANALYZE receipt; ANALYZE collateral_line; ANALYZE facility; ANALYZE pledge;`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
