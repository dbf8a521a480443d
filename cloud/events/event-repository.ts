import { randomUUID, type KeyObject } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import type { VerificationEvent } from '../../protocol/index.ts';
import { neighbourSeqs, planChain, screenBatch, type IngestPlan, type RejectionClass } from './ingest-plan.ts';
import { insertEventRows, knownEvents } from './event-rows.ts';
import { createSealVerifier, type SealVerifier } from './seal-verifier.ts';
import type { SiteVisibility } from '../sites/site-visibility.ts';
import { eventScopeWhere } from './event-scope.ts';
import { recordAttachmentCitations } from '../attachments/attachment-citations.ts';
import { screenEvidence, type EvidenceScreen } from './evidence-screen.ts';

/** Refused events kept per batch as evidence; a flood of forgeries adds only this many rows. */
const MAX_STORED_REJECTIONS = 100;

export interface StoredRejection {
  /** Row id in ingest_rejection. */
  recordId: string;
  class: RejectionClass;
}

export type IngestOutcome = IngestPlan & { storedRejections: StoredRejection[]; evidence: EvidenceScreen };

interface HeadRow {
  last_seq: bigint;
  last_hash: string;
}

export interface EventQuery {
  gatewayId?: string | undefined;
  site?: string | undefined;
  type?: string | undefined;
  severity?: string | undefined;
  lotId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Keyset cursor: events strictly older than this (ts, id). */
  before?: { ts: Date; id: string } | undefined;
  limit: number;
}

export interface StoredEvent {
  event: VerificationEvent;
  /** Why its evidence does not fit its type, when it does not (stored, applied to nothing). */
  evidenceError: string | null;
  receivedAt: Date;
  ts: Date;
}

export function createEventRepository(prisma: PrismaClient, options: { verifier?: SealVerifier } = {}) {
  let verifier = options.verifier;
  return {
    /**
     * Plans and stores one batch under a row lock on the gateway, so concurrent batches
     * from the same gateway (a retry racing the original) are serialised against one head.
     */
    async ingest(input: { gatewayId: string; siteId: string; publicKey: KeyObject; publicKeyPem: string; batch: VerificationEvent[] }): Promise<IngestOutcome> {
      // Signatures first, outside the transaction (and off the main thread): the row lock
      // below is then held only for the lookups and the insert.
      verifier ??= createSealVerifier();
      const verdicts = await verifier.check(input.batch, { pem: input.publicKeyPem, object: input.publicKey });
      const byEvent = new Map(input.batch.map((event, i) => [event, verdicts[i]]));
      const screened = screenBatch({ ...input, checkSeal: (event) => byEvent.get(event) ?? { ok: false, reason: 'signature', message: 'not checked' } });
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<HeadRow[]>`SELECT last_seq, last_hash FROM gateway WHERE id = ${input.gatewayId} FOR UPDATE`;
        const head = rows[0];
        if (!head) throw new Error(`gateway ${input.gatewayId} vanished during ingestion`);
        const chainHead = { seq: Number(head.last_seq), hash: head.last_hash };
        const known = screened.authentic.length === 0 ? [] : await knownEvents(tx, input.gatewayId, screened.authentic, neighbourSeqs(chainHead, screened.authentic));
        const plan = planChain({ head: chainHead, screened, known });
        const evidence = screenEvidence(plan.accept);
        if (plan.accept.length > 0) {
          await insertEventRows(tx, plan.accept, new Map(evidence.invalid.map((i) => [i.id, i.message])));
          await recordAttachmentCitations(tx, plan.accept);
          // A batch of late events only leaves the head as it was.
          if (plan.head.seq !== chainHead.seq) {
            await tx.$executeRaw`UPDATE gateway SET last_seq = ${plan.head.seq}, last_hash = ${plan.head.hash} WHERE id = ${input.gatewayId}`;
          }
        }
        const storedRejections: StoredRejection[] = [];
        if (plan.rejected.length > 0) {
          const bodies = new Map(input.batch.map((e) => [`${e.id}|${e.seq}`, e]));
          const rows = plan.rejected.slice(0, MAX_STORED_REJECTIONS).map((r) => ({
            id: randomUUID(),
            gatewayId: input.gatewayId,
            eventId: r.id,
            seq: r.seq,
            class: r.class,
            reason: r.reason.slice(0, 1000),
            body: (bodies.get(`${r.id}|${r.seq}`) ?? {}) as unknown as Prisma.InputJsonValue,
          }));
          await tx.ingestRejection.createMany({ data: rows });
          storedRejections.push(...rows.map((r) => ({ recordId: r.id, class: r.class })));
        }
        return { ...plan, storedRejections, evidence };
      });
    },

    /** Newest first, within what `visibility` lets the caller see. */
    async list(query: EventQuery, visibility: SiteVisibility): Promise<StoredEvent[]> {
      const scope = eventScopeWhere(visibility);
      if (scope === undefined) return [];
      const where: Prisma.EventWhereInput = {
        ...(query.gatewayId ? { gatewayId: query.gatewayId } : {}),
        ...(query.site ? { site: query.site } : {}),
        ...(query.type ? { type: query.type } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.lotId ? { lotId: query.lotId } : {}),
        ...(query.since || query.until ? { ts: { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lt: query.until } : {}) } } : {}),
      };
      const keyset: Prisma.EventWhereInput | undefined = query.before
        ? { OR: [{ ts: { lt: query.before.ts } }, { ts: query.before.ts, id: { lt: query.before.id } }] }
        : undefined;
      const rows = await prisma.event.findMany({
        where: { AND: [scope, where, ...(keyset ? [keyset] : [])] },
        orderBy: [{ ts: 'desc' }, { id: 'desc' }],
        take: query.limit,
        select: { body: true, receivedAt: true, ts: true, evidenceError: true },
      });
      return rows.map((row) => ({ event: row.body as unknown as VerificationEvent, evidenceError: row.evidenceError, receivedAt: row.receivedAt, ts: row.ts }));
    },

    /** Stops the verification threads, if any were started. */
    async close(): Promise<void> {
      await verifier?.close();
    },
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
