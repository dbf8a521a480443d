import { citedAttachments, type VerificationEvent } from '../../protocol/index.ts';

/** The raw SQL side of a Prisma client or interactive transaction. */
interface RawSql {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

// 5 parameters a row; PostgreSQL allows 65,535 in one statement (8 citations an event,
// 5,000 events a batch would pass it in one).
const ROWS_PER_STATEMENT = 10_000;

/**
 * Records which of the events just stored cite which attachments, in the ingest's own
 * transaction: the citation is what lets the gateway upload those bytes afterwards (an
 * upload no signed event vouches for is refused) and what a user's right to read them is
 * checked against.
 */
export async function recordAttachmentCitations(db: RawSql, events: readonly VerificationEvent[]): Promise<void> {
  const rows = events.flatMap((event) => citedAttachments(event.evidence).map((ref) => [event.id, ref.sha256, event.gatewayId, ref.bytes, ref.mediaType]));
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const placeholders = chunk.map((_, i) => `($${i * 5 + 1}::uuid, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}::integer, $${i * 5 + 5})`);
    await db.$executeRawUnsafe(
      `INSERT INTO attachment_citation (event_id, sha256, gateway_id, bytes, media_type) VALUES ${placeholders.join(', ')} ON CONFLICT DO NOTHING`,
      ...chunk.flat(),
    );
  }
}
