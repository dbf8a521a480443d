import type { PrismaClient } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import { SEE_ALL, type SiteVisibility } from './site-visibility.ts';

/**
 * Who has a stake in a site or a lot. Receipts and pledges belong to the collateral
 * domain (migrations/010_collateral.sql); this reads them with plain SQL rather than
 * through that domain's code, and only while those tables exist. Without them (a
 * database migrated before issue 7) every bank is assumed to have a stake, which
 * over-shares to banks rather than hiding an alert from the one that needs it.
 */
export interface TenantDirectory {
  /** The site's warehouse operator and the banks holding receipts on any lot there. */
  tenantsForSite(site: string): Promise<string[]>;
  /** The site's warehouse operator and the banks holding receipts on that lot. */
  tenantsForLot(site: string, lotId: string): Promise<string[]>;
  visibilityFor(principal: Pick<Principal, 'tenantId' | 'role'>): Promise<SiteVisibility>;
  /** Whether receipts exist to ask; false means the fallback above is in force. */
  hasCollateral(): Promise<boolean>;
}

// Receipts whose goods a bank currently lends against.
const HELD = `status IN ('pledged', 'called') AND holder_tenant_id IS NOT NULL`;

export function createTenantDirectory(prisma: PrismaClient): TenantDirectory {
  let collateral: Promise<boolean> | undefined;
  const hasCollateral = (): Promise<boolean> => {
    collateral ??= prisma
      .$queryRawUnsafe<{ present: boolean }[]>(`SELECT to_regclass('receipt') IS NOT NULL AS present`)
      .then((rows) => rows[0]?.present === true);
    return collateral;
  };

  const operatorOf = async (site: string): Promise<string[]> => {
    const row = await prisma.site.findUnique({ where: { id: site }, select: { tenantId: true } });
    return row ? [row.tenantId] : [];
  };

  const allBanks = async (): Promise<string[]> =>
    (await prisma.tenant.findMany({ where: { kind: 'bank' }, select: { id: true }, orderBy: { id: 'asc' } })).map((t) => t.id);

  const holders = async (site: string, lotId: string | null): Promise<string[]> => {
    if (!(await hasCollateral())) return allBanks();
    const rows = await prisma.$queryRawUnsafe<{ tenant_id: string }[]>(
      `SELECT DISTINCT holder_tenant_id AS tenant_id FROM receipt WHERE site_id = $1 AND ($2::text IS NULL OR lot_id = $2) AND ${HELD} ORDER BY 1`,
      site,
      lotId,
    );
    return rows.map((r) => r.tenant_id);
  };

  const merge = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();

  return {
    hasCollateral,
    tenantsForSite: async (site) => merge(await operatorOf(site), await holders(site, null)),
    tenantsForLot: async (site, lotId) => merge(await operatorOf(site), await holders(site, lotId)),

    async visibilityFor(principal) {
      if (principal.role === 'admin') return SEE_ALL;
      if (principal.role === 'warehouse_operator') {
        const sites = await prisma.site.findMany({ where: { tenantId: principal.tenantId }, select: { id: true }, orderBy: { id: 'asc' } });
        return { kind: 'scoped', wholeSites: sites.map((s) => s.id), lots: new Map() };
      }
      if (!(await hasCollateral())) {
        const tenant = await prisma.tenant.findUnique({ where: { id: principal.tenantId }, select: { kind: true } });
        if (tenant?.kind !== 'bank') return { kind: 'scoped', wholeSites: [], lots: new Map() };
        const sites = await prisma.site.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
        return { kind: 'scoped', wholeSites: sites.map((s) => s.id), lots: new Map() };
      }
      const rows = await prisma.$queryRawUnsafe<{ site_id: string; lot_id: string }[]>(
        `SELECT DISTINCT site_id, lot_id FROM receipt WHERE holder_tenant_id = $1 AND ${HELD} ORDER BY 1, 2`,
        principal.tenantId,
      );
      const lots = new Map<string, string[]>();
      for (const row of rows) lots.set(row.site_id, [...(lots.get(row.site_id) ?? []), row.lot_id]);
      return { kind: 'scoped', wholeSites: [], lots };
    },
  };
}
