import type { Database } from '../cloud/db/database.ts';
import { createUserRepository } from '../cloud/auth/user-repository.ts';
import { createGatewayRepository } from '../cloud/gateways/gateway-repository.ts';
import type { Role } from '../cloud/auth/principal.ts';
import type { SiteConfig } from '../protocol/index.ts';

export const DEMO_TENANTS = {
  bank: { id: 'bank-demo', name: 'Demo Commodity Bank', kind: 'bank' as const },
  operator: { id: 'wh-demo', name: 'Demo Bonded Warehousing Ltd', kind: 'warehouse_operator' as const },
  platform: { id: 'platform', name: 'Platform operations', kind: 'platform' as const },
  borrower: { id: 'borrower-demo', name: 'Demo Trading Co.', kind: 'borrower' as const },
};

export interface DemoUser {
  email: string;
  role: Role;
  tenantId: string;
  name: string;
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'lender@bank.demo', role: 'lender', tenantId: DEMO_TENANTS.bank.id, name: 'Lena Lender' },
  { email: 'risk@bank.demo', role: 'risk_officer', tenantId: DEMO_TENANTS.bank.id, name: 'Rafael Risk' },
  { email: 'branch@bank.demo', role: 'branch_investigator', tenantId: DEMO_TENANTS.bank.id, name: 'Bea Branch' },
  { email: 'operator@warehouse.demo', role: 'warehouse_operator', tenantId: DEMO_TENANTS.operator.id, name: 'Otto Operator' },
  { email: 'admin@platform.demo', role: 'admin', tenantId: DEMO_TENANTS.platform.id, name: 'Ada Admin' },
  { email: 'treasurer@trading.demo', role: 'borrower', tenantId: DEMO_TENANTS.borrower.id, name: 'Tao Treasurer' },
];

/**
 * Tenants, users, the site and its gateway for the demo. Idempotent: a second start on
 * the same data directory resets the demo passwords and the gateway token.
 */
export async function seedIdentity(db: Database, input: { site: SiteConfig; gatewayId: string; gatewayToken: string; password: string }): Promise<void> {
  const users = createUserRepository(db.prisma);
  for (const tenant of Object.values(DEMO_TENANTS)) await users.upsertTenant(tenant);
  for (const user of DEMO_USERS) await users.upsertUser({ ...user, password: input.password });
  await users.upsertSite({ id: input.site.site, tenantId: DEMO_TENANTS.operator.id, name: input.site.name ?? input.site.site, timezone: input.site.timezone });
  await createGatewayRepository(db.prisma).provision({ id: input.gatewayId, siteId: input.site.site, token: input.gatewayToken });
}
