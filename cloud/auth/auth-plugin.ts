import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, unauthorized } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { createAccountCheck } from './account-check.ts';
import { verifySecret } from './secret-hash.ts';
import { ROLES, isRole, type Principal, type Role } from './principal.ts';
import type { UserRepository } from './user-repository.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; tid: string; role: Role; email: string };
    user: Principal;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid user token with one of `roles` (any role when none given). */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /** Drops what is cached about a user, so a change (disabled, demoted) applies to the next request. */
    forgetUser(userId: string): void;
    /**
     * Why a principal's token no longer counts (account deleted, disabled or changed), or
     * undefined; for connections that outlive the request that opened them.
     */
    accountRefusal(principal: Principal): Promise<string | undefined>;
  }
}

export interface AuthPluginOptions {
  users: UserRepository;
  jwtSecret: string;
  tokenTtlSeconds: number;
  loginRateLimit: { max: number; timeWindowMs: number };
  /** How long a user's account state is reused between requests; default 5 s. */
  accountCacheTtlMs?: number;
}

// Verifying against a fixed hash when the email is unknown makes both answers cost the
// same, so response times do not reveal which emails have accounts.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const LoginBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const UserView = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  email: Type.String(),
  role: Type.Enum([...ROLES]),
});

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (fastify, options) => {
  await fastify.register(jwt, {
    secret: options.jwtSecret,
    sign: { expiresIn: options.tokenTtlSeconds },
    formatUser: (payload) => ({ userId: payload.sub, tenantId: payload.tid, role: payload.role, email: payload.email }),
  });
  // preHandler, not onRequest: the key needs the parsed body's email.
  await fastify.register(rateLimit, { global: false, hook: 'preHandler' });

  const accounts = createAccountCheck({ findAccount: options.users.findAccount, ...(options.accountCacheTtlMs === undefined ? {} : { ttlMs: options.accountCacheTtlMs }) });
  fastify.decorate('forgetUser', (userId: string) => accounts.forget(userId));
  fastify.decorate('accountRefusal', (principal: Principal) => accounts.refusal(principal));

  fastify.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => {
    return async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw unauthorized('a valid bearer token is required');
      }
      if (!isRole(request.user.role)) throw unauthorized('token has no valid role');
      // A signature only proves the token was issued; the account may since have been
      // disabled or deleted, and the token must stop working then, not when it expires.
      const refusal = await accounts.refusal(request.user);
      if (refusal !== undefined) throw unauthorized(refusal);
      if (roles.length > 0 && !roles.includes(request.user.role)) {
        throw new AppError('forbidden', `role ${request.user.role} may not do this`);
      }
    };
  });

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/v1/auth/login',
    {
      config: {
        rateLimit: {
          max: options.loginRateLimit.max,
          timeWindow: options.loginRateLimit.timeWindowMs,
          // Per address and account: a guessing run against one login is slowed without
          // locking out everyone behind the same proxy.
          keyGenerator: (request: FastifyRequest) =>
            `${request.ip}|${String((request.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for a bearer token (rate-limited)',
        body: LoginBody,
        response: {
          200: Type.Object({ token: Type.String(), expiresIn: Type.Integer(), user: UserView }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request) => {
      const user = await options.users.findByEmail(request.body.email);
      const ok = await verifySecret(request.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || user.disabled || !isRole(user.role)) throw unauthorized('invalid email or password');
      const token = await fastify.jwt.sign({ sub: user.id, tid: user.tenantId, role: user.role, email: user.email });
      return {
        token,
        expiresIn: options.tokenTtlSeconds,
        user: { id: user.id, tenantId: user.tenantId, email: user.email, role: user.role },
      };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      preHandler: fastify.requireRole(),
      schema: bearerRouteDocs(['auth'])('The authenticated user', { response: { 200: UserView } }),
    },
    async (request) => ({ id: request.user.userId, tenantId: request.user.tenantId, email: request.user.email, role: request.user.role }),
  );
};

/** Login, JWT verification and role checks, visible to every plugin registered after it. */
export const authPlugin = fp(plugin, { name: 'auth' });
