import type { PrismaClient } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Entries older than this seq (paging backwards from the newest). */
  beforeSeq?: number | undefined;
  limit: number;
}

interface AuditRow {
  seq: number;
  at: Date;
  tenant_id: string | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export interface AuditView {
  seq: number;
  at: string;
  tenantId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

/**
 * The trail as a tenant may read it: entries written for its tenant, and the entries of
 * cases it sees (a case concerns several tenants, so its entries carry none and are
 * shared through case_tenant). Administrators read everything.
 */
export async function queryAudit(prisma: PrismaClient, principal: Principal, q: AuditQuery): Promise<AuditView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (principal.role !== 'admin') {
    const tenant = param(principal.tenantId);
    where.push(
      `(a.tenant_id = ${tenant} OR (a.entity_type = 'case' AND EXISTS (SELECT 1 FROM case_tenant ct WHERE ct.case_id::text = a.entity_id AND ct.tenant_id = ${tenant})))`,
    );
  }
  if (q.entityType !== undefined) where.push(`a.entity_type = ${param(q.entityType)}`);
  if (q.entityId !== undefined) where.push(`a.entity_id = ${param(q.entityId)}`);
  if (q.action !== undefined) where.push(`a.action = ${param(q.action)}`);
  if (q.actor !== undefined) where.push(`a.actor = ${param(q.actor)}`);
  if (q.since !== undefined) where.push(`a.at >= ${param(q.since)}::timestamptz`);
  if (q.until !== undefined) where.push(`a.at < ${param(q.until)}::timestamptz`);
  if (q.beforeSeq !== undefined) where.push(`a.seq < ${param(q.beforeSeq)}`);
  const sql = `SELECT a.seq, a.at, a.tenant_id, a.actor, a.action, a.entity_type, a.entity_id, a.before, a.after, a.prev_hash, a.hash
    FROM audit_entry a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.seq DESC LIMIT ${param(q.limit)}`;
  const rows = await prisma.$queryRawUnsafe<AuditRow[]>(sql, ...params);
  return rows.map((r) => ({
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    tenantId: r.tenant_id,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
