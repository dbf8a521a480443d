import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import type { CaseDeps } from './case-deps.ts';
import { planEscalation, type CaseSeverity } from './case-sla.ts';
import type { CaseStatus } from './case-state.ts';
import { caseSnapshot, caseView } from './case-views.ts';

const ACTOR = 'system:sla';
const PAGE = 200;

/**
 * Escalates every case whose deadline passed by `now` (time passed in, so tests and
 * the timer decide what "now" is): severity up a step, a fresh deadline, an audit entry,
 * and a 'case.escalated' live event for the tenants who see it (risk officers act on it).
 */
export function createCaseEscalator(deps: CaseDeps) {
  return async function escalateOverdue(now: Date): Promise<number> {
    let escalated = 0;
    let after = '';
    for (;;) {
      const due = await deps.prisma.alertCase.findMany({
        where: { status: { not: 'resolved' }, dueAt: { lte: now }, escalationLevel: { lt: deps.sla.maxEscalations }, ...(after ? { id: { gt: after } } : {}) },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: PAGE,
      });
      for (const { id } of due) {
        const outcome = await inUnitOfWork(deps, async (tx) => {
          await tx.$queryRaw`SELECT id FROM alert_case WHERE id = ${id}::uuid FOR UPDATE`;
          const row = await tx.alertCase.findUnique({ where: { id } });
          if (row === null) return null;
          const plan = planEscalation({ status: row.status as CaseStatus, severity: row.severity as CaseSeverity, dueAt: row.dueAt, escalationLevel: row.escalationLevel }, now, deps.sla);
          if (plan === null) return null;
          const updated = await tx.alertCase.update({
            where: { id },
            data: { severity: plan.severity, escalationLevel: plan.level, escalatedAt: now, dueAt: plan.dueAt, version: { increment: 1 }, updatedAt: now },
          });
          await appendAudit(tx, { actor: ACTOR, action: 'case.escalated', entityType: 'case', entityId: id, tenantId: null, before: caseSnapshot(row), after: caseSnapshot(updated), at: now });
          const tenants = (await tx.caseTenant.findMany({ where: { caseId: id }, select: { tenantId: true } })).map((t) => t.tenantId).sort();
          return { row: updated, tenants };
        });
        if (outcome === null) continue;
        escalated += 1;
        deps.notifier.notify('case.escalated', caseView(outcome.row, now), outcome.tenants);
      }
      if (due.length < PAGE) return escalated;
      after = due[due.length - 1]?.id ?? after;
    }
  };
}
