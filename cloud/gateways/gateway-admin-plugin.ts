import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { Gateway, PrismaClient } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { hashSecret } from '../auth/secret-hash.ts';
import { conflict, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { canSeeSite, visibleSites } from '../sites/site-visibility.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';

const Params = Type.Object({ id: Id });

const GatewayView = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  hasKey: Type.Boolean({ description: 'whether the gateway registered its signing key' }),
  keyFingerprint: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the DER SPKI key, hex' }),
  lastSeq: Type.Integer({ description: 'head of the verified chain' }),
  lastHash: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const Provisioned = Type.Object({
  gateway: GatewayView,
  token: Type.String({ description: 'the bearer token, shown once: only its scrypt hash is stored' }),
});

function fingerprint(pem: string | null): string | null {
  if (pem === null) return null;
  try {
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
  } catch {
    return null;
  }
}

function gatewayView(g: Gateway) {
  return { id: g.id, siteId: g.siteId, hasKey: g.publicKeyPem !== null, keyFingerprint: fingerprint(g.publicKeyPem), lastSeq: Number(g.lastSeq), lastHash: g.lastHash, createdAt: g.createdAt.toISOString() };
}

// 256 bits: a token is a key, not a password, and is never typed by a person.
const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Provisioning of gateways by administrators (token shown once, rotation, key reset for
 * a replaced device) and the list of gateways for whoever sees their sites.
 */
export const gatewayAdminPlugin: FastifyPluginAsync<{ prisma: PrismaClient; directory: TenantDirectory; now: () => Date }> = async (fastify, { prisma, directory, now }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['gateways']);
  const actor = (userId: string): string => `user:${userId}`;
  const operatorOf = async (siteId: string): Promise<string | null> => (await prisma.site.findUnique({ where: { id: siteId }, select: { tenantId: true } }))?.tenantId ?? null;

  app.post(
    '/api/v1/gateways',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Provision a gateway for a site; answers its bearer token once', { body: Type.Object({ id: Id, siteId: Id }), response: { 201: Provisioned } }, [400, 403, 404, 409]),
    },
    async (request, reply) => {
      const { id, siteId } = request.body;
      const tenantId = await operatorOf(siteId);
      if (tenantId === null) throw notFound(`site ${siteId}`);
      if (await prisma.gateway.findUnique({ where: { id } })) throw conflict(`gateway ${id} already exists`);
      const token = newToken();
      const tokenHash = await hashSecret(token, 'token');
      const gateway = await inUnitOfWork({ prisma }, async (tx) => {
        const created = await tx.gateway.create({ data: { id, siteId, tokenHash } });
        await appendAudit(tx, { actor: actor(request.user.userId), action: 'gateway.provisioned', entityType: 'gateway', entityId: id, tenantId, after: { siteId }, at: now() });
        return created;
      });
      return reply.status(201).send({ gateway: gatewayView(gateway), token });
    },
  );

  app.get(
    '/api/v1/gateways',
    {
      onRequest: fastify.requireRole(),
      schema: docs('Gateways at the sites the caller sees', { response: { 200: Type.Object({ items: Type.Array(GatewayView) }) } }),
    },
    async (request) => {
      const visible = visibleSites(await directory.visibilityFor(request.user));
      const rows = await prisma.gateway.findMany({ where: visible === 'all' ? {} : { siteId: { in: [...visible] } }, orderBy: { id: 'asc' } });
      return { items: rows.map(gatewayView) };
    },
  );

  app.get(
    '/api/v1/gateways/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One gateway and the head of its verified chain', { params: Params, response: { 200: GatewayView } }, [400, 404]),
    },
    async (request) => {
      const gateway = await prisma.gateway.findUnique({ where: { id: request.params.id } });
      if (gateway === null || !canSeeSite(await directory.visibilityFor(request.user), gateway.siteId)) throw notFound(`gateway ${request.params.id}`);
      return gatewayView(gateway);
    },
  );

  app.post(
    '/api/v1/gateways/:id/token',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Rotate the bearer token; the old one stops working at once', { params: Params, response: { 200: Provisioned } }, [400, 403, 404]),
    },
    async (request) => {
      const current = await prisma.gateway.findUnique({ where: { id: request.params.id } });
      if (current === null) throw notFound(`gateway ${request.params.id}`);
      const token = newToken();
      const tokenHash = await hashSecret(token, 'token');
      // Looked up before the transaction: on PGlite a query outside it would wait for it.
      const tenantId = await operatorOf(current.siteId);
      const gateway = await inUnitOfWork({ prisma }, async (tx) => {
        const updated = await tx.gateway.update({ where: { id: current.id }, data: { tokenHash } });
        await appendAudit(tx, { actor: actor(request.user.userId), action: 'gateway.token_rotated', entityType: 'gateway', entityId: current.id, tenantId, at: now() });
        return updated;
      });
      return { gateway: gatewayView(gateway), token };
    },
  );

  app.delete(
    '/api/v1/gateways/:id/key',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Forget the signing key so a replaced device can register its own; the chain head is kept', { params: Params, response: { 200: GatewayView } }, [400, 403, 404]),
    },
    async (request) => {
      const current = await prisma.gateway.findUnique({ where: { id: request.params.id } });
      if (current === null) throw notFound(`gateway ${request.params.id}`);
      const tenantId = await operatorOf(current.siteId);
      const gateway = await inUnitOfWork({ prisma }, async (tx) => {
        const updated = await tx.gateway.update({ where: { id: current.id }, data: { publicKeyPem: null } });
        await appendAudit(tx, {
          actor: actor(request.user.userId),
          action: 'gateway.key_reset',
          entityType: 'gateway',
          entityId: current.id,
          tenantId,
          before: { keyFingerprint: fingerprint(current.publicKeyPem) },
          after: { keyFingerprint: null },
          at: now(),
        });
        return updated;
      });
      return gatewayView(gateway);
    },
  );
};
