import type { PrismaClient } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import type { CaseNotifier } from '../alerts/case-notifier.ts';
import { caseSnapshot, caseView } from '../alerts/case-views.ts';
import type { ResolveCase } from './warning-sink.ts';

const ACTOR = 'system:watchdog';

/**
 * Resolves a case whose condition ended by itself (a silent gateway reporting again, a
 * price feed resuming): the machine that opened it closes it, with the finding
 * device_fault and a note, audited like a person's resolution. Only conditions that are
 * facts about the system clear this way; credit cases (LTV, margin calls) wait for people.
 */
export function createSystemResolver(deps: { prisma: PrismaClient; notifier: CaseNotifier }): ResolveCase {
  return async (caseId, note, at) => {
    const outcome = await inUnitOfWork(deps, async (tx) => {
      await tx.$queryRaw`SELECT id FROM alert_case WHERE id = ${caseId}::uuid FOR UPDATE`;
      const row = await tx.alertCase.findUnique({ where: { id: caseId } });
      if (row === null || row.status === 'resolved') return null;
      const updated = await tx.alertCase.update({
        where: { id: caseId },
        data: { status: 'resolved', resolvedAt: at, resolvedBy: ACTOR, finding: 'device_fault', resolutionNote: note, dueAt: null, version: { increment: 1 }, updatedAt: at },
      });
      await appendAudit(tx, { actor: ACTOR, action: 'case.resolved', entityType: 'case', entityId: caseId, tenantId: null, before: caseSnapshot(row), after: { ...caseSnapshot(updated), note }, at });
      const tenants = (await tx.caseTenant.findMany({ where: { caseId }, select: { tenantId: true } })).map((t) => t.tenantId).sort();
      return { row: updated, tenants };
    });
    if (outcome !== null) deps.notifier.notify('case.resolved', caseView(outcome.row, at), outcome.tenants);
  };
}
