import { createPublicKey } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { badRequest, conflict, notFound } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import type { GatewayRepository } from './gateway-repository.ts';
import type { GatewayAuthenticator } from './gateway-auth.ts';

const GatewayParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const PublicKeyBody = Type.Object({ publicKey: Type.String({ minLength: 1, maxLength: 4096 }) });

export interface GatewaysPluginOptions {
  gateways: GatewayRepository;
  authenticate: GatewayAuthenticator;
}

export const gatewaysPlugin: FastifyPluginAsync<GatewaysPluginOptions> = async (fastify, { gateways, authenticate }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Public on purpose (PROTOCOL.md): anyone holding events can check their signatures.
  app.get(
    '/api/v1/gateways/:id/key',
    {
      schema: {
        tags: ['gateways'],
        summary: "The gateway's Ed25519 public key (SPKI PEM)",
        params: GatewayParams,
        response: { 200: PublicKeyBody, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const gateway = await gateways.find(request.params.id);
      if (!gateway?.publicKeyPem) throw notFound(`public key of gateway ${request.params.id}`);
      return { publicKey: gateway.publicKeyPem };
    },
  );

  app.put(
    '/api/v1/gateways/:id/key',
    {
      // Before the body is read: a stranger's upload is refused unread.
      onRequest: async (request) => {
        await authenticate(request, (request.params as { id: string }).id);
      },
      schema: {
        tags: ['gateways'],
        summary: 'Register the gateway signing key (first use); a different key later is a conflict',
        security: [{ gatewayToken: [] }],
        params: GatewayParams,
        body: PublicKeyBody,
        response: { 200: Type.Object({ status: Type.Union([Type.Literal('registered'), Type.Literal('unchanged')]) }), ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => {
      let pem: string;
      try {
        const key = createPublicKey(request.body.publicKey);
        if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key type ${key.asymmetricKeyType}`);
        pem = key.export({ type: 'spki', format: 'pem' }).toString();
      } catch (error) {
        throw badRequest(`publicKey must be an Ed25519 SPKI PEM key (${(error as Error).message})`);
      }
      const status = await gateways.registerKey(request.params.id, pem);
      if (status === 'conflict') {
        throw conflict(`gateway ${request.params.id} already has a different key; key rotation needs an administrator`);
      }
      return { status };
    },
  );
};
