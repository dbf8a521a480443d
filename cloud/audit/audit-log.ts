import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import { hashAuditRecord, verifyAuditEntries, type AuditChainCheck, type AuditRecord } from './audit-chain.ts';

/** A Prisma client or the client of an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

export interface AuditInput {
  /** `user:<uuid>`, `gateway:<id>` or `system:<component>`. */
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  /** The tenant whose data changed; tenant-scoped audit queries filter on it. */
  tenantId?: string | null | undefined;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

interface HeadRow {
  seq: number;
  hash: string;
}

/**
 * Appends one entry inside the caller's transaction, so the change and its audit entry
 * commit or roll back together. The head row lock serialises appends across processes.
 */
export async function appendAudit(tx: Prisma.TransactionClient, input: AuditInput): Promise<AuditRecord & { hash: string }> {
  const rows = await tx.$queryRaw<HeadRow[]>`SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`;
  const head = rows[0];
  if (!head) throw new Error('audit_head row is missing: database not migrated');
  const record: AuditRecord = {
    seq: head.seq + 1,
    // Millisecond precision: what timestamptz(3) stores is what was hashed.
    at: new Date(Math.floor((input.at ?? new Date()).getTime())).toISOString(),
    tenantId: input.tenantId ?? null,
    actor: input.actor,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: plain(input.before),
    after: plain(input.after),
    prevHash: head.hash,
  };
  const hash = hashAuditRecord(record);
  await tx.auditEntry.create({
    data: {
      ...record,
      at: new Date(record.at),
      before: record.before === null ? undefined : (record.before as Prisma.InputJsonValue),
      after: record.after === null ? undefined : (record.after as Prisma.InputJsonValue),
      hash,
    },
  });
  await tx.auditHead.update({ where: { id: 1 }, data: { seq: record.seq, hash } });
  return { ...record, hash };
}

// JSON round trip: Decimal and Date become strings, undefined disappears, so the stored
// JSONB and the hashed value are the same thing.
function plain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

export function toAuditRecord(row: {
  seq: number;
  at: Date;
  tenantId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}): AuditRecord & { hash: string } {
  return { ...row, at: row.at.toISOString(), before: row.before ?? null, after: row.after ?? null };
}

/** Re-verifies the whole trail in pages; reports the first broken entry. */
export async function verifyAuditTrail(db: Db, pageSize = 5_000): Promise<AuditChainCheck> {
  let start = { seq: 0, hash: '0'.repeat(64) };
  let count = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({ where: { seq: { gt: start.seq } }, orderBy: { seq: 'asc' }, take: pageSize });
    if (rows.length === 0) {
      // A removed tail leaves a consistent chain; only the stored head can tell.
      const head = await db.auditHead.findUnique({ where: { id: 1 } });
      if (head && (head.seq !== start.seq || head.hash !== start.hash)) {
        return { ok: false, seq: start.seq + 1, reason: 'seq', message: `trail ends at ${start.seq} but its head says ${head.seq}` };
      }
      return { ok: true, count, head: start };
    }
    const check = verifyAuditEntries(rows.map(toAuditRecord), start);
    if (!check.ok) return check;
    count += check.count;
    start = check.head;
  }
}
