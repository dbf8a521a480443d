import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { PrismaClient, Site } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { canSeeSite, visibleSites } from './site-visibility.ts';
import type { TenantDirectory } from './tenant-directory.ts';

const SiteView = Type.Object({
  id: Type.String(),
  tenantId: Type.String({ description: 'the warehouse operator running the site' }),
  name: Type.String(),
  timezone: Type.String(),
  gateways: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

function siteView(site: Site, gateways: string[]) {
  return { id: site.id, tenantId: site.tenantId, name: site.name, timezone: site.timezone, gateways, createdAt: site.createdAt.toISOString() };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Warehouses (sites): administrators register them; everyone sees those they have a stake in. */
export const sitesPlugin: FastifyPluginAsync<{ prisma: PrismaClient; directory: TenantDirectory; now: () => Date }> = async (fastify, { prisma, directory, now }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['sites']);
  const gatewaysOf = async (siteIds: string[]): Promise<Map<string, string[]>> => {
    const rows = await prisma.gateway.findMany({ where: { siteId: { in: siteIds } }, select: { id: true, siteId: true }, orderBy: { id: 'asc' } });
    const bySite = new Map<string, string[]>();
    for (const row of rows) bySite.set(row.siteId, [...(bySite.get(row.siteId) ?? []), row.id]);
    return bySite;
  };

  app.post(
    '/api/v1/sites',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs(
        'Register a warehouse run by a warehouse operator tenant',
        {
          body: Type.Object({
            id: Id,
            tenantId: Id,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            timezone: Type.String({ minLength: 1, maxLength: 64, default: 'UTC', description: 'IANA time zone; daily reports and inspections follow it' }),
          }),
          response: { 201: SiteView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => {
      const input = request.body;
      if (!isTimeZone(input.timezone)) throw badRequest(`unknown time zone ${input.timezone}`);
      const tenant = await prisma.tenant.findUnique({ where: { id: input.tenantId } });
      if (tenant === null) throw notFound(`tenant ${input.tenantId}`);
      if (tenant.kind !== 'warehouse_operator') throw badRequest('a site belongs to a warehouse operator tenant');
      if (await prisma.site.findUnique({ where: { id: input.id } })) throw conflict(`site ${input.id} already exists`);
      const site = await inUnitOfWork({ prisma }, async (tx) => {
        const created = await tx.site.create({ data: input });
        await appendAudit(tx, { actor: `user:${request.user.userId}`, action: 'site.created', entityType: 'site', entityId: created.id, tenantId: created.tenantId, after: siteView(created, []), at: now() });
        return created;
      });
      return reply.status(201).send(siteView(site, []));
    },
  );

  app.get(
    '/api/v1/sites',
    {
      onRequest: fastify.requireRole(),
      schema: docs('Sites the caller has a stake in', { response: { 200: Type.Object({ items: Type.Array(SiteView) }) } }),
    },
    async (request) => {
      const visible = visibleSites(await directory.visibilityFor(request.user));
      const sites = await prisma.site.findMany({ where: visible === 'all' ? {} : { id: { in: [...visible] } }, orderBy: { id: 'asc' } });
      const gateways = await gatewaysOf(sites.map((s) => s.id));
      return { items: sites.map((s) => siteView(s, gateways.get(s.id) ?? [])) };
    },
  );

  app.get(
    '/api/v1/sites/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One site', { params: Type.Object({ id: Id }), response: { 200: SiteView } }, [400, 404]),
    },
    async (request) => {
      const { id } = request.params;
      const site = await prisma.site.findUnique({ where: { id } });
      if (site === null || !canSeeSite(await directory.visibilityFor(request.user), id)) throw notFound(`site ${id}`);
      return siteView(site, (await gatewaysOf([id])).get(id) ?? []);
    },
  );
};
