import type { StockedLot } from '../protocol/index.ts';
import type { Principal } from '../cloud/auth/principal.ts';
import type { Database } from '../cloud/db/database.ts';
import type { DomainEventBus } from '../cloud/domain-events/domain-event-bus.ts';
import { createFacilityService } from '../cloud/facilities/facility-service.ts';
import { createPledgeService } from '../cloud/pledges/pledge-service.ts';
import { createPriceImporter } from '../cloud/prices/price-import.ts';
import type { PriceTick } from '../cloud/prices/price-tick.ts';
import { createReceiptService } from '../cloud/receipts/receipt-service.ts';
import { ACTIVE_RECEIPT_STATUSES } from '../cloud/receipts/receipt-state.ts';
import { fromDb } from '../cloud/valuation/db-decimal.ts';
import { Dec } from '../cloud/valuation/decimal.ts';
import { revalueSeries } from '../cloud/risk/revalue-series.ts';

export interface DemoCollateralInput {
  readonly site: string;
  readonly operatorTenantId: string;
  readonly bankTenantId: string;
  /** The borrower's own tenant, linked to the facility so its users can draw and repay. */
  readonly borrowerTenantId?: string;
  readonly lots: readonly StockedLot[];
  readonly bus: DomainEventBus;
  readonly now?: Date;
}

// Indicative USD prices per tonne, around which the demo history moves.
const PRICE_PER_T: Readonly<Record<string, number>> = { coffee: 4_000, cocoa: 8_000, copper: 9_000, aluminium: 2_400, maize: 200 };
const HISTORY_DAYS = 30;
const FACILITY_REFERENCE = 'DEMO-RF-001';
const BORROWER = { ref: 'DEMO-DEPOSITOR', name: 'Demo Trading Co.' };

/**
 * Receipts for the demo site's lots, pledged under one revolving facility drawn to half
 * of what is available, with a month of daily prices so volatility haircuts are real.
 * Goes through the same services as the API; running it again changes nothing.
 */
export async function seedDemoCollateral(db: Database, input: DemoCollateralInput): Promise<{ receipts: number; facilityId: string }> {
  const deps = { prisma: db.prisma, bus: input.bus, now: () => new Date() };
  const operator: Principal = { userId: 'demo-seed', tenantId: input.operatorTenantId, role: 'warehouse_operator', email: 'seed@demo' };
  const lender: Principal = { userId: 'demo-seed', tenantId: input.bankTenantId, role: 'lender', email: 'seed@demo' };
  const now = input.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

  // A gentle deterministic swing of about ±2 % a day, so σ (and the haircut) is plausible.
  const ticks: PriceTick[] = [...new Set(input.lots.map((l) => l.commodity))].flatMap((commodity) =>
    Array.from({ length: HISTORY_DAYS }, (_, i) => ({
      commodity,
      price: new Dec(PRICE_PER_T[commodity] ?? 1_000).times(1 + 0.02 * Math.sin(i * 1.7 + commodity.length)).toDecimalPlaces(2).toFixed(),
      currency: 'USD',
      unit: 't',
      ts: new Date(today - (HISTORY_DAYS - i) * 86_400_000 + 16 * 3_600_000),
      source: 'demo',
    })),
  );
  await createPriceImporter({ ...deps, revalue: revalueSeries })(
    { ticks, tickCount: ticks.length, badRows: [], badRowCount: 0, rowsDone: ticks.length, bytesDone: 0, headerDetected: false },
    { actor: 'system:demo-seed' },
  );

  const facilities = createFacilityService(deps);
  const existing = await db.prisma.facility.findFirst({ where: { bankTenantId: input.bankTenantId, reference: FACILITY_REFERENCE } });
  const facility =
    existing ??
    (await facilities.create(lender, {
      reference: FACILITY_REFERENCE,
      borrower: { ...BORROWER, tenantId: input.borrowerTenantId },
      limit: { amount: '5000000', currency: 'USD' },
      validFrom: new Date(today - HISTORY_DAYS * 86_400_000),
      validUntil: new Date(today + 365 * 86_400_000),
      annualRate: '0.085',
    }));

  // A facility seeded before borrowers had tenants is linked on the next start.
  if (input.borrowerTenantId !== undefined && facility.borrowerTenantId !== input.borrowerTenantId) {
    await facilities.linkBorrower(lender, facility.id, input.borrowerTenantId);
  }

  const receipts = createReceiptService(deps);
  const pledges = createPledgeService(deps);
  let issued = 0;
  for (const lot of input.lots) {
    const current = await db.prisma.receipt.findFirst({ where: { siteId: input.site, lotId: lot.lotId, status: { in: [...ACTIVE_RECEIPT_STATUSES] } } });
    const receipt =
      current ??
      (await receipts.issue(operator, {
        siteId: input.site,
        zone: lot.zone,
        lotId: lot.lotId,
        commodity: lot.commodity,
        grade: 'standard',
        quantity: { value: lot.quantity, unit: lot.unit },
        epcs: lot.epcs,
        depositor: BORROWER,
        validUntil: new Date(today + 180 * 86_400_000),
      }));
    if (current === null) issued += 1;
    if (receipt.status === 'issued') await pledges.pledge(lender, { receiptId: receipt.id, facilityId: facility.id });
  }

  const refreshed = await db.prisma.facility.findUniqueOrThrow({ where: { id: facility.id } });
  const half = new Dec(fromDb(refreshed.available)).dividedBy(2).toDecimalPlaces(2, Dec.ROUND_DOWN);
  if (existing === null && half.greaterThan(0)) await facilities.drawdown(lender, facility.id, { amount: half.toFixed(2), currency: 'USD' }, 'demo drawing');
  return { receipts: issued, facilityId: facility.id };
}
