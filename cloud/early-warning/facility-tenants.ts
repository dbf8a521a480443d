import type { PrismaClient } from '../db/generated/client.ts';

/**
 * The tenants that see a facility's cases and notices besides its bank: its borrower,
 * once the facility names one (facility.borrower_tenant_id, issue 23).
 */
export function createFacilityTenants(prisma: PrismaClient) {
  return async function facilityTenants(facilityIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (facilityIds.length === 0) return out;
    const rows = await prisma.facility.findMany({ where: { id: { in: [...facilityIds] }, borrowerTenantId: { not: null } }, select: { id: true, borrowerTenantId: true } });
    for (const r of rows) if (r.borrowerTenantId !== null) out.set(r.id, [r.borrowerTenantId]);
    return out;
  };
}
