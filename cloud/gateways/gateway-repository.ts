import type { PrismaClient } from '../db/generated/client.ts';
import { hashSecret } from '../auth/secret-hash.ts';

export interface GatewayRecord {
  id: string;
  siteId: string;
  tokenHash: string;
  publicKeyPem: string | null;
  lastSeq: number;
  lastHash: string;
}

export function createGatewayRepository(prisma: PrismaClient) {
  return {
    async find(id: string): Promise<GatewayRecord | null> {
      const row = await prisma.gateway.findUnique({ where: { id } });
      // BIGINT column; seqs stay below 2^53 (the event schema's bound), so a number holds it exactly.
      return row === null ? null : { ...row, lastSeq: Number(row.lastSeq) };
    },

    /** Creates the gateway, or rotates its token; the chain head and key are kept. */
    async provision(input: { id: string; siteId: string; token: string }): Promise<void> {
      const tokenHash = await hashSecret(input.token, 'token');
      await prisma.gateway.upsert({
        where: { id: input.id },
        create: { id: input.id, siteId: input.siteId, tokenHash },
        update: { tokenHash, siteId: input.siteId },
      });
    },

    /**
     * Registers the gateway's signing key on first use. The update only matches while no
     * key is stored, so two concurrent registrations cannot both win.
     */
    async registerKey(id: string, publicKeyPem: string): Promise<'registered' | 'unchanged' | 'conflict'> {
      const { count } = await prisma.gateway.updateMany({ where: { id, publicKeyPem: null }, data: { publicKeyPem } });
      if (count === 1) return 'registered';
      const current = await prisma.gateway.findUnique({ where: { id }, select: { publicKeyPem: true } });
      return current?.publicKeyPem === publicKeyPem ? 'unchanged' : 'conflict';
    },
  };
}

export type GatewayRepository = ReturnType<typeof createGatewayRepository>;
