import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/generated/client.ts';
import { hashSecret } from './secret-hash.ts';
import type { Role, TenantKind } from './principal.ts';

export function createUserRepository(prisma: PrismaClient) {
  return {
    findByEmail: (email: string) =>
      prisma.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } } }),

    /** What a token is checked against on every request; null for a deleted user. */
    findAccount: (id: string): Promise<{ tenantId: string; role: string; disabled: boolean } | null> =>
      prisma.user.findUnique({ where: { id }, select: { tenantId: true, role: true, disabled: true } }),

    async upsertTenant(input: { id: string; name: string; kind: TenantKind }): Promise<void> {
      await prisma.tenant.upsert({ where: { id: input.id }, create: input, update: { name: input.name, kind: input.kind } });
    },

    /** Creates the user, or resets name, role and password of an existing login. */
    async upsertUser(input: { tenantId: string; email: string; name: string; role: Role; password: string }): Promise<string> {
      const passwordHash = await hashSecret(input.password, 'password');
      const existing = await prisma.user.findFirst({ where: { email: { equals: input.email, mode: 'insensitive' } } });
      if (existing) {
        await prisma.user.update({
          where: { id: existing.id },
          data: { name: input.name, role: input.role, passwordHash, tenantId: input.tenantId },
        });
        return existing.id;
      }
      const id = randomUUID();
      await prisma.user.create({ data: { id, tenantId: input.tenantId, email: input.email, name: input.name, role: input.role, passwordHash } });
      return id;
    },

    async upsertSite(input: { id: string; tenantId: string; name: string; timezone: string }): Promise<void> {
      await prisma.site.upsert({ where: { id: input.id }, create: input, update: { name: input.name, tenantId: input.tenantId, timezone: input.timezone } });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
