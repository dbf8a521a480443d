import type { PrismaClient } from '../db/generated/client.ts';

/**
 * The tenants that see a facility's cases and notices besides its bank: its borrower,
 * once the facility names one (facility.borrower_tenant_id, issue 23).
 */
export function createFacilityTenants(prisma: PrismaClient) {
  return async function facilityTenants(facilityIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (facilityIds.length === 0) return out;
    const columns = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'facility' AND column_name = 'borrower_tenant_id'`;
    if ((columns[0]?.n ?? 0) === 0) return out;
    const rows = await prisma.$queryRawUnsafe<{ id: string; borrower: string | null }[]>(
      'SELECT id::text AS id, borrower_tenant_id AS borrower FROM facility WHERE id = ANY($1::uuid[])',
      [...facilityIds],
    );
    for (const r of rows) if (r.borrower !== null) out.set(r.id, [r.borrower]);
    return out;
  };
}
