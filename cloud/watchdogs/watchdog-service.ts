import type { PrismaClient } from '../db/generated/client.ts';
import type { MarketFacts } from '../early-warning/market-facts.ts';
import { stalePriceFinding } from '../early-warning/series-rules.ts';
import type { ScopedFinding, SinkOutcome, WarningSink } from '../early-warning/warning-sink.ts';
import type { WarningRules } from '../early-warning/warning-rules.ts';
import { gatewaySilenceFinding, lotUnverifiedFinding, type GatewayContactFacts } from './watchdog-rules.ts';

export interface WatchdogSettings {
  /** A gateway silent longer than this (unless it has its own interval) is a finding. */
  readonly gatewaySilenceMs: number;
  /** A pledged lot not verified for longer than this is a finding. */
  readonly lotVerifyMaxAgeMs: number;
}

interface GatewayRow {
  id: string;
  site_id: string;
  last_seen_at: Date;
  expected_interval_ms: number | null;
}

interface LotRow {
  site_id: string;
  lot_id: string;
  number: string;
  verified_at: Date | null;
  pledged_at: Date;
}

/**
 * What nobody reports by itself: a gateway that fell silent, a pledged lot nobody
 * verified, a price that stopped arriving. Run on a clock (cloud/jobs); each opens a case
 * whose severity grows with the silence and which resolves itself when the thing returns.
 */
export function createWatchdogs(deps: { prisma: PrismaClient; sink: WarningSink; facts: MarketFacts; rules: () => WarningRules; settings: WatchdogSettings }) {
  const { prisma } = deps;

  const gatewayFinding = (row: GatewayRow, now: Date): ScopedFinding => {
    const facts: GatewayContactFacts = { gatewayId: row.id, siteId: row.site_id, lastSeenAt: row.last_seen_at, expectedIntervalMs: row.expected_interval_ms ?? deps.settings.gatewaySilenceMs };
    return { finding: gatewaySilenceFinding(facts, now), scope: { tenants: [], source: 'ingestion', siteId: row.site_id, gatewayId: row.id, clearsItself: true } };
  };

  const gatewayRows = (only?: string): Promise<GatewayRow[]> =>
    prisma.$queryRawUnsafe<GatewayRow[]>(
      `SELECT g.id, g.site_id, COALESCE(c.last_seen_at, g.created_at) AS last_seen_at, c.expected_interval_ms
       FROM gateway g LEFT JOIN gateway_contact c ON c.gateway_id = g.id
       ${only === undefined ? '' : 'WHERE g.id = $1'} ORDER BY g.id`,
      ...(only === undefined ? [] : [only]),
    );

  async function lotFindings(now: Date): Promise<ScopedFinding[]> {
    const maxAge = deps.settings.lotVerifyMaxAgeMs;
    // Only lots past the limit, and those on record as overdue (to clear them): a site of
    // 100,000 verified lots costs an index range, not 100,000 evaluations a minute.
    const rows = await prisma.$queryRawUnsafe<LotRow[]>(
      `SELECT r.site_id, r.lot_id, r.number, r.verified_at, p.pledged_at
       FROM receipt r JOIN pledge p ON p.receipt_id = r.id AND p.status = 'active'
       WHERE r.status = 'pledged'
         AND (COALESCE(r.verified_at, p.pledged_at) < $1
              OR 'lot:' || r.site_id || '/' || r.lot_id IN (SELECT subject FROM warning_state WHERE rule = 'watchdog.lot_unverified' AND level <> 'clear'))`,
      new Date(now.getTime() - maxAge),
    );
    return rows.map((r) => ({
      finding: lotUnverifiedFinding({ siteId: r.site_id, lotId: r.lot_id, receiptNumber: r.number, lastVerifiedAt: r.verified_at ?? r.pledged_at, verifiedBefore: r.verified_at !== null, maxAgeMs: maxAge }, now),
      scope: { tenants: [], source: 'ingestion' as const, siteId: r.site_id, lotId: r.lot_id, clearsItself: true },
    }));
  }

  async function staleFindings(now: Date): Promise<ScopedFinding[]> {
    // Series that value collateral; a quote nobody lends against going quiet is no one's risk.
    const series = await prisma.$queryRaw<{ commodity: string; currency: string; last_price: { toFixed(): string }; last_ts: Date }[]>`
      SELECT s.commodity, s.currency, s.last_price, s.last_ts FROM price_series s
      WHERE EXISTS (SELECT 1 FROM collateral_line l WHERE l.commodity = s.commodity AND l.currency = s.currency)`;
    const out: ScopedFinding[] = [];
    for (const s of series) {
      const finding = stalePriceFinding({ commodity: s.commodity, currency: s.currency, lastPrice: s.last_price.toFixed(), lastTs: s.last_ts, now }, deps.rules());
      out.push({ finding, scope: { tenants: await deps.facts.banksHolding(s.commodity, s.currency), source: 'collateral', clearsItself: true } });
    }
    return out;
  }

  async function run(now: Date): Promise<SinkOutcome> {
    const findings = [...(await gatewayRows()).map((r) => gatewayFinding(r, now)), ...(await lotFindings(now)), ...(await staleFindings(now))];
    return deps.sink(findings, now);
  }

  /** A gateway was heard from: note it, and clear its silence at once rather than at the next run. */
  async function onGatewayContact(gatewayId: string, now: Date): Promise<void> {
    await prisma.$executeRaw`
      INSERT INTO gateway_contact (gateway_id, last_seen_at) VALUES (${gatewayId}, ${now})
      ON CONFLICT (gateway_id) DO UPDATE SET last_seen_at = GREATEST(gateway_contact.last_seen_at, EXCLUDED.last_seen_at)`;
    const raised = await prisma.warningState.findUnique({ where: { subject_rule: { subject: `gateway:${gatewayId}`, rule: 'watchdog.gateway_silent' } } });
    if (raised === null || raised.level === 'clear') return;
    await deps.sink((await gatewayRows(gatewayId)).map((r) => gatewayFinding(r, now)), now);
  }

  return { run, onGatewayContact };
}

export type Watchdogs = ReturnType<typeof createWatchdogs>;
