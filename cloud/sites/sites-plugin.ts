import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { PrismaClient, Site } from '../db/generated/client.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { canSeeSite, visibleSites } from './site-visibility.ts';
import { createSitesRepository } from './sites-repository.ts';
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
  const sites = createSitesRepository(prisma);

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
      const created = await sites.create(input, { actor: `user:${request.user.userId}`, at: now(), after: (site) => siteView(site, []) });
      if (!created.ok) {
        if (created.reason === 'unknown_tenant') throw notFound(`tenant ${input.tenantId}`);
        if (created.reason === 'not_an_operator') throw badRequest('a site belongs to a warehouse operator tenant');
        throw conflict(`site ${input.id} already exists`);
      }
      return reply.status(201).send(siteView(created.site, []));
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
      return { items: (await sites.list(visible)).map((s) => siteView(s.site, s.gateways)) };
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
      const found = await sites.find(id);
      if (found === null || !canSeeSite(await directory.visibilityFor(request.user), id)) throw notFound(`site ${id}`);
      return siteView(found.site, found.gateways);
    },
  );
};
