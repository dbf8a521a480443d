import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../infra/logger.ts';
import { buildCloudApp } from '../../cloud/app.ts';
import { loadCloudConfig } from '../../cloud/config.ts';
import type { Database } from '../../cloud/db/database.ts';
import { createDomainEventBus, type DomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import { createUserRepository } from '../../cloud/auth/user-repository.ts';
import type { Role, TenantKind } from '../../cloud/auth/principal.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestTenant {
  readonly id: string;
  readonly kind: TenantKind;
  /** The id when left out. */
  readonly name?: string;
}

export interface TestSite {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly timezone: string;
}

/** Banks bank-a and bank-b, warehouse operators wh-a and wh-b, borrowers borrower-a and borrower-b, and the platform. */
export const TEST_TENANTS: readonly TestTenant[] = [
  { id: 'bank-a', kind: 'bank' },
  { id: 'bank-b', kind: 'bank' },
  { id: 'wh-a', kind: 'warehouse_operator' },
  { id: 'wh-b', kind: 'warehouse_operator' },
  { id: 'platform', kind: 'platform' },
  { id: 'borrower-a', kind: 'borrower' },
  { id: 'borrower-b', kind: 'borrower' },
];

/** A user who only ever holds a token minted directly (no login round trip). */
export interface TokenHolder {
  readonly userId: string;
  readonly email: string;
  readonly token: string;
  /**
   * Creates the user in app_user, once: auth checks on every request that the token's
   * user exists and is enabled.
   */
  ready(): Promise<void>;
}

// Never matches a password: these users only ever hold minted tokens.
const TOKEN_ONLY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function tokenHolder(
  app: FastifyInstance,
  db: Database,
  tenantId: string,
  role: Role,
  options: { userId?: string; email?: string; name?: string } = {},
): TokenHolder {
  const userId = options.userId ?? randomUUID();
  const email = options.email ?? `${role}-${userId.slice(0, 8)}@${tenantId}.test`;
  const name = options.name ?? email;
  let created: Promise<unknown> | undefined;
  return {
    userId,
    email,
    token: app.jwt.sign({ sub: userId, tid: tenantId, role, email }),
    async ready() {
      created ??= db.prisma.user.upsert({ where: { id: userId }, create: { id: userId, tenantId, email, name, role, passwordHash: TOKEN_ONLY_HASH }, update: {} });
      await created;
    },
  };
}

/** Creates (or renames) the tenants, then the sites. */
export async function seedTenants(db: Database, tenants: readonly TestTenant[], sites: readonly TestSite[] = []): Promise<void> {
  const users = createUserRepository(db.prisma);
  for (const tenant of tenants) await users.upsertTenant({ id: tenant.id, name: tenant.name ?? tenant.id, kind: tenant.kind });
  for (const site of sites) await users.upsertSite(site);
}

export interface TestCloudOptions {
  readonly tenants?: readonly TestTenant[];
  readonly sites?: readonly TestSite[];
  /** The logger's name. */
  readonly name?: string;
  /** Settings as the environment would give them (validated by loadCloudConfig); defaults otherwise. */
  readonly env?: NodeJS.ProcessEnv;
  /** The app's clock for what happens with time alone (see `createTestClock`); real time otherwise. */
  readonly now?: () => Date;
}

export interface TestCloud {
  app: FastifyInstance;
  db: Database;
  bus: DomainEventBus;
  /** A user of `tenantId` holding a minted token; see `TokenHolder.ready`. */
  tokenHolder(tenantId: string, role: Role, options?: { email?: string }): TokenHolder;
  /** Waits for the bus's listeners, then closes the app and the database. */
  close(): Promise<void>;
}

/**
 * The real cloud app on an isolated database, driven with fastify's inject (no socket),
 * with the tenants and sites asked for.
 */
export async function startTestCloud(options: TestCloudOptions = {}): Promise<TestCloud> {
  const db = await openTestDatabase();
  const log = createLogger(options.name ?? 'cloud-test');
  const bus = createDomainEventBus(log);
  const app = await buildCloudApp({ db, log, bus, config: loadCloudConfig(options.env ?? {}), ...(options.now === undefined ? {} : { now: options.now }) });
  await app.ready();
  await seedTenants(db, options.tenants ?? [], options.sites);
  return {
    app,
    db,
    bus,
    tokenHolder: (tenantId, role, holder) => tokenHolder(app, db, tenantId, role, holder),
    close: async () => {
      await bus.idle();
      await app.close();
      await db.close();
    },
  };
}
