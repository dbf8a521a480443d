import type { VerificationEvent } from '../../protocol/index.ts';
import type { KnownEvent } from './ingest-plan.ts';

/** The raw SQL side of a Prisma client or interactive transaction. */
export interface RawSql {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

const COLUMNS = ['id', 'gateway_id', 'seq', 'site', 'ts', 'type', 'severity', 'lot_id', 'zone', 'body', 'prev_hash', 'hash', 'sig', 'evidence_error'] as const;
const CASTS = ['::uuid', '', '::bigint', '', '::timestamptz', '', '', '', '', '::jsonb', '', '', '', ''] as const;
// 14 parameters a row; PostgreSQL allows 65,535 in one statement.
const ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts events as multi-row INSERTs. Measured on PostgreSQL and PGlite, Prisma's
 * createMany spends ten times longer per batch than the statement itself takes
 * (bench/cloud-ingest), and ingestion's throughput is its insert. `evidenceErrors` marks,
 * by event id, the events whose evidence does not fit their type.
 */
export async function insertEventRows(db: RawSql, events: readonly VerificationEvent[], evidenceErrors: ReadonlyMap<string, string> = new Map()): Promise<void> {
  for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
    const chunk = events.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const rows = chunk.map((e) => {
      const first = params.length;
      params.push(e.id, e.gatewayId, e.seq, e.site, e.ts, e.type, e.severity, e.lotId ?? null, e.zone ?? null, JSON.stringify(e), e.prevHash, e.hash, e.sig, evidenceErrors.get(e.id) ?? null);
      return `(${CASTS.map((cast, i) => `$${first + i + 1}${cast}`).join(', ')})`;
    });
    await db.$executeRawUnsafe(`INSERT INTO event (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, ...params);
  }
}

/**
 * What is already stored under the seqs (of this gateway) or ids a batch mentions, and
 * under `extraSeqs` (the neighbours of late events, ingest-plan.ts).
 */
export async function knownEvents(db: RawSql, gatewayId: string, events: readonly VerificationEvent[], extraSeqs: readonly number[] = []): Promise<KnownEvent[]> {
  const rows = await db.$queryRawUnsafe<Array<Omit<KnownEvent, 'seq'> & { seq: bigint }>>(
    `SELECT id::text AS id, seq, hash, prev_hash AS "prevHash" FROM event WHERE (gateway_id = $1 AND seq = ANY($2::bigint[])) OR id = ANY($3::uuid[])`,
    gatewayId,
    [...events.map((e) => e.seq), ...extraSeqs],
    events.map((e) => e.id),
  );
  // seq is BIGINT; events never carry one above 2^53 - 1 (the schema refuses it), so a number holds it exactly.
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}
