import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { verifySecret } from '../auth/secret-hash.ts';
import { notFound, unauthorized } from '../errors.ts';
import type { GatewayRecord, GatewayRepository } from './gateway-repository.ts';

/**
 * Authenticates a gateway by its bearer token. Successful checks are cached by token so
 * a gateway posting many batches a second does not pay scrypt each time.
 */
const GATEWAY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createGatewayAuthenticator(repo: GatewayRepository) {
  // gatewayId -> fingerprint of (stored hash, token) that passed; the token itself is not kept.
  const verified = new Map<string, string>();
  return async function authenticate(request: FastifyRequest, gatewayId: string): Promise<GatewayRecord> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw unauthorized('gateway bearer token required');
    // Runs in onRequest, before the schema checks the path: an id that cannot exist is not looked up.
    if (!GATEWAY_ID.test(gatewayId)) throw unauthorized('invalid gateway credentials');
    const gateway = await repo.find(gatewayId);
    // Unknown gateways and bad tokens answer alike so ids cannot be probed.
    if (!gateway) throw unauthorized('invalid gateway credentials');
    const fingerprint = createHash('sha256').update(`${gateway.tokenHash}\n${token}`).digest('hex');
    if (verified.get(gatewayId) !== fingerprint) {
      if (!(await verifySecret(token, gateway.tokenHash))) throw unauthorized('invalid gateway credentials');
      verified.set(gatewayId, fingerprint);
    }
    return gateway;
  };
}

export function requireKey(gateway: GatewayRecord): string {
  if (!gateway.publicKeyPem) throw notFound(`public key of gateway ${gateway.id}`);
  return gateway.publicKeyPem;
}

export type GatewayAuthenticator = ReturnType<typeof createGatewayAuthenticator>;
