import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { conflict, notFound } from '../errors.ts';
import { lockVisibleCase, userActor } from './case-access.ts';
import type { CaseDeps } from './case-deps.ts';
import { caseView } from './case-views.ts';
import { MAX_PHOTOS_PER_COMMENT, type PhotoMediaType } from './photo-format.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PhotoMeta {
  id: string;
  commentId: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  at: string;
}

/**
 * Photos as evidence on a case's comments: whoever wrote a comment may attach photos
 * to it (already checked JPEG or PNG, photo-format.ts); whoever may see the case may
 * see them, and anyone else gets the same 404 as for a photo that does not exist.
 */
export function createCasePhotos(deps: CaseDeps) {
  async function attach(principal: Principal, caseId: string, commentId: string, photo: { bytes: Uint8Array; mediaType: PhotoMediaType }): Promise<PhotoMeta> {
    if (!UUID.test(commentId)) throw notFound('comment');
    const outcome = await inUnitOfWork({ prisma: deps.prisma }, async (tx) => {
      const { row, tenants } = await lockVisibleCase(tx, principal, caseId);
      const comment = await tx.caseComment.findFirst({ where: { id: commentId, caseId } });
      if (comment === null) throw notFound('comment');
      // The photo speaks for the comment's author: nobody adds pictures to another's words.
      if (comment.authorUserId !== principal.userId) throw notFound('comment');
      if ((await tx.casePhoto.count({ where: { commentId } })) >= MAX_PHOTOS_PER_COMMENT) throw conflict(`a comment carries at most ${MAX_PHOTOS_PER_COMMENT} photos`);
      const now = deps.now();
      const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
      const created = await tx.casePhoto.create({
        data: { id: randomUUID(), caseId, commentId, mediaType: photo.mediaType, sizeBytes: photo.bytes.length, sha256, bytes: Buffer.from(photo.bytes), uploadedBy: userActor(principal), at: now },
        select: { id: true, commentId: true, mediaType: true, sizeBytes: true, sha256: true, at: true },
      });
      const updated = await tx.alertCase.update({ where: { id: row.id }, data: { updatedAt: now } });
      await appendAudit(tx, {
        actor: userActor(principal),
        action: 'case.photo_added',
        entityType: 'case',
        entityId: row.id,
        tenantId: null,
        before: null,
        after: { photoId: created.id, commentId, mediaType: created.mediaType, sizeBytes: created.sizeBytes, sha256 },
        at: now,
      });
      return { created, updated, tenants };
    });
    deps.notifier.notify('case.updated', caseView(outcome.updated, deps.now()), outcome.tenants);
    return metaOf(outcome.created);
  }

  async function read(principal: Principal, photoId: string): Promise<{ bytes: Uint8Array; mediaType: string; sha256: string }> {
    if (!UUID.test(photoId)) throw notFound('photo');
    const photo = await deps.prisma.casePhoto.findUnique({ where: { id: photoId }, select: { caseId: true, bytes: true, mediaType: true, sha256: true } });
    if (photo === null) throw notFound('photo');
    if (principal.role !== 'admin') {
      const shared = await deps.prisma.caseTenant.findFirst({ where: { caseId: photo.caseId, tenantId: principal.tenantId }, select: { caseId: true } });
      if (shared === null) throw notFound('photo');
    }
    return { bytes: photo.bytes, mediaType: photo.mediaType, sha256: photo.sha256 };
  }

  return { attach, read };
}

/** The photos of a case's comments, without their bytes, by comment id. */
export async function photosByComment(prisma: Pick<PrismaClient, 'casePhoto'>, caseId: string): Promise<Map<string, PhotoMeta[]>> {
  const rows = await prisma.casePhoto.findMany({
    where: { caseId },
    select: { id: true, commentId: true, mediaType: true, sizeBytes: true, sha256: true, at: true },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  const map = new Map<string, PhotoMeta[]>();
  for (const row of rows) map.set(row.commentId, [...(map.get(row.commentId) ?? []), metaOf(row)]);
  return map;
}

function metaOf(row: { id: string; commentId: string; mediaType: string; sizeBytes: number; sha256: string; at: Date }): PhotoMeta {
  return { id: row.id, commentId: row.commentId, mediaType: row.mediaType, sizeBytes: row.sizeBytes, sha256: row.sha256, at: row.at.toISOString() };
}

export type CasePhotos = ReturnType<typeof createCasePhotos>;
