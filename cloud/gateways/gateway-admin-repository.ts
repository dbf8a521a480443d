import type { Gateway, PrismaClient } from '../db/generated/client.ts';
import { hashSecret } from '../auth/secret-hash.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { keyFingerprint } from './key-fingerprint.ts';

/** Who made an administrative change, and when, for its audit entry. */
export interface AdminChange {
  actor: string;
  at: Date;
}

export type ProvisionResult = { ok: true; gateway: Gateway } | { ok: false; reason: 'unknown_site' | 'exists' };

/**
 * Gateways as administrators manage them: provisioning with a bearer token (stored as its
 * scrypt hash only), token rotation, key reset, and lists by site. Every change is audited
 * under the tenant of the site's warehouse operator.
 */
export function createGatewayAdminRepository(prisma: PrismaClient) {
  const operatorOf = async (siteId: string): Promise<string | null> =>
    (await prisma.site.findUnique({ where: { id: siteId }, select: { tenantId: true } }))?.tenantId ?? null;

  return {
    async provision(input: { id: string; siteId: string; token: string }, change: AdminChange): Promise<ProvisionResult> {
      const { id, siteId } = input;
      const tenantId = await operatorOf(siteId);
      if (tenantId === null) return { ok: false, reason: 'unknown_site' };
      if (await prisma.gateway.findUnique({ where: { id } })) return { ok: false, reason: 'exists' };
      // Hashed only once the request is known to be good: scrypt is deliberately slow.
      const tokenHash = await hashSecret(input.token, 'token');
      try {
        const gateway = await inUnitOfWork({ prisma }, async (tx, work) => {
          const created = await tx.gateway.create({ data: { id, siteId, tokenHash } });
          work.audit({ actor: change.actor, action: 'gateway.provisioned', entityType: 'gateway', entityId: id, tenantId, after: { siteId }, at: change.at });
          return created;
        });
        return { ok: true, gateway };
      } catch (error) {
        if (uniqueViolation(error) !== undefined) return { ok: false, reason: 'exists' };
        throw error;
      }
    },

    /** Gateways at the given sites, or at every site; in id order. */
    list(siteIds: readonly string[] | 'all'): Promise<Gateway[]> {
      return prisma.gateway.findMany({ where: siteIds === 'all' ? {} : { siteId: { in: [...siteIds] } }, orderBy: { id: 'asc' } });
    },

    find(id: string): Promise<Gateway | null> {
      return prisma.gateway.findUnique({ where: { id } });
    },

    /** Replaces the token's hash: the old token stops working at once. Null for an unknown gateway. */
    async rotateToken(id: string, token: string, change: AdminChange): Promise<Gateway | null> {
      const current = await prisma.gateway.findUnique({ where: { id } });
      if (current === null) return null;
      const tokenHash = await hashSecret(token, 'token');
      // Looked up before the transaction: on PGlite a query outside it would wait for it.
      const tenantId = await operatorOf(current.siteId);
      return inUnitOfWork({ prisma }, async (tx, work) => {
        const updated = await tx.gateway.update({ where: { id: current.id }, data: { tokenHash } });
        work.audit({ actor: change.actor, action: 'gateway.token_rotated', entityType: 'gateway', entityId: current.id, tenantId, at: change.at });
        return updated;
      });
    },

    /** Forgets the signing key so a replaced device can register its own; the chain head is kept. Null for an unknown gateway. */
    async resetKey(id: string, change: AdminChange): Promise<Gateway | null> {
      const current = await prisma.gateway.findUnique({ where: { id } });
      if (current === null) return null;
      const tenantId = await operatorOf(current.siteId);
      return inUnitOfWork({ prisma }, async (tx, work) => {
        const updated = await tx.gateway.update({ where: { id: current.id }, data: { publicKeyPem: null } });
        work.audit({
          actor: change.actor,
          action: 'gateway.key_reset',
          entityType: 'gateway',
          entityId: current.id,
          tenantId,
          before: { keyFingerprint: keyFingerprint(current.publicKeyPem) },
          after: { keyFingerprint: null },
          at: change.at,
        });
        return updated;
      });
    },
  };
}

export type GatewayAdminRepository = ReturnType<typeof createGatewayAdminRepository>;
