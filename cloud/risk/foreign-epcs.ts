import type { EvidenceOf } from '../../protocol/index.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';

interface PledgedItemRow {
  epc: string;
  receipt_id: string;
  number: string;
  site_id: string;
  lot_id: string;
  holder_tenant_id: string;
  facility_id: string | null;
}

/** EPCs named by a `tags.foreign` event's evidence (`tags: [{epc, urn}]`), uppercase hex. */
export function foreignEpcs(evidence: EvidenceOf<'tags.foreign'>): string[] {
  return [...new Set(evidence.tags.map((t) => t.epc.toUpperCase()))];
}

/**
 * Goods pledged at one site turning up at another are either moved without consent or
 * pledged twice under another identity. The alerts domain owns cases, so this only
 * announces it on the bus: collateral.changed with reason 'pledged_epc_elsewhere', one
 * per receipt, tenant = the bank holding it, detail naming the EPCs and both sites.
 */
export function createForeignEpcDetector(deps: { prisma: PrismaClient; bus: DomainEventBus }) {
  return async function detect(input: { gatewayId: string; site: string; eventId: string; at: string; evidence: EvidenceOf<'tags.foreign'> }): Promise<number> {
    const epcs = foreignEpcs(input.evidence);
    if (epcs.length === 0) return 0;
    const rows = await deps.prisma.$queryRaw<PledgedItemRow[]>`
      SELECT i.epc, r.id::text AS receipt_id, r.number, r.site_id, r.lot_id, r.holder_tenant_id, l.facility_id::text AS facility_id
      FROM receipt_item i
      JOIN receipt r ON r.id = i.receipt_id
      LEFT JOIN collateral_line l ON l.receipt_id = r.id
      WHERE i.active AND i.epc = ANY(${epcs}::text[]) AND r.site_id <> ${input.site} AND r.status IN ('pledged', 'called')`;
    const byReceipt = new Map<string, PledgedItemRow[]>();
    for (const row of rows) byReceipt.set(row.receipt_id, [...(byReceipt.get(row.receipt_id) ?? []), row]);
    for (const [receiptId, items] of byReceipt) {
      const first = items[0];
      if (first === undefined) continue;
      deps.bus.emit('collateral.changed', {
        tenantId: first.holder_tenant_id,
        facilityId: first.facility_id,
        receiptId,
        reason: 'pledged_epc_elsewhere',
        detail: {
          receiptNumber: first.number,
          receiptSite: first.site_id,
          lotId: first.lot_id,
          seenAtSite: input.site,
          gatewayId: input.gatewayId,
          eventId: input.eventId,
          at: input.at,
          epcs: items.map((i) => i.epc),
        },
      });
    }
    return byReceipt.size;
  };
}
