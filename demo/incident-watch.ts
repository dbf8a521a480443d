/**
 * What `npm run demo -- trigger` waits for after staging an incident: the first case the
 * cloud opened (or fed) since, or for a price crash a margin call. Pure: the CLI polls the
 * API and asks these.
 */
export interface CaseSummary {
  reference: string;
  kind: string;
  title: string;
  severity: string;
  status: string;
  site: string | null;
  lotId: string | null;
  openedAt: string;
  lastEventAt: string | null;
  updatedAt?: string;
}

export interface MarginCallSummary {
  id: string;
  facilityId: string;
  status: string;
  openedAt: string;
  ltvAtOpen: string | null;
}

/** Cases opened since `sinceMs`, or open ones that absorbed a new trigger since (one open case per site, lot and kind). */
export function casesSince(items: readonly CaseSummary[], sinceMs: number): CaseSummary[] {
  return items.filter((c) => Date.parse(c.openedAt) >= sinceMs || (c.lastEventAt !== null && Date.parse(c.lastEventAt) >= sinceMs && c.status !== 'resolved'));
}

export function marginCallsSince(items: readonly MarginCallSummary[], sinceMs: number): MarginCallSummary[] {
  return items.filter((m) => Date.parse(m.openedAt) >= sinceMs);
}

export function describeCase(c: CaseSummary): string {
  return `${c.reference} ${c.severity} ${c.kind}${c.lotId ? ` lot ${c.lotId}` : ''}: ${c.title}`;
}
