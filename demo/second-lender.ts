import type { Database } from '../cloud/db/database.ts';
import { createUserRepository } from '../cloud/auth/user-repository.ts';
import type { DomainEventBus } from '../cloud/domain-events/domain-event-bus.ts';
import { seedDemoCollateral } from './demo-collateral.ts';
import type { StockedLot } from '../protocol/index.ts';
import { DEMO_TENANTS, type DemoUser } from './seed-identity.ts';

/**
 * A second bank lending against other lots of the same warehouse, so tenancy is visible
 * in the demo: each bank's people see their own facility, receipts and cases only.
 */
export const SECOND_BANK = { id: 'bank-north', name: 'Northern Trade Bank', kind: 'bank' as const };

export const SECOND_BANK_LENDER: DemoUser = { email: 'lender@north.demo', role: 'lender', tenantId: SECOND_BANK.id, name: 'Nils Lender' };

export const SECOND_BANK_USERS: DemoUser[] = [
  SECOND_BANK_LENDER,
  { email: 'risk@north.demo', role: 'risk_officer', tenantId: SECOND_BANK.id, name: 'Nora Risk' },
  { email: 'branch@north.demo', role: 'branch_investigator', tenantId: SECOND_BANK.id, name: 'Noah Branch' },
];

/** One lot in three goes to the second bank (at least one when there are two), the rest to the first. */
export function splitLotsBetweenLenders<L>(lots: readonly L[]): { first: L[]; second: L[] } {
  const second = lots.filter((_, i) => i % 3 === 2);
  if (second.length === 0 && lots.length > 1) return { first: lots.slice(0, -1), second: lots.slice(-1) };
  return { first: lots.filter((_, i) => i % 3 !== 2), second };
}

/**
 * The second bank, its users and its facility over `lots`, through the same seeding as
 * the first bank's (its own reference within its own tenant). Idempotent.
 */
export async function seedSecondLender(db: Database, input: { site: string; lots: readonly StockedLot[]; bus: DomainEventBus; password: string }): Promise<{ receipts: number; facilityId: string }> {
  const users = createUserRepository(db.prisma);
  await users.upsertTenant(SECOND_BANK);
  for (const user of SECOND_BANK_USERS) await users.upsertUser({ ...user, password: input.password });
  return seedDemoCollateral(db, {
    site: input.site,
    operatorTenantId: DEMO_TENANTS.operator.id,
    bankTenantId: SECOND_BANK.id,
    borrowerTenantId: DEMO_TENANTS.borrower.id,
    lots: input.lots,
    bus: input.bus,
  });
}
