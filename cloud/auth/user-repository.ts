import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/generated/client.ts';
import { hashSecret } from './secret-hash.ts';
import type { Role, TenantKind } from './principal.ts';
import type { StoredAccount } from './account-check.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';

/**
 * The id of the user whose login is `email`, compared exactly as the unique index
 * `lower(email)` compares (never ILIKE: `_` and `%` would be wildcards).
 */
export async function findUserIdByEmail(prisma: Pick<PrismaClient, '$queryRaw'>, email: string): Promise<string | undefined> {
  const login = email.trim().normalize('NFC');
  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM app_user WHERE lower(email) = lower(${login}) LIMIT 1`;
  return rows[0]?.id;
}

export function createUserRepository(prisma: PrismaClient) {
  return {
    async findByEmail(email: string) {
      const id = await findUserIdByEmail(prisma, email);
      return id === undefined ? null : prisma.user.findUnique({ where: { id } });
    },

    /** What a token is checked against on every request; null for a deleted user. */
    findAccount: (id: string): Promise<StoredAccount | null> =>
      prisma.user.findUnique({ where: { id }, select: { tenantId: true, role: true, disabled: true, tokenVersion: true } }),

    /**
     * Sign-out: raises the token version, so every token of the user issued until now is
     * refused. Only when `tokenVersion` is still current: a token already ended changes
     * nothing (and a replayed sign-out cannot end the session the user opened since).
     */
    async endSessions(userId: string, tokenVersion: number, at: Date): Promise<boolean> {
      return inUnitOfWork({ prisma }, async (tx) => {
        const { count } = await tx.user.updateMany({ where: { id: userId, tokenVersion }, data: { tokenVersion: { increment: 1 } } });
        if (count === 0) return false;
        const user = await tx.user.findUnique({ where: { id: userId }, select: { tenantId: true } });
        await appendAudit(tx, { actor: `user:${userId}`, action: 'user.signed_out', entityType: 'user', entityId: userId, tenantId: user?.tenantId ?? null, before: { tokenVersion }, after: { tokenVersion: tokenVersion + 1 }, at });
        return true;
      });
    },

    async upsertTenant(input: { id: string; name: string; kind: TenantKind }): Promise<void> {
      await prisma.tenant.upsert({ where: { id: input.id }, create: input, update: { name: input.name, kind: input.kind } });
    },

    /** Creates the user, or resets name, role and password of an existing login. */
    async upsertUser(input: { tenantId: string; email: string; name: string; role: Role; password: string }): Promise<string> {
      const passwordHash = await hashSecret(input.password, 'password');
      const existingId = await findUserIdByEmail(prisma, input.email);
      if (existingId !== undefined) {
        // A new password ends the sessions of the old one.
        await prisma.user.update({
          where: { id: existingId },
          data: { name: input.name, role: input.role, passwordHash, tenantId: input.tenantId, tokenVersion: { increment: 1 } },
        });
        return existingId;
      }
      const id = randomUUID();
      await prisma.user.create({ data: { id, tenantId: input.tenantId, email: input.email.trim(), name: input.name, role: input.role, passwordHash } });
      return id;
    },

    async upsertSite(input: { id: string; tenantId: string; name: string; timezone: string }): Promise<void> {
      await prisma.site.upsert({ where: { id: input.id }, create: input, update: { name: input.name, tenantId: input.tenantId, timezone: input.timezone } });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
