import type { PrismaClient, Site } from '../db/generated/client.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';

export interface SiteWithGateways {
  site: Site;
  /** Ids of the site's gateways, in id order. */
  gateways: string[];
}

export interface NewSite {
  id: string;
  tenantId: string;
  name: string;
  timezone: string;
}

export type CreateSiteResult =
  | { ok: true; site: Site }
  | { ok: false; reason: 'unknown_tenant' | 'not_an_operator' | 'exists' };

/** Sites and their gateways as stored; the routes decide who may see or register which. */
export function createSitesRepository(prisma: PrismaClient) {
  async function gatewaysOf(siteIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await prisma.gateway.findMany({ where: { siteId: { in: [...siteIds] } }, select: { id: true, siteId: true }, orderBy: { id: 'asc' } });
    const bySite = new Map<string, string[]>();
    for (const row of rows) bySite.set(row.siteId, [...(bySite.get(row.siteId) ?? []), row.id]);
    return bySite;
  }

  return {
    /** Registers a site of a warehouse operator tenant, audited with `audit(created)`. */
    async create(input: NewSite, audit: { actor: string; at: Date; after: (site: Site) => unknown }): Promise<CreateSiteResult> {
      const tenant = await prisma.tenant.findUnique({ where: { id: input.tenantId } });
      if (tenant === null) return { ok: false, reason: 'unknown_tenant' };
      if (tenant.kind !== 'warehouse_operator') return { ok: false, reason: 'not_an_operator' };
      if (await prisma.site.findUnique({ where: { id: input.id } })) return { ok: false, reason: 'exists' };
      try {
        const site = await inUnitOfWork({ prisma }, async (tx, work) => {
          const created = await tx.site.create({ data: input });
          work.audit({ actor: audit.actor, action: 'site.created', entityType: 'site', entityId: created.id, tenantId: created.tenantId, after: audit.after(created), at: audit.at });
          return created;
        });
        return { ok: true, site };
      } catch (error) {
        // Two admins registering the same id at once: the second loses to the primary key.
        if (uniqueViolation(error) !== undefined) return { ok: false, reason: 'exists' };
        throw error;
      }
    },

    /** Sites with the given ids, or every site; in id order. */
    async list(ids: readonly string[] | 'all'): Promise<SiteWithGateways[]> {
      const sites = await prisma.site.findMany({ where: ids === 'all' ? {} : { id: { in: [...ids] } }, orderBy: { id: 'asc' } });
      const gateways = await gatewaysOf(sites.map((s) => s.id));
      return sites.map((site) => ({ site, gateways: gateways.get(site.id) ?? [] }));
    },

    async find(id: string): Promise<SiteWithGateways | null> {
      const site = await prisma.site.findUnique({ where: { id } });
      if (site === null) return null;
      return { site, gateways: (await gatewaysOf([id])).get(id) ?? [] };
    },
  };
}

export type SitesRepository = ReturnType<typeof createSitesRepository>;
