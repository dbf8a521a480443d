import { checkEvidence, type EvidenceOf } from '../../protocol/index.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import type { CollateralLookup, ReceiptOnLot } from './collateral-lookup.ts';
import type { LotFacts, QuantityValue } from './daily-report.ts';

// A lot not verified for a week shows as "not verified" rather than with stale stock:
// gateways verify every lot many times a day, so silence that long is itself a finding.
const LOOKBACK_MS = 7 * 86_400_000;

interface LatestRow {
  lot_id: string;
  zone: string | null;
  id: string;
  ts: Date;
  evidence: unknown;
}

interface DayRow {
  lot_id: string;
  moved: number;
  warnings: number;
  criticals: number;
  events: number;
}

/**
 * Stored evidence, typed; null for an event marked at ingestion (evidence_error) or
 * stored before evidence was checked, whose evidence does not fit its type.
 */
function evidenceOf<T extends 'lot.verified' | 'lot.state'>(type: T, evidence: unknown): EvidenceOf<T> | null {
  const checked = checkEvidence(type, evidence);
  return checked.ok ? checked.value : null;
}

/** Gathers the facts of a daily report from the event log and the collateral tables. */
export function createReportData(prisma: PrismaClient, collateral: CollateralLookup) {
  const latest = (type: string, site: string, to: Date): Promise<LatestRow[]> =>
    prisma.$queryRawUnsafe<LatestRow[]>(
      `SELECT DISTINCT ON (lot_id) lot_id, zone, id::text AS id, ts, body->'evidence' AS evidence
       FROM event WHERE site = $1 AND type = $2 AND lot_id IS NOT NULL AND ts < $3 AND ts >= $4 AND evidence_error IS NULL
       ORDER BY lot_id, ts DESC, id DESC`,
      site,
      type,
      to,
      new Date(to.getTime() - LOOKBACK_MS),
    );

  const dayCounts = (site: string, from: Date, to: Date): Promise<DayRow[]> =>
    prisma.$queryRawUnsafe<DayRow[]>(
      `SELECT lot_id,
              count(*) FILTER (WHERE type = 'tags.moved')::int AS moved,
              count(*) FILTER (WHERE severity = 'warning')::int AS warnings,
              count(*) FILTER (WHERE severity = 'critical')::int AS criticals,
              count(*)::int AS events
       FROM event WHERE site = $1 AND ts >= $2 AND ts < $3 AND lot_id IS NOT NULL GROUP BY lot_id`,
      site,
      from,
      to,
    );

  /**
   * Facts for the lots of one site over [from, to): `lots` limits them (a bank's own),
   * 'all' takes every lot with a receipt or an event there.
   */
  async function siteFacts(site: string, from: Date, to: Date, receipts: readonly ReceiptOnLot[], lots: readonly string[] | 'all'): Promise<LotFacts[]> {
    const [verified, states, counts, releases] = await Promise.all([
      latest('lot.verified', site, to),
      latest('lot.state', site, to),
      dayCounts(site, from, to),
      collateral.releases([site], from, to),
    ]);
    const allowed = (lotId: string): boolean => lots === 'all' || lots.includes(lotId);
    const lotIds = new Set<string>([...receipts.map((r) => r.lotId), ...(lots === 'all' ? [] : lots)]);
    if (lots === 'all') for (const row of [...verified, ...states, ...counts]) lotIds.add(row.lot_id);
    const byLot = <T extends { lot_id: string }>(rows: T[]) => new Map(rows.map((r) => [r.lot_id, r]));
    const v = byLot(verified);
    const s = byLot(states);
    const c = byLot(counts);
    const rel = new Map(releases.map((r) => [r.lotId, r]));
    const receiptByLot = new Map(receipts.map((r) => [r.lotId, r]));
    return [...lotIds].filter(allowed).map((lotId): LotFacts => {
      const ver = v.get(lotId);
      const evidence = ver ? evidenceOf('lot.verified', ver.evidence) : null;
      const state = evidenceOf('lot.state', s.get(lotId)?.evidence)?.state ?? null;
      const receipt = receiptByLot.get(lotId);
      const day = c.get(lotId);
      const release = rel.get(lotId);
      return {
        site,
        lotId,
        zone: ver?.zone ?? s.get(lotId)?.zone ?? null,
        receipt: receipt ? { number: receipt.number, quantity: receipt.quantity, verifiedQuantity: receipt.verifiedQuantity } : null,
        verified:
          ver && evidence
            ? { at: new Date(ver.ts).toISOString(), eventId: ver.id, expected: evidence.expected, present: evidence.present, missing: evidence.missing, quantity: evidence.verifiedQuantity ? { ...evidence.verifiedQuantity } : null }
            : null,
        state,
        day: { moved: day?.moved ?? 0, warnings: day?.warnings ?? 0, criticals: day?.criticals ?? 0, events: day?.events ?? 0 },
        releases: { count: release?.count ?? 0, quantity: release?.quantity ?? null },
      };
    });
  }

  /** The newest verified quantity of a lot as the gateway stated it (for inspections). */
  async function lastVerified(site: string, lotId: string, before: Date): Promise<{ quantity: QuantityValue | null; present: number | null; eventId: string } | null> {
    const rows = await prisma.$queryRawUnsafe<{ id: string; evidence: unknown }[]>(
      `SELECT id::text AS id, body->'evidence' AS evidence FROM event
       WHERE lot_id = $1 AND site = $2 AND type = 'lot.verified' AND ts < $3 AND evidence_error IS NULL ORDER BY ts DESC, id DESC LIMIT 1`,
      lotId,
      site,
      before,
    );
    const row = rows[0];
    if (row === undefined) return null;
    const evidence = evidenceOf('lot.verified', row.evidence);
    return { quantity: evidence?.verifiedQuantity ? { ...evidence.verifiedQuantity } : null, present: evidence?.present ?? null, eventId: row.id };
  }

  return { siteFacts, lastVerified };
}

export type ReportData = ReturnType<typeof createReportData>;
