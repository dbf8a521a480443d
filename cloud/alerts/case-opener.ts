import { randomUUID } from 'node:crypto';
import type { AlertCase } from '../db/generated/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { MAX_AUTOMATIC_EVIDENCE, type CaseDeps } from './case-deps.ts';
import { deadlineFor, earlier, maxSeverity, type CaseSeverity } from './case-sla.ts';
import type { CaseStatus } from './case-state.ts';
import { dedupKey, type CaseTrigger, type EvidenceLink } from './case-trigger.ts';
import { caseSnapshot, caseView } from './case-views.ts';
import { concernsOperations } from './operations-cases.ts';

export interface RaiseResult {
  caseId: string;
  opened: boolean;
}

/**
 * Opens a case for a trigger, or attaches the trigger to the unresolved case with the
 * same site, lot and kind. The partial unique index alert_case_open_key decides races:
 * the loser of two concurrent openings retries and attaches.
 */
export function createCaseOpener(deps: CaseDeps) {
  async function stakeholders(trigger: CaseTrigger): Promise<string[]> {
    const onSite =
      trigger.siteId === null || trigger.private === true
        ? []
        : trigger.lotId === null
          ? await deps.directory.tenantsForSite(trigger.siteId)
          : await deps.directory.tenantsForLot(trigger.siteId, trigger.lotId);
    // The site's operator is told only of what concerns operations (operations-cases.ts).
    const operators = concernsOperations(trigger.kind) || onSite.length === 0
      ? new Set<string>()
      : new Set((await deps.prisma.tenant.findMany({ where: { id: { in: onSite }, kind: 'warehouse_operator' }, select: { id: true } })).map((t) => t.id));
    const fromSite = onSite.filter((id) => !operators.has(id));
    const extra = trigger.extraTenants ?? [];
    // Only real tenants (case_tenant references tenant): a bus payload may name anything.
    const known = extra.length === 0 ? [] : (await deps.prisma.tenant.findMany({ where: { id: { in: [...extra] } }, select: { id: true } })).map((t) => t.id);
    return [...new Set([...fromSite, ...known])].sort();
  }

  async function addEvidence(tx: Tx, caseId: string, links: readonly EvidenceLink[], addedBy: string, at: Date): Promise<void> {
    if (links.length === 0) return;
    const present = await tx.caseEvidence.count({ where: { caseId } });
    const room = Math.max(0, MAX_AUTOMATIC_EVIDENCE - present);
    const data = links.slice(0, room).map((l) => ({ id: randomUUID(), caseId, kind: l.kind, ref: l.ref, note: l.note ?? null, addedBy, at }));
    if (data.length > 0) await tx.caseEvidence.createMany({ data, skipDuplicates: true });
  }

  async function open(tx: Tx, trigger: CaseTrigger, tenants: readonly string[], actor: string): Promise<AlertCase> {
    const now = deps.now();
    const id = randomUUID();
    const row = await tx.alertCase.create({
      data: {
        id,
        kind: trigger.kind,
        title: trigger.title.slice(0, 500),
        severity: trigger.severity,
        status: 'open',
        source: trigger.source,
        siteId: trigger.siteId,
        lotId: trigger.lotId,
        gatewayId: trigger.gatewayId,
        dedupKey: dedupKey(trigger),
        detail: trigger.detail as object,
        occurrences: trigger.occurrences ?? 1,
        openedAt: now,
        openedBy: actor,
        lastEventAt: trigger.at,
        dueAt: deadlineFor({ status: 'open', severity: trigger.severity, openedAt: now }, deps.sla),
        updatedAt: now,
      },
    });
    if (tenants.length > 0) await tx.caseTenant.createMany({ data: tenants.map((tenantId) => ({ caseId: id, tenantId })), skipDuplicates: true });
    await addEvidence(tx, id, trigger.evidence, actor, now);
    await appendAudit(tx, {
      actor,
      action: 'case.opened',
      entityType: 'case',
      entityId: id,
      tenantId: null,
      before: null,
      after: { ...caseSnapshot(row), kind: row.kind, title: row.title, site: row.siteId, lotId: row.lotId, tenants },
      at: now,
    });
    return row;
  }

  async function attach(tx: Tx, current: AlertCase, trigger: CaseTrigger, tenants: readonly string[], actor: string): Promise<AlertCase> {
    const now = deps.now();
    await addEvidence(tx, current.id, trigger.evidence, actor, now);
    if (tenants.length > 0) await tx.caseTenant.createMany({ data: tenants.map((tenantId) => ({ caseId: current.id, tenantId })), skipDuplicates: true });
    const severity = maxSeverity(current.severity as CaseSeverity, trigger.severity);
    const raised = severity !== current.severity;
    const lastEventAt = current.lastEventAt === null || trigger.at > current.lastEventAt ? trigger.at : current.lastEventAt;
    const row = await tx.alertCase.update({
      where: { id: current.id },
      data: {
        occurrences: { increment: trigger.occurrences ?? 1 },
        lastEventAt,
        updatedAt: now,
        ...(raised
          ? {
              severity,
              version: { increment: 1 },
              dueAt: earlier(current.dueAt, deadlineFor({ status: current.status as CaseStatus, severity, openedAt: current.openedAt }, deps.sla)),
            }
          : {}),
      },
    });
    // A worse trigger changes the case's state, so it is audited; a repeat only counts.
    if (raised) {
      await appendAudit(tx, { actor, action: 'case.severity_raised', entityType: 'case', entityId: row.id, tenantId: null, before: caseSnapshot(current), after: caseSnapshot(row), at: now });
    }
    return row;
  }

  return async function raise(trigger: CaseTrigger, actor: string): Promise<RaiseResult> {
    const tenants = await stakeholders(trigger);
    const key = dedupKey(trigger);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const outcome = await inUnitOfWork(deps, async (tx) => {
          const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM alert_case WHERE dedup_key = ${key} AND status <> 'resolved' FOR UPDATE`;
          const currentId = locked[0]?.id;
          const current = currentId === undefined ? null : await tx.alertCase.findUnique({ where: { id: currentId } });
          const row = current === null ? await open(tx, trigger, tenants, actor) : await attach(tx, current, trigger, tenants, actor);
          const allTenants = (await tx.caseTenant.findMany({ where: { caseId: row.id }, select: { tenantId: true } })).map((t) => t.tenantId).sort();
          return { row, opened: current === null, tenants: allTenants };
        });
        deps.notifier.notify(outcome.opened ? 'case.opened' : 'case.updated', caseView(outcome.row, deps.now()), outcome.tenants);
        return { caseId: outcome.row.id, opened: outcome.opened };
      } catch (error) {
        if (attempt === 0 && uniqueViolation(error) !== undefined) continue;
        throw error;
      }
    }
  };
}

export type CaseOpener = ReturnType<typeof createCaseOpener>;
