import { Dec, isDecimalString, toPlain } from '../valuation/decimal.ts';
import { conversionFactor } from '../valuation/units.ts';

export interface QuantityValue {
  value: string;
  unit: string;
}

/** Everything known about one lot for one day, gathered by report-data.ts. */
export interface LotFacts {
  site: string;
  lotId: string;
  zone: string | null;
  /** The active receipt standing for the lot, when there is one. */
  receipt: { number: string; quantity: QuantityValue; verifiedQuantity: QuantityValue } | null;
  /** The newest `lot.verified` event before the day's end. */
  verified: { at: string; eventId: string; expected: number | null; present: number | null; missing: number | null; quantity: QuantityValue | null } | null;
  /** The newest `lot.state` before the day's end. */
  state: string | null;
  day: { moved: number; warnings: number; criticals: number; events: number };
  releases: { count: number; quantity: QuantityValue | null };
}

export interface ReportRow {
  site: string;
  lotId: string;
  zone: string | null;
  receiptNumber: string | null;
  state: string | null;
  expectedItems: number | null;
  presentItems: number | null;
  varianceItems: number | null;
  expectedQuantity: QuantityValue | null;
  verifiedQuantity: QuantityValue | null;
  varianceQuantity: QuantityValue | null;
  variancePercent: string | null;
  lastVerifiedAt: string | null;
  lastVerifiedEventId: string | null;
  movedEvents: number;
  releases: number;
  releasedQuantity: QuantityValue | null;
  warnings: number;
  criticals: number;
}

export interface DailyReport {
  kind: 'site' | 'facility';
  subject: string;
  date: string;
  timezone: string;
  from: string;
  to: string;
  generatedAt: string;
  rows: ReportRow[];
  totals: { lots: number; lotsWithVariance: number; lotsNotVerified: number; movedEvents: number; releases: number; warnings: number; criticals: number };
}

function asDec(q: QuantityValue | null): { dec: Dec; unit: string } | null {
  if (q === null || !isDecimalString(q.value)) return null;
  return { dec: new Dec(q.value), unit: q.unit };
}

/** `b` expressed in `a`'s unit, when the two are the same or convertible. */
function inUnitOf(unit: string, q: { dec: Dec; unit: string }): Dec | null {
  if (q.unit.toLowerCase() === unit.toLowerCase()) return q.dec;
  const conversion = conversionFactor(q.unit, unit);
  return conversion.ok ? q.dec.times(conversion.factor) : null;
}

/**
 * One row per lot: stock (what the gateway last verified), movements (doors and other
 * zones, completed releases) and variance (the receipt's face quantity against the
 * verified quantity; expected against present items). The verified quantity is the
 * gateway's own when it states one, else the receipt's as collateral last revalued it.
 */
export function reportRow(f: LotFacts): ReportRow {
  const verifiedQuantity = f.verified?.quantity ?? f.receipt?.verifiedQuantity ?? null;
  const expected = asDec(f.receipt?.quantity ?? null);
  const verified = asDec(verifiedQuantity);
  let varianceQuantity: QuantityValue | null = null;
  let variancePercent: string | null = null;
  if (expected !== null && verified !== null) {
    const v = inUnitOf(expected.unit, verified);
    if (v !== null) {
      const diff = expected.dec.minus(v);
      varianceQuantity = { value: toPlain(diff), unit: expected.unit };
      variancePercent = expected.dec.isZero() ? null : toPlain(diff.dividedBy(expected.dec).times(100).toDecimalPlaces(2));
    }
  }
  const expectedItems = f.verified?.expected ?? null;
  const presentItems = f.verified?.present ?? null;
  return {
    site: f.site,
    lotId: f.lotId,
    zone: f.zone,
    receiptNumber: f.receipt?.number ?? null,
    state: f.state,
    expectedItems,
    presentItems,
    varianceItems: expectedItems !== null && presentItems !== null ? expectedItems - presentItems : (f.verified?.missing ?? null),
    expectedQuantity: f.receipt?.quantity ?? null,
    verifiedQuantity,
    varianceQuantity,
    variancePercent,
    lastVerifiedAt: f.verified?.at ?? null,
    lastVerifiedEventId: f.verified?.eventId ?? null,
    movedEvents: f.day.moved,
    releases: f.releases.count,
    releasedQuantity: f.releases.quantity,
    warnings: f.day.warnings,
    criticals: f.day.criticals,
  };
}

function hasVariance(row: ReportRow): boolean {
  return (row.varianceQuantity !== null && !new Dec(row.varianceQuantity.value).isZero()) || (row.varianceItems !== null && row.varianceItems !== 0);
}

export function buildDailyReport(input: {
  kind: 'site' | 'facility';
  subject: string;
  date: string;
  timezone: string;
  from: Date;
  to: Date;
  generatedAt: Date;
  lots: readonly LotFacts[];
}): DailyReport {
  const rows = [...input.lots].sort((a, b) => a.site.localeCompare(b.site) || a.lotId.localeCompare(b.lotId)).map(reportRow);
  const sum = (pick: (r: ReportRow) => number): number => rows.reduce((acc, r) => acc + pick(r), 0);
  return {
    kind: input.kind,
    subject: input.subject,
    date: input.date,
    timezone: input.timezone,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    generatedAt: input.generatedAt.toISOString(),
    rows,
    totals: {
      lots: rows.length,
      lotsWithVariance: rows.filter(hasVariance).length,
      lotsNotVerified: rows.filter((r) => r.lastVerifiedAt === null).length,
      movedEvents: sum((r) => r.movedEvents),
      releases: sum((r) => r.releases),
      warnings: sum((r) => r.warnings),
      criticals: sum((r) => r.criticals),
    },
  };
}
