import type { PrismaClient } from '../db/generated/client.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import type { QuantityValue } from './daily-report.ts';

export interface ReceiptOnLot {
  site: string;
  lotId: string;
  number: string;
  holderTenantId: string | null;
  quantity: QuantityValue;
  verifiedQuantity: QuantityValue;
}

export interface FacilitySummary {
  id: string;
  reference: string;
  bankTenantId: string;
}

interface ReceiptRow {
  site_id: string;
  lot_id: string;
  number: string;
  holder_tenant_id: string | null;
  quantity: string;
  verified_quantity: string;
  unit: string;
}

const RECEIPT_COLUMNS = `r.site_id, r.lot_id, r.number, r.holder_tenant_id, r.quantity::text AS quantity, r.verified_quantity::text AS verified_quantity, r.unit`;
const ACTIVE = `r.status IN ('issued', 'pledged', 'called')`;

const toReceipt = (r: ReceiptRow): ReceiptOnLot => ({
  site: r.site_id,
  lotId: r.lot_id,
  number: r.number,
  holderTenantId: r.holder_tenant_id,
  quantity: { value: r.quantity, unit: r.unit },
  verifiedQuantity: { value: r.verified_quantity, unit: r.unit },
});

/**
 * What monitoring needs from the collateral domain (receipts, pledges, facilities,
 * release orders; migrations/010_collateral.sql), read with plain SQL so the two
 * domains share tables, not code. Without those tables every answer is empty.
 */
export function createCollateralLookup(prisma: PrismaClient, directory: TenantDirectory) {
  const guard = async <T>(empty: T, fn: () => Promise<T>): Promise<T> => ((await directory.hasCollateral()) ? fn() : empty);

  return {
    /** Whether the collateral tables exist (else every answer here is empty). */
    available: (): Promise<boolean> => directory.hasCollateral(),

    /** Active receipts at a site; with `holderTenantId` only that bank's pledged ones. */
    receiptsAtSite: (site: string, holderTenantId?: string): Promise<ReceiptOnLot[]> =>
      guard([], async () =>
        (
          await prisma.$queryRawUnsafe<ReceiptRow[]>(
            `SELECT ${RECEIPT_COLUMNS} FROM receipt r WHERE r.site_id = $1 AND ${ACTIVE}
             AND ($2::text IS NULL OR (r.holder_tenant_id = $2 AND r.status IN ('pledged', 'called'))) ORDER BY r.lot_id`,
            site,
            holderTenantId ?? null,
          )
        ).map(toReceipt),
      ),

    facility: (id: string): Promise<FacilitySummary | null> =>
      guard(null, async () => {
        const rows = await prisma.$queryRawUnsafe<{ id: string; reference: string; bank_tenant_id: string }[]>(
          `SELECT id::text, reference, bank_tenant_id FROM facility WHERE id::text = $1`,
          id,
        );
        const row = rows[0];
        return row === undefined ? null : { id: row.id, reference: row.reference, bankTenantId: row.bank_tenant_id };
      }),

    /** Receipts under an active pledge to the facility. */
    facilityReceipts: (facilityId: string): Promise<ReceiptOnLot[]> =>
      guard([], async () =>
        (
          await prisma.$queryRawUnsafe<ReceiptRow[]>(
            `SELECT ${RECEIPT_COLUMNS} FROM pledge p JOIN receipt r ON r.id = p.receipt_id
             WHERE p.facility_id::text = $1 AND p.status = 'active' ORDER BY r.site_id, r.lot_id`,
            facilityId,
          )
        ).map(toReceipt),
      ),

    /** Release orders completed in [from, to) at the sites, by lot. */
    releases: (sites: readonly string[], from: Date, to: Date): Promise<{ site: string; lotId: string; count: number; quantity: QuantityValue | null }[]> =>
      guard([], async () => {
        if (sites.length === 0) return [];
        const rows = await prisma.$queryRawUnsafe<{ site_id: string; lot_id: string; n: number; quantity: string | null; unit: string | null }[]>(
          `SELECT site_id, lot_id, count(*)::int AS n, sum(quantity)::text AS quantity, min(unit) AS unit
           FROM release_order WHERE site_id = ANY($1::text[]) AND status = 'completed' AND completed_at >= $2 AND completed_at < $3
           GROUP BY site_id, lot_id`,
          [...sites],
          from,
          to,
        );
        return rows.map((r) => ({ site: r.site_id, lotId: r.lot_id, count: r.n, quantity: r.quantity !== null && r.unit !== null ? { value: r.quantity, unit: r.unit } : null }));
      }),

    /** Each (site, bank) with pledged receipts there: who inspects which warehouse. */
    exposures: async (): Promise<{ siteId: string; tenantId: string }[]> => {
      if (!(await directory.hasCollateral())) {
        const [sites, banks] = await Promise.all([
          prisma.site.findMany({ select: { id: true } }),
          prisma.tenant.findMany({ where: { kind: 'bank' }, select: { id: true } }),
        ]);
        return sites.flatMap((s) => banks.map((b) => ({ siteId: s.id, tenantId: b.id })));
      }
      const rows = await prisma.$queryRawUnsafe<{ site_id: string; tenant_id: string }[]>(
        `SELECT DISTINCT r.site_id, r.holder_tenant_id AS tenant_id FROM receipt r JOIN site s ON s.id = r.site_id
         WHERE r.status IN ('pledged', 'called') AND r.holder_tenant_id IS NOT NULL ORDER BY 1, 2`,
      );
      return rows.map((r) => ({ siteId: r.site_id, tenantId: r.tenant_id }));
    },
  };
}

export type CollateralLookup = ReturnType<typeof createCollateralLookup>;
