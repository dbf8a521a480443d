import type { Prisma } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import { badRequest, notFound } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../events/event-cursor.ts';
import type { CaseDeps } from './case-deps.ts';
import type { CaseSeverity } from './case-sla.ts';
import type { CaseStatus } from './case-state.ts';
import { photosByComment } from './case-photos.ts';
import { caseView, commentView, evidenceView, photoView, type CaseDetailView, type CaseView } from './case-views.ts';

export interface CaseQuery {
  /** A status, or 'active' for every unresolved one. */
  status?: CaseStatus | 'active' | undefined;
  severity?: CaseSeverity | undefined;
  kind?: string | undefined;
  site?: string | undefined;
  lotId?: string | undefined;
  assigneeId?: string | undefined;
  overdue?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cases as the caller may see them: through case_tenant, or all of them for administrators. */
export function createCaseQueries(deps: Pick<CaseDeps, 'prisma' | 'now'>) {
  const visibleTo = (principal: Principal): Prisma.AlertCaseWhereInput =>
    principal.role === 'admin' ? {} : { tenants: { some: { tenantId: principal.tenantId } } };

  async function list(principal: Principal, q: CaseQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const now = deps.now();
    const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && before === undefined) throw badRequest('cursor is not valid');
    const filters: Prisma.AlertCaseWhereInput[] = [
      visibleTo(principal),
      q.status === 'active' ? { status: { not: 'resolved' } } : q.status ? { status: q.status } : {},
      q.severity ? { severity: q.severity } : {},
      q.kind ? { kind: q.kind } : {},
      q.site ? { siteId: q.site } : {},
      q.lotId ? { lotId: q.lotId } : {},
      q.assigneeId ? { assigneeId: q.assigneeId } : {},
      q.overdue === true ? { status: { not: 'resolved' }, dueAt: { lte: now } } : {},
      q.overdue === false ? { OR: [{ status: 'resolved' }, { dueAt: null }, { dueAt: { gt: now } }] } : {},
      before ? { OR: [{ openedAt: { lt: before.ts } }, { openedAt: before.ts, id: { lt: before.id } }] } : {},
    ];
    const rows = await deps.prisma.alertCase.findMany({ where: { AND: filters }, orderBy: [{ openedAt: 'desc' }, { id: 'desc' }], take: q.limit });
    const last = rows.at(-1);
    return {
      items: rows.map((r) => caseView(r, now)),
      nextCursor: rows.length === q.limit && last ? encodeCursor({ ts: last.openedAt, id: last.id }) : null,
    };
  }

  async function get(principal: Principal, id: string): Promise<CaseDetailView> {
    if (!UUID.test(id)) throw notFound('case');
    const row = await deps.prisma.alertCase.findFirst({
      where: { AND: [{ id }, visibleTo(principal)] },
      include: { comments: { orderBy: { at: 'asc' } }, evidence: { orderBy: [{ at: 'asc' }, { id: 'asc' }], take: 500 } },
    });
    if (row === null) throw notFound('case');
    const { comments, evidence, ...rest } = row;
    const photos = await photosByComment(deps.prisma, id);
    return { ...caseView(rest, deps.now()), comments: comments.map((c) => commentView(c, (photos.get(c.id) ?? []).map(photoView))), evidence: evidence.map(evidenceView) };
  }

  return { list, get };
}

export type CaseQueries = ReturnType<typeof createCaseQueries>;
