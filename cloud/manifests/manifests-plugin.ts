import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../db/generated/client.ts';
import type { GatewayAuthenticator } from '../gateways/gateway-auth.ts';
import { errorResponses } from '../http/error-response.ts';
import { SiteManifest } from '../../protocol/index.ts';
import { buildSiteManifest, matchesIfNoneMatch } from './site-manifest.ts';

export interface ManifestsPluginOptions {
  prisma: PrismaClient;
  authenticate: GatewayAuthenticator;
  now?: () => Date;
}

export const manifestsPlugin: FastifyPluginAsync<ManifestsPluginOptions> = async (fastify, { prisma, authenticate, now = () => new Date() }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/gateways/:id/manifests',
    {
      schema: {
        tags: ['gateways', 'receipts'],
        summary: "The gateway's site manifest: pledged lots with their EPCs and approved release orders",
        description:
          'Polled by the gateway with its bearer token. Carries an ETag; a request with a matching If-None-Match ' +
          'is answered 304 without a body. Only lots of pledged or called receipts appear, and release orders that ' +
          'are approved and not past validUntil.',
        security: [{ gatewayToken: [] }],
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: { 200: SiteManifest, 304: Type.Null({ description: 'not modified' }), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const gateway = await authenticate(request, request.params.id);
      const { manifest, etag } = await buildSiteManifest(prisma, gateway.siteId, now());
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return manifest;
    },
  );
};
