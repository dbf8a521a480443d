import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import { judgeUpload, type UploadVerdict } from './upload-verdict.ts';

export interface UploadInput {
  gatewayId: string;
  siteId: string;
  sha256: string;
  bodySha256: string;
  content: Buffer;
  contentType: string;
  tenantMaxBytes: number;
}

export interface StoredAttachment {
  mediaType: string;
  content: Buffer;
}

// A crop is cited by one event, a clip by one or two; this many is far beyond either.
const MAX_CITATIONS_LOOKED_AT = 1_000;

/** The attachments' queries: checking and storing an upload, finding a copy a user may read. */
export function createAttachmentRepository(prisma: PrismaClient) {
  return {
    /**
     * Judges and stores an upload in one transaction, under a lock on the tenant so two
     * concurrent uploads cannot both pass its bound.
     */
    async upload(input: UploadInput): Promise<UploadVerdict> {
      return prisma.$transaction(async (tx) => {
        const citations = await tx.attachmentCitation.findMany({
          where: { gatewayId: input.gatewayId, sha256: input.sha256 },
          select: { bytes: true, mediaType: true },
          distinct: ['bytes', 'mediaType'],
          take: 20,
        });
        // The site's tenant when the site is registered; the site alone otherwise.
        const [owner] = await tx.$queryRawUnsafe<{ tenant: string }[]>(`SELECT COALESCE((SELECT tenant_id FROM site WHERE id = $1), 'site:' || $1) AS tenant`, input.siteId);
        const tenant = owner?.tenant ?? `site:${input.siteId}`;
        await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext('attachment-tenant:' || $1))) AS l`, tenant);
        const existing = await tx.attachment.findUnique({ where: { gatewayId_sha256: { gatewayId: input.gatewayId, sha256: input.sha256 } }, select: { bytes: true } });
        const [used] = await tx.$queryRawUnsafe<{ used: bigint | number | string }[]>(
          `SELECT COALESCE(SUM(bytes), 0)::bigint AS used FROM attachment
           WHERE site_id = $1 OR site_id IN (SELECT id FROM site WHERE tenant_id = (SELECT tenant_id FROM site WHERE id = $1))`,
          input.siteId,
        );
        const verdict = judgeUpload({
          claimedSha256: input.sha256,
          bodySha256: input.bodySha256,
          bodyBytes: input.content.byteLength,
          contentType: input.contentType,
          citations,
          alreadyStored: existing !== null,
          tenantUsedBytes: Number(used?.used ?? 0),
          tenantMaxBytes: input.tenantMaxBytes,
        });
        if (verdict.kind === 'store') {
          await tx.attachment.create({
            data: { gatewayId: input.gatewayId, sha256: input.sha256, siteId: input.siteId, mediaType: verdict.mediaType, bytes: verdict.bytes, content: new Uint8Array(input.content) },
          });
        }
        return verdict;
      });
    },

    /**
     * The gateway whose stored copy a caller may read: one of its events cites the hash
     * and lies within `scope` (the event log's own filter). Undefined otherwise, so a
     * stranger cannot tell an attachment they may not see from one that does not exist.
     */
    async visibleCopy(sha256: string, scope: Prisma.EventWhereInput): Promise<{ gatewayId: string } | undefined> {
      const copies = await prisma.attachment.findMany({ where: { sha256 }, select: { gatewayId: true } });
      if (copies.length === 0) return undefined;
      const citations = await prisma.attachmentCitation.findMany({
        where: { sha256, gatewayId: { in: copies.map((c) => c.gatewayId) } },
        select: { eventId: true },
        take: MAX_CITATIONS_LOOKED_AT,
      });
      if (citations.length === 0) return undefined;
      const event = await prisma.event.findFirst({ where: { AND: [scope, { id: { in: citations.map((c) => c.eventId) } }] }, select: { gatewayId: true } });
      return event === null ? undefined : { gatewayId: event.gatewayId };
    },

    async content(gatewayId: string, sha256: string): Promise<StoredAttachment | undefined> {
      const row = await prisma.attachment.findUnique({ where: { gatewayId_sha256: { gatewayId, sha256 } }, select: { mediaType: true, content: true } });
      return row === null ? undefined : { mediaType: row.mediaType, content: Buffer.from(row.content) };
    },
  };
}

export type AttachmentRepository = ReturnType<typeof createAttachmentRepository>;
