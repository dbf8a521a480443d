import type { PrismaClient } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import type { AuditRecord } from './audit-chain.ts';
import { toAuditRecord } from './audit-log.ts';

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

/** An entry as the API shows it: the hashed record and its hash. */
export type AuditView = AuditRecord & { hash: string };

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
  // Columns named as the stored record's fields, so rows map exactly as the chain check's do.
  const sql = `SELECT a.seq, a.at, a.tenant_id AS "tenantId", a.actor, a.action, a.entity_type AS "entityType", a.entity_id AS "entityId",
      a.before, a.after, a.prev_hash AS "prevHash", a.hash
    FROM audit_entry a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.seq DESC LIMIT ${param(q.limit)}`;
  const rows = await prisma.$queryRawUnsafe<Parameters<typeof toAuditRecord>[0][]>(sql, ...params);
  // new Date: the raw driver's timestamps are not guaranteed to arrive as Date objects.
  return rows.map((row) => toAuditRecord({ ...row, at: new Date(row.at) }));
}
