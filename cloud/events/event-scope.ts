import type { Prisma } from '../db/generated/client.ts';
import type { SiteVisibility } from '../sites/site-visibility.ts';

/**
 * The event log's filter for what a caller sees (site-visibility.ts): whole sites, or at
 * a bank's sites its lots and the lot-less (site-wide) events. Undefined means nothing.
 */
export function eventScopeWhere(visibility: SiteVisibility): Prisma.EventWhereInput | undefined {
  if (visibility.kind === 'all') return {};
  const clauses: Prisma.EventWhereInput[] = [];
  if (visibility.wholeSites.length > 0) clauses.push({ site: { in: [...visibility.wholeSites] } });
  for (const [site, lots] of visibility.lots) {
    clauses.push({ site, OR: [{ lotId: null }, { lotId: { in: [...lots] } }] });
  }
  return clauses.length === 0 ? undefined : { OR: clauses };
}
