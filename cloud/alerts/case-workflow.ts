import { randomUUID } from 'node:crypto';
import type { AlertCase, Prisma } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { lockVisibleCase, userActor } from './case-access.ts';
import type { CaseDeps } from './case-deps.ts';
import { checkFinding, type FindingKind } from './case-finding.ts';
import type { CaseChange } from './case-notifier.ts';
import { deadlineFor, type CaseSeverity } from './case-sla.ts';
import { isOpenStatus, transition, type CaseAction, type CaseStatus } from './case-state.ts';
import type { EvidenceLink } from './case-trigger.ts';
import { caseSnapshot, caseView, commentView, evidenceView, type CaseView } from './case-views.ts';

export interface ActionInput {
  /** Required to resolve. */
  finding?: { kind: FindingKind; quantity?: { value: string; unit: string } | undefined } | undefined;
  note?: string | undefined;
}

/** What people do with a case: the workflow's transitions, assignment, comments, evidence. */
export function createCaseWorkflow(deps: CaseDeps) {
  /** Runs one audited change on a visible case and tells the others after commit. */
  async function change<T>(principal: Principal, caseId: string, fn: (tx: Tx, row: AlertCase) => Promise<{ row: AlertCase; result: T; notify: CaseChange | null }>): Promise<T> {
    const outcome = await inUnitOfWork(deps, async (tx) => {
      const { row, tenants } = await lockVisibleCase(tx, principal, caseId);
      return { ...(await fn(tx, row)), tenants };
    });
    if (outcome.notify !== null) deps.notifier.notify(outcome.notify, caseView(outcome.row, deps.now()), outcome.tenants);
    return outcome.result;
  }

  function statusUpdate(row: AlertCase, action: CaseAction, next: CaseStatus, principal: Principal, now: Date, input: ActionInput): Prisma.AlertCaseUpdateInput {
    const base = { status: next, version: { increment: 1 }, updatedAt: now };
    switch (action) {
      case 'acknowledge':
        return { ...base, acknowledgedAt: now, dueAt: deadlineFor({ status: next, severity: row.severity as CaseSeverity, openedAt: row.openedAt }, deps.sla) };
      case 'investigate':
        // The branch investigator who takes an unassigned case becomes its assignee.
        return { ...base, investigatingAt: now, ...(row.assigneeId === null && principal.role === 'branch_investigator' ? { assigneeId: principal.userId } : {}) };
      case 'resolve': {
        if (input.finding === undefined) throw badRequest('a finding is required to resolve a case');
        const checked = checkFinding(input.finding);
        if (!checked.ok) throw badRequest(checked.reason);
        const f = checked.finding;
        return {
          ...base,
          resolvedAt: now,
          resolvedBy: userActor(principal),
          dueAt: null,
          finding: f.kind,
          lossQuantity: f.kind === 'confirmed_loss' ? f.quantity.value : null,
          lossUnit: f.kind === 'confirmed_loss' ? f.quantity.unit : null,
          resolutionNote: input.note ?? null,
        };
      }
    }
  }

  async function act(principal: Principal, caseId: string, action: CaseAction, input: ActionInput = {}): Promise<CaseView> {
    return change(principal, caseId, async (tx, row) => {
      const verdict = transition(row.status as CaseStatus, action);
      if (!verdict.ok) throw conflict(verdict.reason, { status: row.status, action });
      const now = deps.now();
      const updated = await tx.alertCase.update({ where: { id: row.id }, data: statusUpdate(row, action, verdict.next, principal, now, input) });
      await appendAudit(tx, { actor: userActor(principal), action: `case.${verdict.next}`, entityType: 'case', entityId: row.id, tenantId: null, before: caseSnapshot(row), after: { ...caseSnapshot(updated), note: input.note ?? null }, at: now });
      return { row: updated, result: caseView(updated, now), notify: verdict.next === 'resolved' ? 'case.resolved' : 'case.updated' };
    });
  }

  async function assign(principal: Principal, caseId: string, assigneeId: string): Promise<CaseView> {
    return change(principal, caseId, async (tx, row) => {
      if (!isOpenStatus(row.status as CaseStatus)) throw conflict(`cannot assign a case that is ${row.status}`);
      const tenants = (await tx.caseTenant.findMany({ where: { caseId }, select: { tenantId: true } })).map((t) => t.tenantId);
      const user = await tx.user.findUnique({ where: { id: assigneeId } });
      // Someone of another bank is not found, as if they did not exist.
      if (user === null || !tenants.includes(user.tenantId) || (principal.role !== 'admin' && user.tenantId !== principal.tenantId)) throw notFound('user');
      if (user.role !== 'branch_investigator' || user.disabled) throw badRequest('the assignee must be an active branch investigator');
      const now = deps.now();
      const updated = await tx.alertCase.update({ where: { id: row.id }, data: { assigneeId, version: { increment: 1 }, updatedAt: now } });
      await appendAudit(tx, { actor: userActor(principal), action: 'case.assigned', entityType: 'case', entityId: row.id, tenantId: null, before: caseSnapshot(row), after: caseSnapshot(updated), at: now });
      return { row: updated, result: caseView(updated, now), notify: 'case.updated' };
    });
  }

  async function comment(principal: Principal, caseId: string, body: string) {
    return change(principal, caseId, async (tx, row) => {
      const now = deps.now();
      const created = await tx.caseComment.create({
        data: { id: randomUUID(), caseId, author: userActor(principal), authorUserId: principal.userId, authorEmail: principal.email, body, at: now },
      });
      const updated = await tx.alertCase.update({ where: { id: row.id }, data: { updatedAt: now } });
      await appendAudit(tx, { actor: userActor(principal), action: 'case.commented', entityType: 'case', entityId: row.id, tenantId: null, before: null, after: { commentId: created.id, body }, at: now });
      return { row: updated, result: commentView(created), notify: 'case.updated' };
    });
  }

  async function addEvidence(principal: Principal, caseId: string, link: EvidenceLink) {
    return change(principal, caseId, async (tx, row) => {
      const now = deps.now();
      const duplicate = await tx.caseEvidence.findUnique({ where: { caseId_kind_ref: { caseId, kind: link.kind, ref: link.ref } } });
      if (duplicate !== null) throw conflict(`this ${link.kind} is already linked to the case`);
      try {
        const created = await tx.caseEvidence.create({
          data: { id: randomUUID(), caseId, kind: link.kind, ref: link.ref, note: link.note ?? null, addedBy: userActor(principal), at: now },
        });
        const updated = await tx.alertCase.update({ where: { id: row.id }, data: { updatedAt: now } });
        await appendAudit(tx, { actor: userActor(principal), action: 'case.evidence_added', entityType: 'case', entityId: row.id, tenantId: null, before: null, after: { evidenceId: created.id, kind: link.kind, ref: link.ref }, at: now });
        return { row: updated, result: evidenceView(created), notify: 'case.updated' };
      } catch (error) {
        if (uniqueViolation(error) !== undefined) throw conflict(`this ${link.kind} is already linked to the case`);
        throw error;
      }
    });
  }

  return { act, assign, comment, addEvidence };
}

export type CaseWorkflow = ReturnType<typeof createCaseWorkflow>;
