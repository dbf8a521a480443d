import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, unauthorized } from '../errors.ts';
import { errorResponses } from '../http/error-response.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { createAccountCheck } from './account-check.ts';
import { verifySecret } from './secret-hash.ts';
import { normaliseEmail } from './login-email.ts';
import { ROLES, isRole, type Principal, type Role } from './principal.ts';
import type { UserRepository } from './user-repository.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** `ver`: the account's token version when issued (absent on tokens from before versions: 0). */
    payload: { sub: string; tid: string; role: Role; email: string; ver?: number };
    user: Principal & { tokenVersion: number };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hook: a valid user token with one of `roles` (any role when none given).
     * Registering it as a preHandler is refused: the body would be read before the caller is known.
     */
    requireRole(...roles: Role[]): onRequestAsyncHookHandler;
    /** Drops what is cached about a user, so a change (disabled, demoted) applies to the next request. */
    forgetUser(userId: string): void;
    /**
     * Why a principal's token no longer counts (account deleted, disabled or changed), or
     * undefined; for connections that outlive the request that opened them.
     */
    accountRefusal(principal: Principal & { tokenVersion?: number }): Promise<string | undefined>;
  }
}

export interface AuthPluginOptions {
  users: UserRepository;
  jwtSecret: string;
  tokenTtlSeconds: number;
  /** `max` attempts per account (any address), `perAddressMax` (default 3 × max) per address (any account), per window. */
  loginRateLimit: { max: number; perAddressMax?: number; timeWindowMs: number };
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

// Marks the hooks requireRole makes, so a route that runs one as a preHandler is caught at start.
const AUTH_HOOK = Symbol('requireRole');

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (fastify, options) => {
  await fastify.register(jwt, {
    secret: options.jwtSecret,
    // One algorithm, and an expiry on every token: a token of another algorithm (or none)
    // or without `exp` is refused however it was made.
    sign: { algorithm: 'HS256', expiresIn: options.tokenTtlSeconds },
    verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'tid', 'role'] },
    formatUser: (payload) => ({ userId: payload.sub, tenantId: payload.tid, role: payload.role, email: payload.email, tokenVersion: payload.ver ?? 0 }),
  });
  await fastify.register(rateLimit, { global: false });
  fastify.addHook('onRoute', (route) => {
    const preHandlers = [route.preHandler ?? []].flat() as unknown as Array<Record<symbol, unknown>>;
    if (preHandlers.some((hook) => hook[AUTH_HOOK] === true)) {
      throw new Error(`${route.method} ${route.url}: requireRole belongs in onRequest, before the body is read`);
    }
  });

  const accounts = createAccountCheck({ findAccount: options.users.findAccount, ...(options.accountCacheTtlMs === undefined ? {} : { ttlMs: options.accountCacheTtlMs }) });
  fastify.decorate('forgetUser', (userId: string) => accounts.forget(userId));
  fastify.decorate('accountRefusal', (principal: Principal & { tokenVersion?: number }) => accounts.refusal(principal));

  fastify.decorate('requireRole', (...roles: Role[]): onRequestAsyncHookHandler => {
    const hook = async (request: FastifyRequest) => {
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
    return Object.assign(hook, { [AUTH_HOOK]: true });
  });

  // Both before any password is hashed: per address in onRequest (before the body is
  // even read), per account once the body names it. Random emails from one address
  // meet the first; many addresses against one account meet the second.
  const { max, perAddressMax = 3 * max, timeWindowMs } = options.loginRateLimit;
  const limiter = (limit: number, key: (request: FastifyRequest) => string) => {
    const take = fastify.createRateLimit({ max: limit, timeWindow: timeWindowMs, keyGenerator: key });
    return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const outcome = await take(request);
      if (outcome.isAllowed || !outcome.isExceeded) return;
      void reply.header('retry-after', String(outcome.ttlInSeconds));
      throw new AppError('rate_limited', `too many sign-in attempts: retry in ${outcome.ttlInSeconds} s`);
    };
  };
  const perAddress = limiter(perAddressMax, (request) => `login-address|${request.ip}`);
  const perAccount = limiter(max, (request) => `login-account|${normaliseEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`);

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/v1/auth/login',
    {
      onRequest: perAddress,
      preHandler: perAccount,
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for a bearer token (rate-limited)',
        body: LoginBody,
        response: {
          200: Type.Object({ token: Type.String(), expiresIn: Type.Integer(), user: UserView }),
          ...errorResponses(400, 401, 429, 503),
        },
      },
    },
    async (request) => {
      const user = await options.users.findByEmail(request.body.email);
      const ok = await verifySecret(request.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || user.disabled || !isRole(user.role)) throw unauthorized('invalid email or password');
      const token = await fastify.jwt.sign({ sub: user.id, tid: user.tenantId, role: user.role, email: user.email, ver: user.tokenVersion });
      return {
        token,
        expiresIn: options.tokenTtlSeconds,
        user: { id: user.id, tenantId: user.tenantId, email: user.email, role: user.role },
      };
    },
  );

  // Sign-out ends every session of the user, not just this token: a bank expects "sign
  // out" to mean no token of the user works any more (a copy left on a shared branch
  // PC, or a stolen one, included), and the token version (migration 070) already does
  // exactly that across processes and restarts. A deny-list of token ids would have to
  // be shared by all processes and survive restarts (a table, swept at `exp`) to be as
  // final, and would still leave other copies of the session alive. The cost, signing
  // in again on another device, is what a bank's staff are used to.
  app.post(
    '/api/v1/auth/logout',
    {
      onRequest: fastify.requireRole(),
      schema: bearerRouteDocs(['auth'])('Sign out: every token of the caller issued so far is refused from now on', { response: { 204: Type.Null() } }),
    },
    async (request, reply) => {
      await options.users.endSessions(request.user.userId, request.user.tokenVersion, new Date());
      // This process refuses the token at once; others when their cached answer expires (accountCacheTtlMs).
      accounts.forget(request.user.userId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      onRequest: fastify.requireRole(),
      schema: bearerRouteDocs(['auth'])('The authenticated user', { response: { 200: UserView } }),
    },
    async (request) => ({ id: request.user.userId, tenantId: request.user.tenantId, email: request.user.email, role: request.user.role }),
  );
};

/** Login, JWT verification and role checks, visible to every plugin registered after it. */
export const authPlugin = fp(plugin, { name: 'auth' });
