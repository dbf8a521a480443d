import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { Gateway, PrismaClient } from '../db/generated/client.ts';
import { conflict, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { canSeeSite, visibleSites } from '../sites/site-visibility.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import { createGatewayAdminRepository, type AdminChange } from './gateway-admin-repository.ts';
import { keyFingerprint } from './key-fingerprint.ts';

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

function gatewayView(g: Gateway) {
  return { id: g.id, siteId: g.siteId, hasKey: g.publicKeyPem !== null, keyFingerprint: keyFingerprint(g.publicKeyPem), lastSeq: Number(g.lastSeq), lastHash: g.lastHash, createdAt: g.createdAt.toISOString() };
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
  const gateways = createGatewayAdminRepository(prisma);
  const change = (userId: string): AdminChange => ({ actor: `user:${userId}`, at: now() });

  app.post(
    '/api/v1/gateways',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Provision a gateway for a site; answers its bearer token once', { body: Type.Object({ id: Id, siteId: Id }), response: { 201: Provisioned } }, [400, 403, 404, 409]),
    },
    async (request, reply) => {
      const { id, siteId } = request.body;
      const token = newToken();
      const provisioned = await gateways.provision({ id, siteId, token }, change(request.user.userId));
      if (!provisioned.ok) throw provisioned.reason === 'unknown_site' ? notFound(`site ${siteId}`) : conflict(`gateway ${id} already exists`);
      return reply.status(201).send({ gateway: gatewayView(provisioned.gateway), token });
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
      return { items: (await gateways.list(visible)).map(gatewayView) };
    },
  );

  app.get(
    '/api/v1/gateways/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One gateway and the head of its verified chain', { params: Params, response: { 200: GatewayView } }, [400, 404]),
    },
    async (request) => {
      const gateway = await gateways.find(request.params.id);
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
      const token = newToken();
      const gateway = await gateways.rotateToken(request.params.id, token, change(request.user.userId));
      if (gateway === null) throw notFound(`gateway ${request.params.id}`);
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
      const gateway = await gateways.resetKey(request.params.id, change(request.user.userId));
      if (gateway === null) throw notFound(`gateway ${request.params.id}`);
      return gatewayView(gateway);
    },
  );
};
