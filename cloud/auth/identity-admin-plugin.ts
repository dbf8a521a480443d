import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { ROLES, TENANT_KINDS } from './principal.ts';
import { tenantView, userView, type IdentityAdmin } from './identity-admin.ts';

const Uuid = Type.String({ format: 'uuid' });

const TenantView = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.Enum([...TENANT_KINDS]), createdAt: Type.String({ format: 'date-time' }) });
const UserView = Type.Object({
  id: Uuid,
  tenantId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum([...ROLES]),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
// NIST SP 800-63B: at least 8 characters, long passphrases allowed; we ask for 12.
const Password = Type.String({ minLength: 12, maxLength: 1024 });

/**
 * Administration of tenants and users. Administrators create and change them; everyone
 * else may read their own tenant and its users (a risk officer picks an investigator).
 */
export const identityAdminPlugin: FastifyPluginAsync<{ prisma: PrismaClient; admin: IdentityAdmin }> = async (fastify, { prisma, admin }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tenantDocs = bearerRouteDocs(['tenants']);
  const userDocs = bearerRouteDocs(['users']);

  app.post(
    '/api/v1/tenants',
    {
      onRequest: fastify.requireRole('admin'),
      schema: tenantDocs(
        'Create a tenant: a bank, a warehouse operator or the platform',
        { body: Type.Object({ id: Id, name: Type.String({ minLength: 1, maxLength: 200 }), kind: Type.Enum([...TENANT_KINDS]) }), response: { 201: TenantView } },
        [400, 403, 409],
      ),
    },
    async (request, reply) => reply.status(201).send(await admin.createTenant(request.user, request.body)),
  );

  app.get(
    '/api/v1/tenants',
    {
      onRequest: fastify.requireRole(),
      schema: tenantDocs("Tenants: all for administrators, else the caller's own", { response: { 200: Type.Object({ items: Type.Array(TenantView) }) } }),
    },
    async (request) => {
      const where = request.user.role === 'admin' ? {} : { id: request.user.tenantId };
      return { items: (await prisma.tenant.findMany({ where, orderBy: { id: 'asc' } })).map(tenantView) };
    },
  );

  app.get(
    '/api/v1/tenants/:id',
    {
      onRequest: fastify.requireRole(),
      schema: tenantDocs('One tenant', { params: Type.Object({ id: Id }), response: { 200: TenantView } }, [404]),
    },
    async (request) => {
      const { id } = request.params;
      if (request.user.role !== 'admin' && id !== request.user.tenantId) throw notFound(`tenant ${id}`);
      const tenant = await prisma.tenant.findUnique({ where: { id } });
      if (tenant === null) throw notFound(`tenant ${id}`);
      return tenantView(tenant);
    },
  );

  app.post(
    '/api/v1/users',
    {
      onRequest: fastify.requireRole('admin'),
      schema: userDocs(
        "Create a user; the role must fit the tenant's kind; the password is stored as a scrypt hash",
        {
          body: Type.Object({
            tenantId: Id,
            email: Type.String({ format: 'email', maxLength: 254 }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Enum([...ROLES]),
            password: Password,
          }),
          response: { 201: UserView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => reply.status(201).send(await admin.createUser(request.user, request.body)),
  );

  app.get(
    '/api/v1/users',
    {
      onRequest: fastify.requireRole(),
      schema: userDocs(
        "Users: all for administrators, else the caller's tenant",
        { querystring: Type.Object({ tenantId: Type.Optional(Id), role: Type.Optional(Type.Enum([...ROLES])) }), response: { 200: Type.Object({ items: Type.Array(UserView) }) } },
        [400],
      ),
    },
    async (request) => {
      const scope = request.user.role === 'admin' ? request.query.tenantId : request.user.tenantId;
      if (request.user.role !== 'admin' && request.query.tenantId !== undefined && request.query.tenantId !== scope) return { items: [] };
      const users = await prisma.user.findMany({
        where: { ...(scope !== undefined ? { tenantId: scope } : {}), ...(request.query.role ? { role: request.query.role } : {}) },
        orderBy: [{ tenantId: 'asc' }, { email: 'asc' }],
        take: 1000,
      });
      return { items: users.map(userView) };
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      onRequest: fastify.requireRole(),
      schema: userDocs('One user', { params: Type.Object({ id: Uuid }), response: { 200: UserView } }, [404]),
    },
    async (request) => {
      const user = await prisma.user.findUnique({ where: { id: request.params.id } });
      if (user === null || (request.user.role !== 'admin' && user.tenantId !== request.user.tenantId)) throw notFound('user');
      return userView(user);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      onRequest: fastify.requireRole('admin'),
      schema: userDocs(
        'Change a user: name, role, disabled, password',
        {
          params: Type.Object({ id: Uuid }),
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              role: Type.Optional(Type.Enum([...ROLES])),
              disabled: Type.Optional(Type.Boolean()),
              password: Type.Optional(Password),
            },
            { minProperties: 1 },
          ),
          response: { 200: UserView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request) => admin.updateUser(request.user, request.params.id, request.body),
  );
};
