import { randomUUID, type KeyObject } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import type { VerificationEvent } from '../../protocol/index.ts';
import { planIngest, type IngestPlan, type RejectionClass } from './ingest-plan.ts';
import type { SiteVisibility } from '../sites/site-visibility.ts';
import { eventScopeWhere } from './event-scope.ts';

/** Refused events kept per batch as evidence; a flood of forgeries adds only this many rows. */
const MAX_STORED_REJECTIONS = 100;

export interface StoredRejection {
  /** Row id in ingest_rejection. */
  recordId: string;
  class: RejectionClass;
}

export type IngestOutcome = IngestPlan & { storedRejections: StoredRejection[] };

interface HeadRow {
  last_seq: number;
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
  receivedAt: Date;
  ts: Date;
}

export function createEventRepository(prisma: PrismaClient) {
  return {
    /**
     * Plans and stores one batch under a row lock on the gateway, so concurrent batches
     * from the same gateway (a retry racing the original) are serialised against one head.
     */
    ingest(input: { gatewayId: string; siteId: string; publicKey: KeyObject; batch: VerificationEvent[] }): Promise<IngestOutcome> {
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<HeadRow[]>`SELECT last_seq, last_hash FROM gateway WHERE id = ${input.gatewayId} FOR UPDATE`;
        const head = rows[0];
        if (!head) throw new Error(`gateway ${input.gatewayId} vanished during ingestion`);
        const known = await tx.event.findMany({
          where: {
            OR: [
              { gatewayId: input.gatewayId, seq: { in: input.batch.map((e) => e.seq) } },
              { id: { in: input.batch.map((e) => e.id) } },
            ],
          },
          select: { id: true, seq: true, hash: true },
        });
        const plan = planIngest({ ...input, head: { seq: head.last_seq, hash: head.last_hash }, known });
        if (plan.accept.length > 0) {
          await tx.event.createMany({ data: plan.accept.map(toRow) });
          await tx.gateway.update({
            where: { id: input.gatewayId },
            data: { lastSeq: plan.head.seq, lastHash: plan.head.hash },
          });
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
        return { ...plan, storedRejections };
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
        select: { body: true, receivedAt: true, ts: true },
      });
      return rows.map((row) => ({ event: row.body as unknown as VerificationEvent, receivedAt: row.receivedAt, ts: row.ts }));
    },
  };
}

function toRow(event: VerificationEvent): Prisma.EventCreateManyInput {
  return {
    id: event.id,
    gatewayId: event.gatewayId,
    seq: event.seq,
    site: event.site,
    ts: new Date(event.ts),
    type: event.type,
    severity: event.severity,
    lotId: event.lotId ?? null,
    zone: event.zone ?? null,
    body: event as unknown as Prisma.InputJsonValue,
    prevHash: event.prevHash,
    hash: event.hash,
    sig: event.sig,
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
