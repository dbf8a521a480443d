/**
 * What part of the warehouses a caller may see, as plain data (no I/O), so every list
 * (events, gateways, sites, reports) filters the same way:
 * - administrators see everything;
 * - a warehouse operator sees its own sites whole;
 * - a bank's staff see, at each site where the bank holds receipts, the lots those
 *   receipts stand for and the site-wide happenings (a reader offline, a broken chain),
 *   but not other banks' lots at the same warehouse.
 */
export type SiteVisibility =
  | { kind: 'all' }
  | {
      kind: 'scoped';
      /** Sites seen whole. */
      wholeSites: readonly string[];
      /** Lots seen, by site; their sites' lot-less events are seen too. */
      lots: ReadonlyMap<string, readonly string[]>;
    };

export const SEE_ALL: SiteVisibility = { kind: 'all' };

export function visibleSites(visibility: SiteVisibility): readonly string[] | 'all' {
  if (visibility.kind === 'all') return 'all';
  return [...new Set([...visibility.wholeSites, ...visibility.lots.keys()])].sort();
}

export function canSeeSite(visibility: SiteVisibility, site: string): boolean {
  if (visibility.kind === 'all') return true;
  return visibility.wholeSites.includes(site) || visibility.lots.has(site);
}

/** A lot (or, with lotId null, a site-wide matter) at a site. */
export function canSeeLot(visibility: SiteVisibility, site: string, lotId: string | null): boolean {
  if (visibility.kind === 'all' || visibility.wholeSites.includes(site)) return true;
  const lots = visibility.lots.get(site);
  if (lots === undefined) return false;
  return lotId === null || lots.includes(lotId);
}

export function isEmptyVisibility(visibility: SiteVisibility): boolean {
  return visibility.kind === 'scoped' && visibility.wholeSites.length === 0 && visibility.lots.size === 0;
}
