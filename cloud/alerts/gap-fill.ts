import { randomUUID } from 'node:crypto';
import type { AlertCase } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { MAX_AUTOMATIC_EVIDENCE, type CaseDeps } from './case-deps.ts';
import { caseView } from './case-views.ts';

export interface GapFill {
  gatewayId: string;
  site: string;
  seq: number;
  /** The late event's id. */
  id: string;
  linked: boolean;
}

/** The gap a case was opened for, from the anomaly kept in its detail. */
function gapRange(row: AlertCase): { from: number; to: number } | undefined {
  const detail = row.detail as { anomaly?: { from?: unknown; to?: unknown } } | null;
  const from = detail?.anomaly?.from;
  const to = detail?.anomaly?.to;
  return typeof from === 'number' && typeof to === 'number' ? { from, to } : undefined;
}

/**
 * Notes on the gap's case that a missing event arrived after all: the event as evidence,
 * an audit entry, a live `case.updated`. The case stays as it is: whether the late
 * arrival explains the gap (or hides a removal) is for the investigator to decide, and a
 * gap that is only partly filled is still a gap. Returns the case noted, if any.
 */
export function createGapFillNoter(deps: CaseDeps) {
  return async function noteGapFill(fill: GapFill, actor: string): Promise<string | undefined> {
    const candidates = await deps.prisma.alertCase.findMany({
      where: { kind: 'chain.gap', siteId: fill.site, gatewayId: fill.gatewayId },
      orderBy: { openedAt: 'desc' },
      take: 50,
    });
    // The case whose first gap holds the seq; else the newest unresolved one (later gaps
    // of the same gateway attach to it); else the newest.
    const target =
      candidates.find((c) => {
        const range = gapRange(c);
        return range !== undefined && fill.seq >= range.from && fill.seq <= range.to;
      }) ??
      candidates.find((c) => c.status !== 'resolved') ??
      candidates[0];
    if (target === undefined) return undefined;
    const now = deps.now();
    const note = fill.linked ? `seq ${fill.seq} arrived late and links its neighbours: the chain is whole across it` : `seq ${fill.seq} arrived late but does not link to its stored neighbours`;
    const outcome = await inUnitOfWork(deps, async (tx) => {
      const present = await tx.caseEvidence.count({ where: { caseId: target.id } });
      if (present < MAX_AUTOMATIC_EVIDENCE) {
        await tx.caseEvidence.create({ data: { id: randomUUID(), caseId: target.id, kind: 'event', ref: fill.id, note, addedBy: actor, at: now } });
      }
      const row = await tx.alertCase.update({ where: { id: target.id }, data: { updatedAt: now } });
      await appendAudit(tx, {
        actor,
        action: 'case.gap_filled',
        entityType: 'case',
        entityId: target.id,
        tenantId: null,
        after: { gatewayId: fill.gatewayId, seq: fill.seq, eventId: fill.id, linked: fill.linked },
        at: now,
      });
      const tenants = (await tx.caseTenant.findMany({ where: { caseId: target.id }, select: { tenantId: true } })).map((t) => t.tenantId).sort();
      return { row, tenants };
    });
    deps.notifier.notify('case.updated', caseView(outcome.row, now), outcome.tenants);
    return target.id;
  };
}

export type GapFillNoter = ReturnType<typeof createGapFillNoter>;
