import { createHash } from 'node:crypto';
import { normaliseManifest, type ManifestLot, type SiteManifest } from '../../protocol/index.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { fromDb, fromDbOrNull } from '../valuation/db-decimal.ts';

/**
 * What a site's gateway must watch: the lots of pledged (and called) receipts with the
 * EPCs each should hold, and the release orders the lender approved that are still
 * valid, so an authorised movement is expected rather than reported as theft.
 */
export async function buildSiteManifest(prisma: PrismaClient, site: string, now: Date): Promise<{ manifest: SiteManifest; etag: string }> {
  const receipts = await prisma.receipt.findMany({ where: { siteId: site, status: { in: ['pledged', 'called'] } }, orderBy: [{ lotId: 'asc' }, { id: 'asc' }] });
  const items = await prisma.receiptItem.findMany({
    where: { receiptId: { in: receipts.map((r) => r.id) }, active: true },
    select: { receiptId: true, epc: true },
    orderBy: [{ receiptId: 'asc' }, { epc: 'asc' }],
  });
  const epcs = new Map<string, string[]>();
  for (const item of items) epcs.set(item.receiptId, [...(epcs.get(item.receiptId) ?? []), item.epc]);
  const orders = await prisma.releaseOrder.findMany({
    where: { siteId: site, status: 'approved', validUntil: { gt: now } },
    orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }],
  });
  const content = {
    site,
    lots: receipts.map((r) => ({
      lotId: r.lotId,
      receiptId: r.id,
      receiptNumber: r.number,
      zone: r.zone,
      commodity: r.commodity,
      quantity: { value: fromDb(r.quantity), unit: r.unit },
      epcs: epcs.get(r.id) ?? [],
      status: r.status as ManifestLot['status'],
    })),
    releaseOrders: orders.map((o) => {
      const quantity = fromDbOrNull(o.quantity);
      return {
        id: o.id,
        reference: o.reference,
        lotId: o.lotId,
        receiptId: o.receiptId,
        epcs: o.epcs,
        quantity: quantity === null || o.unit === null ? null : { value: quantity, unit: o.unit },
        status: 'approved' as const,
        validFrom: o.validFrom.toISOString(),
        validUntil: o.validUntil.toISOString(),
      };
    }),
  };
  // The tag covers the content only, not generatedAt, so an unchanged manifest keeps it.
  const etag = `"${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 40)}"`;
  // EPCs are stored uppercase already; normalising again keeps the served form the protocol's whatever wrote the rows.
  return { manifest: normaliseManifest({ site, generatedAt: now.toISOString(), lots: content.lots, releaseOrders: content.releaseOrders }), etag };
}

/** RFC 9110 §13.1.2: a list of entity tags or "*"; weak comparison. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
