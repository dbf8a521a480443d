import { canonicalJson, sha256Hex, GENESIS_HASH } from '../../protocol/index.ts';

/** One audit entry as hashed: `at` as an ISO string, absent before/after as null. */
export interface AuditRecord {
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
}

/** SHA-256 over the RFC 8785 canonical JSON of the record, the same scheme as gateway events. */
export function hashAuditRecord(record: AuditRecord): string {
  return sha256Hex(canonicalJson(record));
}

export type AuditChainCheck =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; seq: number; reason: 'seq' | 'prevHash' | 'hash'; message: string };

/** Walks entries in seq order and names the first one that does not continue the chain. */
export function verifyAuditEntries(
  entries: Iterable<AuditRecord & { hash: string }>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): AuditChainCheck {
  let head = start;
  let count = 0;
  for (const entry of entries) {
    const { hash, ...record } = entry;
    if (record.seq !== head.seq + 1) {
      return { ok: false, seq: record.seq, reason: 'seq', message: `expected seq ${head.seq + 1}, found ${record.seq}` };
    }
    if (record.prevHash !== head.hash) {
      return { ok: false, seq: record.seq, reason: 'prevHash', message: `entry ${record.seq} does not link to entry ${head.seq}` };
    }
    if (hashAuditRecord(record) !== hash) {
      return { ok: false, seq: record.seq, reason: 'hash', message: `entry ${record.seq} was altered after it was written` };
    }
    head = { seq: record.seq, hash };
    count += 1;
  }
  return { ok: true, count, head };
}
