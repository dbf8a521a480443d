import { randomUUID } from 'node:crypto';
import type { PrismaClient, Tenant, User } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { type Principal, type Role, type TenantKind } from './principal.ts';
import { roleFitsTenant } from './role-policy.ts';
import { hashSecret } from './secret-hash.ts';
import { findUserIdByEmail } from './user-repository.ts';

export interface UserView {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function userView(user: User): UserView {
  return { id: user.id, tenantId: user.tenantId, email: user.email, name: user.name, role: user.role as Role, disabled: user.disabled, createdAt: user.createdAt.toISOString() };
}

export function tenantView(tenant: Tenant) {
  return { id: tenant.id, name: tenant.name, kind: tenant.kind as TenantKind, createdAt: tenant.createdAt.toISOString() };
}

const actorOf = (principal: Principal): string => `user:${principal.userId}`;
// What the audit trail keeps of a user: never the password hash.
const auditUser = (user: User) => ({ tenantId: user.tenantId, email: user.email, name: user.name, role: user.role, disabled: user.disabled });

/** Tenants and users, created and changed by administrators, each change audited. */
export function createIdentityAdmin(deps: { prisma: PrismaClient; now: () => Date; onUserChanged?: (userId: string) => void }) {
  const { prisma } = deps;

  async function createTenant(principal: Principal, input: { id: string; name: string; kind: TenantKind }) {
    if (await prisma.tenant.findUnique({ where: { id: input.id } })) throw conflict(`tenant ${input.id} already exists`);
    const tenant = await inUnitOfWork({ prisma }, async (tx) => {
      const created = await tx.tenant.create({ data: input });
      await appendAudit(tx, { actor: actorOf(principal), action: 'tenant.created', entityType: 'tenant', entityId: created.id, tenantId: created.id, after: tenantView(created), at: deps.now() });
      return created;
    });
    return tenantView(tenant);
  }

  async function createUser(principal: Principal, input: { tenantId: string; email: string; name: string; role: Role; password: string }) {
    const tenant = await prisma.tenant.findUnique({ where: { id: input.tenantId } });
    if (tenant === null) throw notFound(`tenant ${input.tenantId}`);
    if (!roleFitsTenant(input.role, tenant.kind as TenantKind)) throw badRequest(`a ${tenant.kind} tenant cannot have a ${input.role}`);
    if ((await findUserIdByEmail(prisma, input.email)) !== undefined) throw conflict('a user with this email already exists');
    const passwordHash = await hashSecret(input.password, 'password');
    try {
      const user = await inUnitOfWork({ prisma }, async (tx) => {
        const created = await tx.user.create({ data: { id: randomUUID(), tenantId: input.tenantId, email: input.email.trim(), name: input.name, role: input.role, passwordHash } });
        await appendAudit(tx, { actor: actorOf(principal), action: 'user.created', entityType: 'user', entityId: created.id, tenantId: created.tenantId, after: auditUser(created), at: deps.now() });
        return created;
      });
      return userView(user);
    } catch (error) {
      if (uniqueViolation(error) !== undefined) throw conflict('a user with this email already exists');
      throw error;
    }
  }

  async function updateUser(principal: Principal, id: string, input: { name?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined; password?: string | undefined }) {
    const current = await prisma.user.findUnique({ where: { id }, include: { tenant: true } });
    if (current === null) throw notFound('user');
    if (input.role !== undefined && !roleFitsTenant(input.role, current.tenant.kind as TenantKind)) throw badRequest(`a ${current.tenant.kind} tenant cannot have a ${input.role}`);
    if (id === principal.userId && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
      throw conflict('administrators cannot disable or demote themselves');
    }
    const passwordHash = input.password === undefined ? undefined : await hashSecret(input.password, 'password');
    const user = await inUnitOfWork({ prisma }, async (tx) => {
      const updated = await tx.user.update({
        where: { id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
          // The tokens issued before a new password or another role stop working at once.
          ...(passwordHash !== undefined || (input.role !== undefined && input.role !== current.role) ? { tokenVersion: { increment: 1 } } : {}),
        },
      });
      await appendAudit(tx, {
        actor: actorOf(principal),
        action: 'user.updated',
        entityType: 'user',
        entityId: id,
        tenantId: updated.tenantId,
        before: auditUser(current),
        after: { ...auditUser(updated), passwordChanged: passwordHash !== undefined },
        at: deps.now(),
      });
      return updated;
    });
    // After the commit: the auth plugin's cached view of this account is stale now.
    deps.onUserChanged?.(id);
    return userView(user);
  }

  return { createTenant, createUser, updateUser };
}

export type IdentityAdmin = ReturnType<typeof createIdentityAdmin>;
